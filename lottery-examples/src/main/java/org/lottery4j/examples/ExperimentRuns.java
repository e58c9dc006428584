package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.lottery4j.experiment.Experiment;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.results.ExperimentResult;

/**
 * What the lottery-experiment examples share around {@link Experiment#run()}: their
 * {@code --controls} list and the table they print at the end.
 *
 * <pre>{@code
 * List<ControlArm> arms = ExperimentRuns.controlArms(controls);   // ["none"] -> []
 * return ExperimentRuns.runAndPrint(experiment, rounds);
 * }</pre>
 */
final class ExperimentRuns {

    private ExperimentRuns() {}

    /** The arms of {@code --controls}: {@code none}, or names {@link ControlArm#parse} reads. */
    static List<ControlArm> controlArms(List<String> controls) {
        return controls.equals(List.of("none")) ? List.of() : controls.stream().map(ControlArm::parse).toList();
    }

    /**
     * Runs the experiment, prints its {@code rounds.csv} and where its report is, and returns the
     * exit status: 0 when all {@code rounds} pruning rounds after the dense one are done.
     */
    static int runAndPrint(Experiment experiment, int rounds) throws IOException {
        ExperimentResult result = experiment.run();
        System.out.println();
        System.out.print(Files.readString(experiment.folder().resolve("rounds.csv")));
        System.out.println("report: " + experiment.folder().resolve("index.html"));
        return result.ticketRounds().size() == rounds + 1 ? 0 : 1;
    }
}

package org.lottery4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lottery4j.examples.grokking.CurvePoint;
import org.lottery4j.examples.grokking.GrokkingHparams;
import org.lottery4j.examples.grokking.GrokkingReport;
import org.lottery4j.examples.grokking.GrokkingResult;
import org.lottery4j.examples.grokking.GrokkingTraining;
import org.lottery4j.examples.grokking.LogCadence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Grokking on modular arithmetic: a network memorizes its training pairs within tens of steps,
 * stays near chance on the others for hundreds, then generalizes. Writes {@code curve.csv},
 * {@code results.json}, {@code hparams.json} and {@code index.html} into
 * {@code OUT/grokking_<hash>}; a finished run is not trained again.
 *
 * <pre>{@code
 * java -jar lottery-examples.jar grokking                      # groks: 99% train at step 20, 99% test at ~600
 * java -jar lottery-examples.jar grokking --weight-decay 0     # the control: memorizes, does not generalize
 * }</pre>
 */
@Command(name = "grokking", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grokking on (a op b) mod p: train full batch, record train and test accuracy, loss and weight norm "
                + "on a log-spaced cadence, mark the memorization and generalization steps.",
                "Writes curve.csv, results.json, hparams.json and index.html into OUT/grokking_<hash>."},
        footer = {"", "The defaults grok: 99% of the training pairs at step 20, 99% of the others at step 596 (30x later), "
                + "3,000 steps in 5 minutes on 2 cores.",
                "--weight-decay 0 is the control that does not: memorized at step 20, 3% test accuracy at step 3,000.",
                "--model embed-relu groks with its own defaults (35% of the pairs, lr 3e-3).",
                "Grokking tickets: see grokking-tickets."})
final class GrokkingCommand implements Callable<Integer> {

    /** Points recorded per power of ten of steps. */
    static final int POINTS_PER_DECADE = 40;

    @Spec
    CommandSpec spec;

    @Mixin
    GrokkingOptions options;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the split and of the initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    OutFolder out;

    @Mixin
    CpuThreads threads;

    @Override
    public Integer call() throws Exception {
        GrokkingHparams hp = options.hparams(spec, seed);
        threads.apply();
        Path folder = out.create().resolve(hp.folderName());
        System.out.println(hp.describe());
        java.util.Optional<GrokkingResult> done = GrokkingReport.finished(folder);
        if (done.isPresent()) {
            System.out.println("already finished: " + done.get().describe());
            System.out.println("report: " + folder.resolve("index.html"));
            return 0;
        }
        Files.createDirectories(folder);
        GrokkingTraining.Result r = GrokkingTraining.train(hp.network(), hp.model(), hp.task().split(), hp.steps(),
                new LogCadence(POINTS_PER_DECADE), printer(hp.steps()), false);
        GrokkingReport.write(folder, hp, r);
        System.out.println(GrokkingResult.of(r).describe() + String.format(Locale.ROOT, "; %.0f s", r.seconds()));
        System.out.println("report: " + folder.resolve("index.html"));
        return 0;
    }

    /**
     * Prints the points at 5 steps a decade (a subset of the recorded ones) and the first: enough
     * to watch the plateau without flooding the console.
     */
    static java.util.function.Consumer<CurvePoint> printer(long steps) {
        java.util.Set<Long> shown = new java.util.HashSet<>(new LogCadence(5).steps(steps));
        shown.add(0L);
        return p -> {
            if (shown.contains(p.step())) {
                System.out.printf(Locale.ROOT, "step %,7d  train %6.2f%%  test %6.2f%%  loss %.4g / %.4g  weight norm %.2f%n",
                        p.step(), 100 * p.trainAccuracy(), 100 * p.testAccuracy(), p.trainLoss(), p.testLoss(),
                        p.weightNorm());
            }
        };
    }
}

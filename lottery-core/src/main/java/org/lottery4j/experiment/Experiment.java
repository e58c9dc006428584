package org.lottery4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.Provenance;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentReport;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.run.RunFolder;
import org.lottery4j.runtime.RuntimeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lottery-ticket experiment: round 0 trains the dense network; each later round prunes the
 * previous round's trained network, rewinds the survivors and trains again. Control arms train,
 * for each pruned round, the same masks from a random re-initialization ({@code reinit}) and
 * random masks of the same per-layer sparsity from the ticket's rewind point ({@code random_pruning};
 * for {@code fine-tune} and {@code lr-rewind}, from the weights and schedule position the ticket's
 * round started from). Every network the workload creates is given the training hyperparameters'
 * optimizer, schedule and weight decay before it trains.
 *
 * <p>{@code pruning.schedule} changes where a round's masks come from ({@code one-shot}: the trained
 * dense network; {@code at-init}: the untrained one; {@code early-bird}: the dense network where its
 * masks settled), always with the counts of iterative pruning's round, and {@code training.dynamic}
 * trains rounds with dynamic sparse training; with them {@code pruning.onlyRounds} trains only some
 * rounds. The {@code inverted} arm draws the round's masks with the method's scores negated, and the
 * {@code stability} arm (also beside round 0) measures linear mode connectivity. Every arm records
 * its training cost ({@code ArmResult.cost()}). See {@code docs/cheaper-tickets.md}.
 *
 * <p>The output folder, {@code <out>/lottery_<hash>}, holds {@code hparams.json}, one folder per
 * round ({@code round-03/ticket.zip}, {@code round-03/ticket.json}, {@code round-03/reinit.json}),
 * {@code rounds.csv}, {@code results.json} and whatever the {@link ExperimentReport} writes (the
 * {@code lottery-report} module's {@code HtmlReport}: {@code charts/} and {@code index.html}).
 * Every file is written atomically, and each arm is a {@code Phase} whose record is written after
 * its ticket, so running the same experiment on the same folder again resumes after the last
 * finished arm, even after
 * {@code kill -9}, and gives the same results as a run that was never interrupted. The tables and
 * the report show every arm record the folder holds: a control arm that an earlier run of the same
 * experiment trained stays in them when a later run leaves it out of {@code controls}; they are
 * written again whenever a round has finished, so they can be read while the experiment runs.
 *
 * <p>The control arms of a round and the tickets of later rounds do not depend on each other:
 * {@link #withWorkers(int)} trains that many arms at once, each on a thread of its own with one
 * ND4J thread ({@link RuntimeSettings#threads(int)}). The tickets are the critical path: one worker
 * trains them round after round while the others train the controls as their tickets make them
 * ready ({@code ArmScheduler}). Every arm is seeded by the training seed, its round and its name
 * alone ({@code Seeds}), so the results are those of one worker, bit for bit; the number of workers is not a hyperparameter and does not change the
 * folder. One worker (the default) trains the arms in order on the calling thread, with its ND4J
 * settings: a study's {@code LocalExecutor}, which runs several experiments at once, keeps it so.
 *
 * <pre>{@code
 * ExperimentResult result = new Experiment(hparams, workload, Path.of("out")).run();
 * new Experiment(hparams, workload, Path.of("out"), HtmlReport::write).run();   // lottery-report: charts, index.html
 * new Experiment(hparams, workload, Path.of("out")).withWorkers(2).run();      // two arms at once
 * }</pre>
 */
public final class Experiment {

    private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);

    private final ExperimentHparams hp;
    private final Workload workload;
    private final Path folder;
    private final ExperimentReport report;
    private final int workers;

    /** An experiment that writes its tables and no report. */
    public Experiment(ExperimentHparams hp, Workload workload, Path outputRoot) {
        this(hp, workload, outputRoot, ExperimentReport.NONE);
    }

    /** An experiment that also writes {@code report} after every round. */
    public Experiment(ExperimentHparams hp, Workload workload, Path outputRoot, ExperimentReport report) {
        this(hp, workload, outputRoot.resolve(hp.folderName()), report, 1);
    }

    private Experiment(ExperimentHparams hp, Workload workload, Path folder, ExperimentReport report, int workers) {
        this.hp = Objects.requireNonNull(hp, "hparams");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.folder = folder;
        this.report = Objects.requireNonNull(report, "report");
        this.workers = workers;
    }

    /**
     * This experiment, training up to {@code workers} arms at once (see the class documentation).
     * With more than one, the workload's {@code createNetwork} is called from several threads at
     * once, and each worker sets ND4J to one thread.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public Experiment withWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        return new Experiment(hp, workload, folder, report, workers);
    }

    /** How many arms train at once, at most. */
    public int workers() {
        return workers;
    }

    /** Where this experiment writes: {@code <out>/lottery_<hash>}. */
    public Path folder() {
        return folder;
    }

    /** The folder of one round. */
    public Path roundFolder(int round) {
        return ExperimentArms.roundFolder(folder, round);
    }

    /**
     * Runs (or resumes) every round and arm, then writes the tables and the report.
     *
     * @throws IOException if the output folder holds another experiment or cannot be written
     */
    public ExperimentResult run() throws IOException {
        RunFolder dir = RunFolder.create(folder); // before anything is printed: a folder that cannot be made
        try {
            LOG.info("{}", hp.describe());
            LOG.info("{}", RuntimeSettings.describeBackend()); // which machine produced the results
            dir.bind(hp.identity(), hp, LOG);
            return train();
        } catch (IOException | RuntimeException e) {
            dir.discardIfUnused(e); // a refused input leaves no folder behind
            throw e;
        }
    }

    private ExperimentResult train() throws IOException {
        ExperimentData data = workload.loadData(hp).requireAugmentation(hp.dataset().augment());
        if (!data.hasValidation()) {
            throw new IllegalArgumentException("the lottery experiment finds the early-stopping iteration on a "
                    + "validation split, but the workload's data has none: set dataset.validationExamples above 0");
        }
        Progress progress = new Progress(hp.pruning().rounds());
        Trainer trainer = new Trainer(hp, data, progress);
        List<ControlArm> shown = armsToShow();
        try (ExperimentArms arms = new ExperimentArms(hp, workload, folder, trainer, shown,
                results -> write(shown, results))) {
            progress.plan(trainer.budget() * arms.missing());
            // with no controls there is nothing beside the tickets to train
            int threads = hp.controls().isEmpty() || hp.pruning().rounds() == 0 ? 1 : workers;
            LOG.info("writing to {} ({} iterations per round, {})", folder, trainer.budget(), threads == 1
                    ? "one arm at a time" : threads + " arms at a time, each on one ND4J thread");
            ArmScheduler.run(threads, hp.pruning().rounds(), arms::ticket);
            ExperimentResult result = write(shown, arms.results());
            LOG.info("done: {}", folder);
            return result;
        }
    }

    /**
     * The control arms of the tables and report, sorted: those this run trains, and any other arm
     * an earlier run of this experiment left records of, so that leaving an arm out of
     * {@code controls} never hides results that are on disk.
     */
    private List<ControlArm> armsToShow() {
        return Arrays.stream(ControlArm.values())
                .filter(arm -> hp.controls().contains(arm) || Stream.iterate(0, r -> r <= hp.pruning().rounds(), r -> r + 1)
                        .anyMatch(r -> Files.exists(roundFolder(r).resolve(arm.describe() + ".json"))))
                .sorted(Comparator.comparing(ControlArm::describe))
                .toList();
    }

    private ExperimentResult write(List<ControlArm> arms, List<ArmResult> results) throws IOException {
        ExperimentResult result = new ExperimentResult(hp.folderName(), hp.fields(), hp.canonical(),
                arms.stream().map(ControlArm::describe).toList(),
                results, Provenance.current());
        AtomicFiles.writeString(folder.resolve("rounds.csv"), result.roundsCsv());
        Json.writeChecked(folder.resolve("results.json"), result);
        report.write(folder, result);
        return result;
    }
}

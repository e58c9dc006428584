package org.lottery4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.io.Json;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.network.NetworkAdapter;
import org.lottery4j.optim.Optimizers;
import org.lottery4j.prune.RandomMasks;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentReport;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.ResultsWriter;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.io.Provenance;
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
 * <p>The output folder, {@code <out>/lottery_<hash>}, holds {@code hparams.json}, one folder per
 * round ({@code round-03/ticket.zip}, {@code round-03/ticket.json}, {@code round-03/reinit.json}),
 * {@code rounds.csv}, {@code results.json} and whatever the {@link ExperimentReport} writes (the
 * {@code lottery-report} module's {@code HtmlReport}: {@code charts/} and {@code index.html}).
 * Every file is written atomically, and an arm's record only after its ticket, so running the same
 * experiment on the same folder again resumes after the last finished arm, even after
 * {@code kill -9}, and gives the same results as a run that was never interrupted. The tables and
 * the report show every arm record the folder holds: a control arm that an earlier run of the same
 * experiment trained stays in them when a later run leaves it out of {@code controls}.
 *
 * <pre>{@code
 * ExperimentResult result = new Experiment(hparams, workload, Path.of("out")).run();
 * new Experiment(hparams, workload, Path.of("out"), HtmlReport::write).run();   // with charts and index.html
 * }</pre>
 */
public final class Experiment {

    private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);

    private final ExperimentHparams hp;
    private final Workload workload;
    private final Path folder;
    private final ExperimentReport report;

    /** The trained ticket of {@link #currentRound}, kept between rounds, loaded when resuming. */
    private LotteryTicket current;
    private int currentRound = -1;

    /** An experiment that writes its tables and no report. */
    public Experiment(ExperimentHparams hp, Workload workload, Path outputRoot) {
        this(hp, workload, outputRoot, ExperimentReport.NONE);
    }

    /** An experiment that also writes {@code report} after every round. */
    public Experiment(ExperimentHparams hp, Workload workload, Path outputRoot, ExperimentReport report) {
        this.hp = Objects.requireNonNull(hp, "hparams");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.folder = outputRoot.resolve(hp.folderName());
        this.report = Objects.requireNonNull(report, "report");
    }

    /** Where this experiment writes: {@code <out>/lottery_<hash>}. */
    public Path folder() {
        return folder;
    }

    /** The folder of one round. */
    public Path roundFolder(int round) {
        return folder.resolve(String.format("round-%02d", round));
    }

    /**
     * Runs (or resumes) every round and arm, then writes the tables and the report.
     *
     * @throws IOException if the output folder holds another experiment or cannot be written
     */
    public ExperimentResult run() throws IOException {
        LOG.info("{}", hp.describe());
        prepareFolder();
        ExperimentData data = workload.loadData(hp);
        if (!data.hasValidation()) {
            throw new IllegalArgumentException("the lottery experiment finds the early-stopping iteration on a "
                    + "validation split, but the workload's data has none: set dataset.validationExamples above 0");
        }
        int rounds = hp.pruning().rounds();
        Progress progress = new Progress(rounds);
        Trainer trainer = new Trainer(hp, data, progress);
        progress.plan(trainer.budget() * countMissingArms());
        LOG.info("writing to {} ({} iterations per round)", folder, trainer.budget());

        List<ControlArm> arms = armsToShow();
        List<ArmResult> results = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            results.add(ticketRound(round, trainer));
            for (ControlArm arm : round == 0 ? List.<ControlArm>of() : arms) {
                if (hp.controls().contains(arm)) {
                    results.add(controlArm(round, arm, trainer));
                } else if (Files.exists(record(round, arm.describe()))) {
                    results.add(Json.read(record(round, arm.describe()), ArmResult.class));
                }
            }
            write(arms, results); // after every round: a person can look while it runs
        }
        if (current != null) {
            current.close();
        }
        ExperimentResult result = write(arms, results);
        LOG.info("done: {}", folder);
        return result;
    }

    /**
     * The control arms of the tables and report, sorted: those this run trains, and any other arm
     * an earlier run of this experiment left records of, so that leaving an arm out of
     * {@code controls} never hides results that are on disk.
     */
    private List<ControlArm> armsToShow() {
        return Arrays.stream(ControlArm.values())
                .filter(arm -> hp.controls().contains(arm) || Stream.iterate(1, r -> r <= hp.pruning().rounds(), r -> r + 1)
                        .anyMatch(r -> Files.exists(record(r, arm.describe()))))
                .sorted(Comparator.comparing(ControlArm::describe))
                .toList();
    }

    private void prepareFolder() throws IOException {
        RunFolder.prepare(folder, hp, ExperimentHparams.class, ExperimentHparams::canonical, LOG);
    }

    private long countMissingArms() {
        long missing = 0;
        for (int round = 0; round <= hp.pruning().rounds(); round++) {
            if (!Files.exists(record(round, ArmResult.TICKET))) {
                missing++;
            }
            for (ControlArm arm : round == 0 ? List.<ControlArm>of() : hp.controls()) {
                if (!Files.exists(record(round, arm.describe()))) {
                    missing++;
                }
            }
        }
        return missing;
    }

    private Path record(int round, String arm) {
        return roundFolder(round).resolve(arm + ".json");
    }

    private ArmResult ticketRound(int round, Trainer trainer) throws IOException {
        Path record = record(round, ArmResult.TICKET);
        if (Files.exists(record)) {
            return Json.read(record, ArmResult.class);
        }
        LotteryTicket ticket;
        if (round == 0) {
            ticket = LotteryTicket.builder(newNetwork(trainer))
                    .strategy(hp.pruning().pruningStrategy())
                    .rewindTo(hp.pruning().rewind())
                    .hyperparameters(hyperparameterMap())
                    .build();
        } else {
            ticket = trainedTicket(round - 1);
            ticket.pruneAndRewind(hp.pruning().fraction());
        }
        TrainingRecord training = trainer.train(NetworkAdapter.of(ticket.network()), round, ArmResult.TICKET);
        ticket.save(roundFolder(round).resolve("ticket.zip"));
        ArmResult result = result(round, ArmResult.TICKET, ticket.sparsity(), training);
        Json.write(record, result); // last: its presence means the round is complete
        if (current != null && current != ticket) {
            current.close();
        }
        current = ticket;
        currentRound = round;
        return result;
    }

    /** The ticket as trained in {@code round}: the live one, or the one saved in the round's folder. */
    private LotteryTicket trainedTicket(int round) throws IOException {
        if (current == null || currentRound != round) {
            if (current != null) {
                current.close();
            }
            // with the hyperparameters' strategy: a method of the user's own is not rebuilt from its name
            current = LotteryTicket.load(roundFolder(round).resolve("ticket.zip"),
                    hp.pruning().pruningStrategy());
            currentRound = round;
        }
        return current;
    }

    /** The workload's network with the training hyperparameters' optimizer, decay and schedule. */
    private Model newNetwork(Trainer trainer) {
        Model net = workload.createNetwork(hp);
        hp.training().applyTo(net, trainer.iterationsPerEpoch());
        return net;
    }

    private ArmResult controlArm(int round, ControlArm arm, Trainer trainer) throws IOException {
        Path record = record(round, arm.describe());
        if (Files.exists(record)) {
            return Json.read(record, ArmResult.class);
        }
        LotteryTicket ticket = trainedTicket(round);
        long seed = hp.training().seed() * 7919 + round;
        Model net = newNetwork(trainer);
        // a copy: the control must not share (and on close detach) the ticket's recorder
        LotteryTicket.Builder control = LotteryTicket.builder(net)
                .snapshots(RewindSnapshots.of(ticket.snapshots().asMap()));
        if (arm == ControlArm.REINIT) {
            control.masks(ticket.masks()).rewindTo(RewindPoint.randomReinit(seed));
        } else {
            control.masks(RandomMasks.matching(ticket.masks(), seed)).rewindTo(ticket.rewindPoint());
            if (ticket.rewindPoint().keepsTrainedWeights()) {
                continueFrom(net, round - 1);
            }
        }
        try (LotteryTicket c = control.build()) {
            c.rewind();
            TrainingRecord training = trainer.train(NetworkAdapter.of(c.network()), round, arm.describe());
            ArmResult result = result(round, arm.describe(), c.sparsity(), training);
            Json.write(record, result);
            return result;
        }
    }

    /**
     * Gives a control the weights and schedule position the ticket's round started from, for rewind
     * points that keep the trained weights: those {@code round} ended with.
     */
    private void continueFrom(Model net, int round) throws IOException {
        try (LotteryTicket trained = LotteryTicket.load(roundFolder(round).resolve("ticket.zip"))) {
            net.params().assign(trained.network().params());
            Optimizers.startScheduleAt(net, Optimizers.schedulePosition(trained.network()));
        }
    }

    private static ArmResult result(int round, String arm, SparsityReport sparsity, TrainingRecord training) {
        Map<String, Double> layers = new LinkedHashMap<>();
        sparsity.byLayer().forEach((k, v) -> layers.put(k, v.fractionRemaining()));
        return new ArmResult(round, arm, sparsity.fractionRemaining(), layers, training);
    }

    private Map<String, String> hyperparameterMap() {
        Map<String, String> out = new LinkedHashMap<>(hp.canonicalFields());
        out.put("experiment", hp.folderName());
        return out;
    }

    private ExperimentResult write(List<ControlArm> arms, List<ArmResult> results) throws IOException {
        ExperimentResult result = new ExperimentResult(hp.folderName(), hp.fields(), hp.canonical(),
                arms.stream().map(ControlArm::describe).toList(),
                results, Provenance.current());
        ResultsWriter.write(folder, result);
        report.write(folder, result);
        return result;
    }
}

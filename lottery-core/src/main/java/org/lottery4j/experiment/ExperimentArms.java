package org.lottery4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.PruningSchedule;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.prune.RandomMasks;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.EarlyBirdDraw;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;
import org.lottery4j.run.Phase;
import org.lottery4j.ticket.LotteryTicket;

/**
 * The arms of one run of an {@link Experiment}: how a round's ticket and its control arms train,
 * each a {@link Phase} whose record ({@code round-03/ticket.json}, {@code round-03/reinit.json})
 * is written after the arm's other files, and the finished arms the tables show. Round r's ticket
 * prunes and rewinds round r-1's trained ticket, which stays live between rounds (loaded from its
 * {@code ticket.zip} when resuming); the {@link ArmScheduler} calls {@link #ticket} in round order
 * on one thread, and the control jobs it returns on any.
 */
final class ExperimentArms implements AutoCloseable {

    /** Writes the tables and report over the finished arms. */
    @FunctionalInterface
    interface Tables {
        void write(List<ArmResult> results) throws IOException;
    }

    /**
     * What a round's controls need of its trained ticket, copied (the snapshots) before the next
     * round prunes and rewinds the live ticket; the masks and rewind point are immutable.
     */
    private record ControlSource(MaskSet masks, RewindSnapshots snapshots, RewindPoint rewindPoint) {
        static ControlSource of(LotteryTicket ticket) {
            return new ControlSource(ticket.masks(), RewindSnapshots.of(ticket.snapshots().asMap()), ticket.rewindPoint());
        }
    }

    private final ExperimentHparams hp;
    private final Workload workload;
    private final Path folder;
    private final Trainer trainer;
    private final List<ControlArm> shown;
    private final Tables tables;
    /** Finished arms, and records of arms this run does not train, by round and arm name. */
    private final Map<String, ArmResult> done = new ConcurrentHashMap<>();

    /** The trained ticket of {@link #liveRound}, kept between rounds: used by the ticket chain's thread only. */
    private LotteryTicket live;
    private int liveRound = -1;

    /**
     * @param shown the control arms of the tables: those this run trains and any an earlier run
     *     left records of, which are read now
     */
    ExperimentArms(ExperimentHparams hp, Workload workload, Path folder, Trainer trainer, List<ControlArm> shown,
            Tables tables) throws IOException {
        this.hp = hp;
        this.workload = workload;
        this.folder = folder;
        this.trainer = trainer;
        this.shown = shown;
        this.tables = tables;
        for (int round = 1; round <= hp.pruning().rounds(); round++) {
            for (ControlArm arm : shown) {
                if (!hp.controls().contains(arm)) {
                    int r = round;
                    Phase.done(record(round, arm.describe()), ArmResult.class).ifPresent(a -> done.put(key(r, arm.describe()), a));
                }
            }
        }
    }

    /** The folder of one round of the experiment in {@code folder}. */
    static Path roundFolder(Path folder, int round) {
        return folder.resolve(String.format("round-%02d", round));
    }

    private Path roundFolder(int round) {
        return roundFolder(folder, round);
    }

    Path record(int round, String arm) {
        return roundFolder(round).resolve(arm + ".json");
    }

    /** The arms this run trains whose records are missing: what is left to train. */
    long missing() {
        long missing = 0;
        for (int round = 0; round <= hp.pruning().rounds(); round++) {
            missing += Files.exists(record(round, ArmResult.TICKET)) ? 0 : 1;
            for (ControlArm arm : round == 0 ? List.<ControlArm>of() : hp.controls()) {
                missing += Files.exists(record(round, arm.describe())) ? 0 : 1;
            }
        }
        return missing;
    }

    /**
     * Trains (or reads back) round {@code round}'s ticket and returns its control arms still to
     * train; those with records are read back at once.
     */
    List<ArmScheduler.Job> ticket(int round) throws IOException {
        finished(round, ArmResult.TICKET, Phase.run(record(round, ArmResult.TICKET), ArmResult.class, () -> trainTicket(round)));
        List<ControlArm> toTrain = new ArrayList<>();
        for (ControlArm arm : round == 0 ? List.<ControlArm>of() : hp.controls()) {
            var saved = Phase.done(record(round, arm.describe()), ArmResult.class);
            if (saved.isPresent()) {
                finished(round, arm.describe(), saved.get());
            } else {
                toTrain.add(arm);
            }
        }
        if (toTrain.isEmpty()) {
            return List.of();
        }
        ControlSource source = ControlSource.of(trainedTicket(round));
        return toTrain.stream().<ArmScheduler.Job>map(arm -> () -> finished(round, arm.describe(),
                Phase.run(record(round, arm.describe()), ArmResult.class, () -> trainControl(round, arm, source))))
                .toList();
    }

    private ArmResult trainTicket(int round) throws IOException {
        PruningSchedule schedule = hp.pruning().schedule();
        LotteryTicket ticket;
        if (round == 0) {
            ticket = newTicket();
        } else if (schedule instanceof PruningSchedule.Iterative) {
            ticket = trainedTicket(round - 1);
            ticket.pruneAndRewind(hp.pruning().fraction());
        } else {
            ticket = source(round);
            for (int step = 0; step < round; step++) { // round r's counts: r steps, as iterative pruning's
                ticket.prune(hp.pruning().fraction());
            }
            ticket.rewind();
        }
        if (live != null && live != ticket) {
            live.close();
        }
        live = ticket; // trained below: round's ticket from here on
        liveRound = round;
        EarlyBirdWatch watch = round == 0 && schedule instanceof PruningSchedule.EarlyBird eb
                ? new EarlyBirdWatch(eb, hp.pruning().fraction(), hp.pruning().rounds(),
                        eb.every().toIterations(trainer.iterationsPerEpoch()),
                        hp.pruning().rewind().snapshotIteration().orElse(0), roundFolder(0))
                : null;
        TrainingRecord training = trainer.train(NetworkAdapter.of(ticket.network()), round, ArmResult.TICKET,
                hp.training().budget(), watch == null ? it -> { } : it -> watch.afterStep(ticket, it));
        ticket.save(roundFolder(round).resolve("ticket.zip"));
        if (watch != null) {
            Json.writeChecked(earlyBirdRecord(), new EarlyBirdDraws(watch.draws(training.iterations())));
        }
        return result(round, ArmResult.TICKET, ticket.sparsity(), training);
    }

    /** Every early-bird draw of the dense round, saved with it. */
    record EarlyBirdDraws(List<EarlyBirdDraw> draws) {}

    private Path earlyBirdRecord() {
        return roundFolder(0).resolve("early-bird.json");
    }

    /** A fresh network's ticket, before any training: where round 0 starts, and pruning at initialization. */
    private LotteryTicket newTicket() {
        return LotteryTicket.builder(newNetwork())
                .strategy(hp.pruning().pruningStrategy())
                .rewindTo(hp.pruning().rewind())
                .hyperparameters(hyperparameterMap())
                .build();
    }

    /**
     * The dense network a round of a schedule other than {@code iterative} draws its masks from:
     * the untrained one, round 0's trained one, or round 0's as it was when the round's early-bird
     * masks settled.
     */
    private LotteryTicket source(int round) throws IOException {
        PruningSchedule schedule = hp.pruning().schedule();
        if (schedule instanceof PruningSchedule.AtInit) {
            return newTicket();
        }
        Path file = roundFolder(0).resolve("ticket.zip");
        if (schedule instanceof PruningSchedule.EarlyBird) {
            EarlyBirdDraw draw = earlyBirdDraw(round);
            if (draw.settled()) {
                file = EarlyBirdWatch.ticketFile(roundFolder(0), round);
            }
        }
        return LotteryTicket.load(file, hp.pruning().pruningStrategy());
    }

    /** Where round {@code round}'s early-bird ticket was drawn, as the dense round recorded it. */
    EarlyBirdDraw earlyBirdDraw(int round) throws IOException {
        EarlyBirdDraws draws = Json.readChecked(earlyBirdRecord(), EarlyBirdDraws.class);
        return draws.draws().stream().filter(d -> d.round() == round).findFirst().orElseThrow(() ->
                new IllegalStateException(earlyBirdRecord() + " has no draw for round " + round));
    }

    /** The ticket as trained in {@code round}: the live one, or the one saved in the round's folder. */
    private LotteryTicket trainedTicket(int round) throws IOException {
        if (live == null || liveRound != round) {
            close();
            // with the hyperparameters' strategy: a method of the user's own is not rebuilt from its name
            live = LotteryTicket.load(roundFolder(round).resolve("ticket.zip"), hp.pruning().pruningStrategy());
            liveRound = round;
        }
        return live;
    }

    private ArmResult trainControl(int round, ControlArm arm, ControlSource ticket) throws IOException {
        long seed = Seeds.control(hp.training().seed(), round);
        Model net = newNetwork();
        // a copy: the control must not share (and on close detach) the ticket's recorder
        LotteryTicket.Builder control = LotteryTicket.builder(net).snapshots(RewindSnapshots.of(ticket.snapshots().asMap()));
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
            return result(round, arm.describe(), c.sparsity(), training);
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

    /** The workload's network with the training hyperparameters' optimizer, decay and schedule. */
    private Model newNetwork() {
        Model net = workload.createNetwork(hp);
        hp.training().applyTo(net, trainer.iterationsPerEpoch());
        return net;
    }

    private Map<String, String> hyperparameterMap() {
        Map<String, String> out = new LinkedHashMap<>(hp.canonicalFields());
        out.put("experiment", hp.folderName());
        return out;
    }

    private static ArmResult result(int round, String arm, SparsityReport sparsity, TrainingRecord training) {
        Map<String, Double> layers = new LinkedHashMap<>();
        sparsity.byLayer().forEach((k, v) -> layers.put(k, v.fractionRemaining()));
        return new ArmResult(round, arm, sparsity.fractionRemaining(), layers, training);
    }

    /** Records a finished arm; writes the tables when its round is complete, so a person can look while it runs. */
    private void finished(int round, String arm, ArmResult result) throws IOException {
        done.put(key(round, arm), result);
        boolean complete = done.containsKey(key(round, ArmResult.TICKET)) && (round == 0
                || hp.controls().stream().allMatch(c -> done.containsKey(key(round, c.describe()))));
        if (complete) {
            synchronized (tables) { // one writer at a time, always with the newest results
                tables.write(results());
            }
        }
    }

    /** The finished arms in the tables' order: by round, the ticket, then the controls by name. */
    List<ArmResult> results() {
        List<ArmResult> out = new ArrayList<>();
        for (int round = 0; round <= hp.pruning().rounds() && done.containsKey(key(round, ArmResult.TICKET)); round++) {
            out.add(done.get(key(round, ArmResult.TICKET)));
            for (ControlArm arm : shown) {
                ArmResult r = done.get(key(round, arm.describe()));
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static String key(int round, String arm) {
        return round + "/" + arm;
    }

    /** Closes the live ticket. */
    @Override
    public void close() {
        if (live != null) {
            live.close();
            live = null;
            liveRound = -1;
        }
    }
}

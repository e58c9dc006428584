package org.lottery4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.dynamic.DynamicSparseTraining;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.PruningSchedule;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.network.MultiplyAdds;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.prune.RandomMasks;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.EarlyBirdDraw;
import org.lottery4j.results.TrainingCost;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;
import org.lottery4j.run.Phase;
import org.lottery4j.stability.InstabilityResult;
import org.lottery4j.stability.LinearInterpolation;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arms of one run of an {@link Experiment}: how a round's ticket and its control arms train,
 * each a {@link Phase} whose record ({@code round-03/ticket.json}, {@code round-03/reinit.json})
 * is written after the arm's other files, and the finished arms the tables show. Round r's ticket
 * prunes and rewinds round r-1's trained ticket, which stays live between rounds (loaded from its
 * {@code ticket.zip} when resuming); the {@link ArmScheduler} calls {@link #ticket} in round order
 * on one thread, and the control jobs it returns on any.
 */
final class ExperimentArms implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentArms.class);

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
    // rounds whose tables were written: two workers finishing a round's last arms together both see it complete
    private final Set<Integer> roundsWritten = ConcurrentHashMap.newKeySet();

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
        for (int round = 0; round <= hp.pruning().rounds(); round++) {
            for (ControlArm arm : shown) {
                if (!hp.controls().contains(arm) && (round > 0 || arm.inDenseRound())) {
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

    /** The control arms this run trains beside round {@code round}'s ticket. */
    private List<ControlArm> arms(int round) {
        return hp.arms(round);
    }

    /** The arms this run trains whose records are missing: what is left to train. */
    long missing() {
        long missing = 0;
        for (int round = 0; round <= hp.pruning().rounds(); round++) {
            if (!hp.pruning().trains(round)) {
                continue;
            }
            missing += Files.exists(record(round, ArmResult.TICKET)) ? 0 : 1;
            for (ControlArm arm : arms(round)) {
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
        if (!hp.pruning().trains(round)) {
            return List.of();
        }
        finished(round, ArmResult.TICKET, Phase.run(record(round, ArmResult.TICKET), ArmResult.class, () -> trainTicket(round)));
        List<ControlArm> toTrain = new ArrayList<>();
        for (ControlArm arm : arms(round)) {
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
        if (round > 0 && hp.training().trainsDynamically()) {
            return trainDynamic(round);
        }
        PruningSchedule schedule = hp.pruning().schedule();
        LotteryTicket ticket;
        if (round == 0) {
            ticket = newTicket(strategy());
        } else if (schedule instanceof PruningSchedule.Iterative) {
            ticket = trainedTicket(round - 1); // the live chain: pruned in place, no copy
            ticket.pruneAndRewind(hp.pruning().fraction());
        } else {
            ticket = drawn(round, strategy());
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
        return result(round, ArmResult.TICKET, ticket.network(), ticket.masks(), training, drawnFrom(round));
    }

    /**
     * Dynamic sparse training's round {@code round}: the untrained network with random masks (the
     * setting's layer densities) keeping as many weights in all as {@code round} pruning steps keep,
     * changed while it trains (SET, RigL); saved as a ticket whose rewind point is initialization.
     */
    private ArmResult trainDynamic(int round) throws IOException {
        long kept;
        try (LotteryTicket counts = drawn(round, strategy())) {
            kept = counts.masks().asMap().values().stream().mapToLong(Mask::countKept).sum();
        }
        Model net = newNetwork();
        INDArray init = net.params().dup();
        long seed = Seeds.arm(hp.training().seed(), round, "dynamic");
        DynamicSparseTraining dst = hp.training().dynamicSparseTraining(seed);
        long total = trainer.budget();
        MaskSet start = dst.initialMasks(net, (double) kept / prunable(net, dst));
        dst.attach(net, start, total, DynamicSparseTraining.sampledBatches(trainer.trainingData(),
                hp.dataset().batchSize(), seed));
        TrainingRecord training;
        try {
            training = trainer.train(NetworkAdapter.of(net), round, ArmResult.TICKET, hp.training().budget(),
                    dst::afterStep);
        } finally {
            dst.detach();
        }
        if (live != null) {
            live.close();
        }
        live = LotteryTicket.builder(net).strategy(strategy()).masks(dst.masks())
                .snapshots(RewindSnapshots.of(Map.of(0, init))).rewindTo(hp.pruning().rewind())
                .hyperparameters(hyperparameterMap()).build();
        liveRound = round;
        live.save(roundFolder(round).resolve("ticket.zip"));
        Json.writeChecked(roundFolder(round).resolve("dynamic.json"), new DynamicUpdates(dst.describe(), dst.updates()));
        return result(round, ArmResult.TICKET, net, live.masks(), training, TrainingCost.NONE);
    }

    /** The mask updates of a round of dynamic sparse training, saved beside its ticket. */
    record DynamicUpdates(String setting, List<DynamicSparseTraining.Update> updates) {}

    /** How many weights dynamic sparse training may keep or drop: those of the parameters it masks. */
    private static long prunable(Model net, DynamicSparseTraining dst) {
        return dst.initialMasks(net, 1.0).asMap().values().stream().mapToLong(Mask::length).sum();
    }

    /**
     * What prunes: the hyperparameters' strategy, its method given the training data (SNIP and GraSP
     * score a batch of it, the same in every round, drawn with a seed of its own).
     */
    private PruningStrategy strategy() {
        return strategy(hp.pruning().method());
    }

    private PruningStrategy strategy(PruningMethod method) {
        if (hp.pruning().strategy() != null) {
            return hp.pruning().strategy();
        }
        // every method gets the data: SynFlow reads a convolutional network's input shape from it
        return new Pruner(method.withTrainingData(trainer.trainingData(), Seeds.pruningData(hp.training().seed())),
                hp.pruning().scope());
    }

    /**
     * A new ticket of round {@code round}: its masks drawn by {@code strategy} from the network the
     * schedule names (round r-1's trained ticket for {@code iterative}, one step; otherwise
     * {@link #source}, r steps), then rewound. The ticket arm of the iterative schedule prunes the
     * live ticket instead; the inverted control draws its masks here with the scores negated.
     */
    private LotteryTicket drawn(int round, PruningStrategy strategy) throws IOException {
        boolean iterative = hp.pruning().schedule() instanceof PruningSchedule.Iterative;
        LotteryTicket ticket = iterative
                ? LotteryTicket.load(roundFolder(round - 1).resolve("ticket.zip"), strategy)
                : source(round, strategy);
        // round r's counts: r steps, as iterative pruning's, all scored on the network as it is (no step
        // sees the weights an earlier one pruned set to zero, so SNIP at a sparsity is one-shot SNIP)
        List<MaskSet> steps = new ArrayList<>();
        MaskSet masks = ticket.masks();
        for (int step = 0; step < (iterative ? 1 : round); step++) {
            masks = strategy.prune(ticket.view(), masks, hp.pruning().fraction()).masks();
            steps.add(masks);
        }
        steps.forEach(ticket::applyMasks); // one pruning round each
        ticket.rewind();
        return ticket;
    }

    /** Every early-bird draw of the dense round, saved with it. */
    record EarlyBirdDraws(List<EarlyBirdDraw> draws) {}

    private Path earlyBirdRecord() {
        return roundFolder(0).resolve("early-bird.json");
    }

    /** A fresh network's ticket, before any training: where round 0 starts, and pruning at initialization. */
    private LotteryTicket newTicket(PruningStrategy strategy) {
        return LotteryTicket.builder(newNetwork())
                .strategy(strategy)
                .rewindTo(hp.pruning().rewind())
                .hyperparameters(hyperparameterMap())
                .build();
    }

    /**
     * The dense network a round of a schedule other than {@code iterative} draws its masks from:
     * the untrained one, round 0's trained one, or round 0's as it was when the round's early-bird
     * masks settled.
     */
    private LotteryTicket source(int round, PruningStrategy strategy) throws IOException {
        PruningSchedule schedule = hp.pruning().schedule();
        if (schedule instanceof PruningSchedule.AtInit) {
            return newTicket(strategy);
        }
        Path file = roundFolder(0).resolve("ticket.zip");
        if (schedule instanceof PruningSchedule.EarlyBird) {
            EarlyBirdDraw draw = earlyBirdDraw(round);
            if (draw.settled()) {
                file = EarlyBirdWatch.ticketFile(roundFolder(0), round);
            }
        }
        return LotteryTicket.load(file, strategy);
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
            live = LotteryTicket.load(roundFolder(round).resolve("ticket.zip"), strategy());
            liveRound = round;
        }
        return live;
    }

    private ArmResult trainControl(int round, ControlArm arm, ControlSource ticket) throws IOException {
        if (arm == ControlArm.INVERTED) {
            if (hp.pruning().strategy() != null) {
                throw new IllegalArgumentException("the inverted control negates a pruning method's scores, but this "
                        + "experiment prunes with a strategy of its own (" + hp.pruning().strategy().describe() + ")");
            }
            try (LotteryTicket c = drawn(round, strategy(hp.pruning().method().inverted()))) {
                TrainingRecord training = trainer.train(NetworkAdapter.of(c.network()), round, arm.describe());
                return result(round, arm.describe(), c.network(), c.masks(), training, drawnFrom(round));
            }
        }
        long seed = Seeds.control(hp.training().seed(), round);
        Model net = newNetwork();
        // a copy: the control must not share (and on close detach) the ticket's recorder
        LotteryTicket.Builder control = LotteryTicket.builder(net).snapshots(RewindSnapshots.of(ticket.snapshots().asMap()));
        if (arm == ControlArm.REINIT) {
            control.masks(ticket.masks()).rewindTo(RewindPoint.randomReinit(seed));
        } else {
            control.masks(arm == ControlArm.STABILITY ? ticket.masks() : RandomMasks.matching(ticket.masks(), seed))
                    .rewindTo(ticket.rewindPoint());
            if (ticket.rewindPoint().keepsTrainedWeights() && round > 0) {
                continueFrom(net, round - 1);
            }
        }
        try (LotteryTicket c = control.build()) {
            c.rewind();
            if (arm == ControlArm.STABILITY) {
                return stability(round, c);
            }
            TrainingRecord training = trainer.train(NetworkAdapter.of(c.network()), round, arm.describe());
            // re-initialized, the ticket's masks still cost what they were drawn from; random masks cost nothing
            return result(round, arm.describe(), c.network(), c.masks(), training,
                    arm == ControlArm.REINIT ? drawnFrom(round) : TrainingCost.NONE);
        }
    }

    /**
     * The instability analysis from {@code start}, the round's network at its rewind point: a copy
     * trained as {@code stability-a}, another as {@code stability-b} (other data orders and
     * augmentation), and the test error along the line between them, batch-norm statistics
     * recomputed on the training data. The arm's training record is the first copy's.
     */
    private ArmResult stability(int round, LotteryTicket start) throws IOException {
        Model other = newNetwork();
        other.params().assign(start.network().params());
        try (LotteryTicket b = LotteryTicket.builder(other).masks(start.masks()).snapshots(RewindSnapshots.of(Map.of()))
                .rewindTo(RewindPoint.fineTune()).build()) {
            Optimizers.startScheduleAt(other, Optimizers.schedulePosition(start.network()));
            TrainingRecord a = trainer.train(NetworkAdapter.of(start.network()), round, "stability-a");
            TrainingRecord secondCopy = trainer.train(NetworkAdapter.of(b.network()), round, "stability-b");
            InstabilityResult path = LinearInterpolation.between(start.network(), b.network()).withMasks(start.masks())
                    .withBatchNormData(trainer.trainingData()).evaluate(trainer.testData());
            TrainingCost before = drawnFrom(round);
            ArmResult r = result(round, ControlArm.STABILITY.describe(), start.network(), start.masks(), a,
                    before == null ? null : plus(before, ownCost(b.network(), b.masks(), secondCopy)));
            return new ArmResult(r.round(), r.arm(), r.weightsRemaining(), r.layerRemaining(), r.training(), r.cost(),
                    path);
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

    /**
     * An arm's result, its cost that of {@code before} (the trainings its masks were drawn from;
     * {@code null} when one of them has no recorded cost) and of its own training.
     */
    private ArmResult result(int round, String arm, Model network, MaskSet masks, TrainingRecord training,
            TrainingCost before) {
        SparsityReport sparsity = masks.sparsity();
        Map<String, Double> layers = new LinkedHashMap<>();
        sparsity.byLayer().forEach((k, v) -> layers.put(k, v.fractionRemaining()));
        TrainingCost own = ownCost(network, masks, training);
        TrainingCost cost = before == null || own == null ? null : before.plus(own);
        return new ArmResult(round, arm, sparsity.fractionRemaining(), layers, training, cost, null);
    }

    /**
     * One training's multiply-adds (three forward passes per example seen) and its seconds;
     * {@code null} for a network with a weight layer {@link MultiplyAdds} does not count.
     */
    private TrainingCost ownCost(Model network, MaskSet masks, TrainingRecord training) {
        MultiplyAdds dense;
        try {
            dense = MultiplyAdds.of(network, trainer.trainingData().getFeatures());
        } catch (IllegalArgumentException e) {
            LOG.warn("training cost not recorded: {}", e.getMessage());
            return null;
        }
        Map<ParamKey, Long> kept = new LinkedHashMap<>();
        masks.asMap().forEach((key, mask) -> kept.put(key, mask.countKept()));
        long examples = trainer.examples(training.iterations());
        return new TrainingCost(dense.withKeptWeights(kept).trainingMultiplyAdds(examples),
                dense.trainingMultiplyAdds(examples), training.trainSeconds());
    }

    private static TrainingCost plus(TrainingCost a, TrainingCost b) {
        return a == null || b == null ? null : a.plus(b);
    }

    /**
     * The training behind the network round {@code round}'s masks are drawn from, before the round
     * trains: none for the dense round and for pruning at initialization (dynamic sparse training
     * too), round r-1's ticket for iterative pruning, the dense round for one-shot pruning, and the
     * dense round up to its draw for an early-bird ticket; {@code null} if a record it needs has no cost.
     */
    private TrainingCost drawnFrom(int round) throws IOException {
        PruningSchedule schedule = hp.pruning().schedule();
        if (round == 0 || schedule instanceof PruningSchedule.AtInit) {
            return TrainingCost.NONE;
        }
        ArmResult previous = done.get(key(schedule instanceof PruningSchedule.Iterative ? round - 1 : 0, ArmResult.TICKET));
        if (previous == null || previous.cost() == null) {
            return null;
        }
        if (schedule instanceof PruningSchedule.EarlyBird) {
            return previous.cost().times((double) earlyBirdDraw(round).iteration() / previous.training().iterations());
        }
        return previous.cost();
    }

    /** Records a finished arm; writes the tables when its round is complete, so a person can look while it runs. */
    private void finished(int round, String arm, ArmResult result) throws IOException {
        done.put(key(round, arm), result);
        boolean complete = done.containsKey(key(round, ArmResult.TICKET))
                && arms(round).stream().allMatch(c -> done.containsKey(key(round, c.describe())));
        if (complete && roundsWritten.add(round)) {
            synchronized (tables) { // one writer at a time, always with the newest results
                tables.write(results());
            }
        }
    }

    /** The finished arms in the tables' order: by round, the ticket, then the controls by name. */
    List<ArmResult> results() {
        List<ArmResult> out = new ArrayList<>();
        for (int round = 0; round <= hp.pruning().rounds(); round++) {
            if (!hp.pruning().trains(round)) {
                continue;
            }
            if (!done.containsKey(key(round, ArmResult.TICKET))) {
                break;
            }
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

package org.lottery4j.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.hparams.Step;
import org.lottery4j.internal.GarbageCollection;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.results.CurvePoint;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The one training loop of lottery4j: steps a DL4J network through its {@link Batches} for a
 * budget, evaluating on a {@link Cadence}, with callbacks after each step, each evaluation and each
 * epoch, and an optional condition to stop early. The lottery experiments, the N:M experiment, the
 * grokking runs and the double-descent sweep all train through it; so can your own runs. Masks of a
 * {@code LotteryTicket} attached to the network hold through it, as through any {@code fit}.
 *
 * <p>Each step fits one batch, then lets {@link GarbageCollection} free dead arrays' native memory,
 * then calls the step callbacks; an evaluation due after that step follows, then its callbacks,
 * then the stop condition. The loop reads no clock into its results but the seconds it reports,
 * so a seeded network and seeded batches give the same curve every run.
 *
 * <pre>{@code
 * TrainingLoop.Result r = TrainingLoop.builder(net)
 *         .batches(Batches.shuffled(train, 60, 42))
 *         .budget(Step.parse("8ep"))
 *         .evaluate(Cadence.every(500), it -> CurvePoint.at(it).withTest(Double.NaN, Evaluation.accuracy(net, test)))
 *         .onEvaluation(p -> System.out.println(p))
 *         .stopWhen(p -> p.testAccuracy() >= 0.99)
 *         .build()
 *         .run();
 * r.curve();   // the points, from iteration 0
 * }</pre>
 */
public final class TrainingLoop {

    /** Measures the network after {@code iteration} steps. */
    @FunctionalInterface
    public interface Evaluator {
        CurvePoint evaluate(long iteration);
    }

    /**
     * What a run of the loop did.
     *
     * @param iterations steps trained
     * @param curve the evaluations, in iteration order (empty without an evaluator)
     * @param stoppedEarly whether the stop condition ended the run before its budget
     * @param trainSeconds wall time of the steps alone
     * @param wallSeconds wall time of the whole run, evaluations included
     */
    public record Result(long iterations, List<CurvePoint> curve, boolean stoppedEarly, double trainSeconds,
            double wallSeconds) {
        public Result {
            curve = List.copyOf(curve);
        }

        /** The last evaluation. */
        public CurvePoint last() {
            if (curve.isEmpty()) {
                throw new IllegalStateException("the run evaluated nothing");
            }
            return curve.get(curve.size() - 1);
        }
    }

    private final NetworkAdapter network;
    private final Batches batches;
    private final long iterations;
    private final Cadence cadence;
    private final Evaluator evaluator;
    private final List<LongConsumer> onStep;
    private final List<Consumer<CurvePoint>> onEvaluation;
    private final List<IntConsumer> onEpochEnd;
    private final Predicate<CurvePoint> stopWhen;

    private TrainingLoop(Builder b) {
        this.network = NetworkAdapter.of(b.network);
        this.batches = Objects.requireNonNull(b.batches, "batches must be set");
        if (b.budget == null) {
            throw new IllegalArgumentException("the budget must be set: iterations(n) or budget(Step)");
        }
        this.iterations = b.budget.toIterations(batches.batchesPerEpoch());
        this.cadence = b.cadence;
        this.evaluator = b.evaluator;
        this.onStep = List.copyOf(b.onStep);
        this.onEvaluation = List.copyOf(b.onEvaluation);
        this.onEpochEnd = List.copyOf(b.onEpochEnd);
        this.stopWhen = b.stopWhen;
    }

    /** A loop that trains {@code network}, a {@code MultiLayerNetwork} or a single-output {@code ComputationGraph}. */
    public static Builder builder(Model network) {
        return new Builder(Objects.requireNonNull(network, "network"));
    }

    /** The steps this loop trains unless it stops early. */
    public long iterations() {
        return iterations;
    }

    /**
     * Trains for the budget or until the stop condition holds.
     *
     * @throws IllegalStateException if an epoch has no batches
     */
    public Result run() {
        long start = System.nanoTime();
        List<CurvePoint> curve = new ArrayList<>();
        boolean stopped = evaluateIfDue(0, curve);
        double trainSeconds = 0;
        long it = 0;
        for (int epoch = 0; it < iterations && !stopped; epoch++) {
            try (Batches.Epoch epochBatches = batches.epoch(epoch, iterations - it)) {
                if (!epochBatches.hasNext()) {
                    throw new IllegalStateException("epoch " + epoch + " has no batches to train on");
                }
                while (epochBatches.hasNext() && it < iterations && !stopped) {
                    DataSet batch = epochBatches.next();
                    long t0 = System.nanoTime();
                    network.fit(batch);
                    trainSeconds += (System.nanoTime() - t0) / 1e9;
                    GarbageCollection.DEFAULT.tick(); // frees dead arrays' native memory (see there)
                    it++;
                    for (LongConsumer c : onStep) {
                        c.accept(it);
                    }
                    stopped = evaluateIfDue(it, curve);
                }
            }
            for (IntConsumer c : onEpochEnd) {
                c.accept(epoch);
            }
        }
        return new Result(it, curve, stopped && it < iterations, trainSeconds, (System.nanoTime() - start) / 1e9);
    }

    /** Evaluates if the cadence says so; true if the stop condition holds for the new point. */
    private boolean evaluateIfDue(long it, List<CurvePoint> curve) {
        if (evaluator == null || !cadence.evaluatesAt(it, iterations)) {
            return false;
        }
        CurvePoint p = Objects.requireNonNull(evaluator.evaluate(it), "the evaluator returned null");
        curve.add(p);
        for (Consumer<CurvePoint> c : onEvaluation) {
            c.accept(p);
        }
        return stopWhen != null && stopWhen.test(p);
    }

    /** Named settings of a {@link TrainingLoop}: batches and a budget are required. */
    public static final class Builder {
        private final Model network;
        private Batches batches;
        private Step budget;
        private Cadence cadence = Cadence.never();
        private Evaluator evaluator;
        private final List<LongConsumer> onStep = new ArrayList<>();
        private final List<Consumer<CurvePoint>> onEvaluation = new ArrayList<>();
        private final List<IntConsumer> onEpochEnd = new ArrayList<>();
        private Predicate<CurvePoint> stopWhen;

        private Builder(Model network) {
            this.network = network;
        }

        /** What each epoch trains on. */
        public Builder batches(Batches batches) {
            this.batches = Objects.requireNonNull(batches, "batches");
            return this;
        }

        /** Trains {@code n} steps. */
        public Builder iterations(long n) {
            return budget(Step.ofIterations(n));
        }

        /** Trains for {@code budget}: steps, or epochs of the batches' {@link Batches#batchesPerEpoch()}. */
        public Builder budget(Step budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Evaluates with {@code evaluator} when {@code cadence} says (always at 0 and at the end but for {@link Cadence#never()}). */
        public Builder evaluate(Cadence cadence, Evaluator evaluator) {
            this.cadence = Objects.requireNonNull(cadence, "cadence");
            this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
            return this;
        }

        /** Called after every step with the steps done so far. */
        public Builder onStep(LongConsumer callback) {
            onStep.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /** Called with every evaluation, as it is made. */
        public Builder onEvaluation(Consumer<CurvePoint> callback) {
            onEvaluation.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /** Called at the end of every epoch (from 0): where a checkpoint goes. */
        public Builder onEpochEnd(IntConsumer callback) {
            onEpochEnd.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /** Stops after the first evaluation for which {@code condition} holds. */
        public Builder stopWhen(Predicate<CurvePoint> condition) {
            this.stopWhen = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /** @throws IllegalArgumentException if the batches or the budget are missing */
        public TrainingLoop build() {
            if (batches == null) {
                throw new IllegalArgumentException("the batches must be set");
            }
            return new TrainingLoop(this);
        }
    }
}

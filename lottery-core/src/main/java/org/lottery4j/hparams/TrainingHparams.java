package org.lottery4j.hparams;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.dynamic.DynamicSparseTraining;
import org.lottery4j.internal.Optimizers;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * How each round trains: optimizer, learning rate and its schedule, weight decay, budget,
 * evaluation cadence and seed. The experiment applies them to the workload's network
 * ({@link #applyTo}), so a workload never sets an updater itself.
 *
 * <pre>{@code
 * TrainingHparams t = TrainingHparams.builder()
 *         .optimizer(Optimizer.NESTEROV).learningRate(0.1).momentum(0.9)
 *         .schedule("warmup(5ep)+step(milestones=[80ep,120ep],factor=0.1)")
 *         .weightDecay(5e-4).weightDecayStyle(WeightDecayStyle.L2)
 *         .budget("160ep").evalEvery("1ep").seed(42)
 *         .build();
 * TrainingHparams slower = t.toBuilder().learningRate(0.05).build();
 * }</pre>
 *
 * @param optimizer the optimizer; default {@code adam}
 * @param learningRate the base learning rate, > 0; default 1e-3
 * @param momentum momentum of {@code momentum} and {@code nesterov}, in [0, 1); ignored by the others; default 0
 * @param budget training per round; default 1ep
 * @param evalEvery how often to evaluate on the validation and test sets (and at the end); default 1ep
 * @param weightDecay weight decay coefficient, >= 0; default 0
 * @param seed seed of the network's initialization, the data order and ND4J's random generator; default 0
 * @param weightDecayStyle how the decay is applied; default {@code decoupled}. {@code null} (an
 *     {@code hparams.json} written before this field existed) reads as the default
 * @param schedule the learning-rate schedule; default {@code constant}, and {@code null} reads as it
 * @param dynamic dynamic sparse training ({@link DynamicSparseTraining}), as its canonical text such as
 *     {@code rigl(every=100, drop=0.3, stop=0.75, densities=erk)}, or {@code none} (the default, and
 *     what {@code null} reads as). With it, every pruned round trains from the untrained network with
 *     random masks at the round's density, changed while it trains (SET, RigL); it needs
 *     {@code pruning.schedule=at-init}
 */
public record TrainingHparams(
        Optimizer optimizer, double learningRate, double momentum, Step budget, Step evalEvery, double weightDecay,
        long seed, WeightDecayStyle weightDecayStyle, LearningRateSchedule schedule, String dynamic) {

    /** The text of no dynamic sparse training. */
    public static final String STATIC = "none";

    /** The default of every field; a field at its default stays out of the canonical form. */
    public static final TrainingHparams DEFAULTS = new TrainingHparams(Optimizer.ADAM, 1e-3, 0.0, Step.ofEpochs(1),
            Step.ofEpochs(1), 0.0, 0, WeightDecayStyle.DECOUPLED, LearningRateSchedule.constant(), STATIC);

    public TrainingHparams {
        Hparams.require(optimizer != null, "training.optimizer must be set");
        Hparams.require(learningRate > 0 && Double.isFinite(learningRate),
                "training.learningRate must be > 0, got " + learningRate);
        Hparams.require(momentum >= 0 && momentum < 1, "training.momentum must be in [0, 1), got " + momentum);
        Hparams.require(budget != null, "training.budget must be set");
        Hparams.require(evalEvery != null, "training.evalEvery must be set");
        Hparams.require(weightDecay >= 0 && Double.isFinite(weightDecay),
                "training.weightDecay must be >= 0, got " + weightDecay);
        weightDecayStyle = weightDecayStyle == null ? WeightDecayStyle.DECOUPLED : weightDecayStyle;
        schedule = schedule == null ? LearningRateSchedule.constant() : schedule;
        dynamic = dynamic == null || dynamic.strip().equalsIgnoreCase(STATIC) ? STATIC
                : Hparams.parseField("training.dynamic", dynamic, t -> DynamicSparseTraining.parse(t).build().describe());
    }

    /** Without dynamic sparse training. */
    public TrainingHparams(Optimizer optimizer, double learningRate, double momentum, Step budget, Step evalEvery,
            double weightDecay, long seed, WeightDecayStyle weightDecayStyle, LearningRateSchedule schedule) {
        this(optimizer, learningRate, momentum, budget, evalEvery, weightDecay, seed, weightDecayStyle, schedule, STATIC);
    }

    /** Whether rounds train with dynamic sparse training. */
    public boolean trainsDynamically() {
        return !dynamic.equals(STATIC);
    }

    /**
     * The dynamic sparse training these settings describe, seeded with {@code seed}.
     *
     * @throws IllegalStateException without dynamic sparse training
     */
    public DynamicSparseTraining dynamicSparseTraining(long seed) {
        if (!trainsDynamically()) {
            throw new IllegalStateException("training.dynamic is none");
        }
        return DynamicSparseTraining.parse(dynamic).seed(seed).build();
    }

    /**
     * These settings with those that change nothing at their defaults (momentum of an optimizer
     * without momentum, the style of a weight decay of 0): what the canonical form hashes, so that
     * equal experiments share one folder.
     */
    TrainingHparams forHash() {
        Builder b = toBuilder();
        if (optimizer != Optimizer.MOMENTUM && optimizer != Optimizer.NESTEROV) {
            b.momentum(DEFAULTS.momentum());
        }
        if (weightDecay == 0) {
            b.weightDecayStyle(DEFAULTS.weightDecayStyle());
        }
        return b.build();
    }

    /** A builder at the defaults. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The DL4J updater these settings describe: the optimizer at the learning rate, following the
     * schedule (a constant rate gives DL4J's plain updater, such as {@code Adam(1.2e-3)}).
     *
     * @param iterationsPerEpoch to convert epochs of the budget and schedule into iterations
     */
    public IUpdater updater(long iterationsPerEpoch) {
        if (schedule.isConstant()) {
            return optimizer.updater(learningRate, momentum);
        }
        long total = budget.toIterations(iterationsPerEpoch);
        return optimizer.updater(schedule.resolve(learningRate, iterationsPerEpoch, total), momentum);
    }

    /** The weight decay on the weights, as DL4J regularizations: none at 0. */
    public List<Regularization> regularization() {
        return weightDecay > 0 ? List.of(weightDecayStyle.regularization(weightDecay)) : List.of();
    }

    /**
     * Sets every trainable layer of an initialized network to these settings before it trains: the
     * updater of {@link #updater(long)} for weights and biases, and the weight decay on the weights
     * (replacing whatever updater, weight decay or L2 the network was configured with; see
     * {@link Optimizers#apply}).
     */
    public void applyTo(Model network, long iterationsPerEpoch) {
        Optimizers.apply(network, updater(iterationsPerEpoch), regularization());
    }

    /** Named setters for {@link TrainingHparams}; {@link #build()} validates. */
    public static final class Builder {
        private Optimizer optimizer;
        private double learningRate;
        private double momentum;
        private Step budget;
        private Step evalEvery;
        private double weightDecay;
        private long seed;
        private WeightDecayStyle weightDecayStyle;
        private LearningRateSchedule schedule;
        private String dynamic;

        private Builder(TrainingHparams from) {
            optimizer = from.optimizer;
            learningRate = from.learningRate;
            momentum = from.momentum;
            budget = from.budget;
            evalEvery = from.evalEvery;
            weightDecay = from.weightDecay;
            seed = from.seed;
            weightDecayStyle = from.weightDecayStyle;
            schedule = from.schedule;
            dynamic = from.dynamic;
        }

        /** {@code none}, or SET or RigL as {@link DynamicSparseTraining#parse} reads it, such as {@code "rigl"}. */
        public Builder dynamic(String dynamic) {
            this.dynamic = dynamic;
            return this;
        }

        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** As {@link Optimizer#parse} reads it, such as {@code "Adam"}. */
        public Builder optimizer(String optimizer) {
            return optimizer(Optimizer.parse(optimizer));
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder budget(Step budget) {
            this.budget = budget;
            return this;
        }

        /** Such as {@code "160ep"} or {@code "500 it"}. */
        public Builder budget(String budget) {
            return budget(Hparams.parseLenient("training.budget", budget, Step::parse));
        }

        public Builder evalEvery(Step evalEvery) {
            this.evalEvery = evalEvery;
            return this;
        }

        /** Such as {@code "1ep"} or {@code "100it"}. */
        public Builder evalEvery(String evalEvery) {
            return evalEvery(Hparams.parseLenient("training.evalEvery", evalEvery, Step::parse));
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder weightDecayStyle(WeightDecayStyle style) {
            this.weightDecayStyle = style;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** As {@link LearningRateSchedule#parse} reads it, such as {@code "warmup(5ep)+cosine"}. */
        public Builder schedule(String schedule) {
            return schedule(LearningRateSchedule.parse(schedule));
        }

        /** @throws IllegalArgumentException naming the first bad field */
        public TrainingHparams build() {
            return new TrainingHparams(optimizer, learningRate, momentum, budget, evalEvery, weightDecay, seed,
                    weightDecayStyle, schedule, dynamic);
        }
    }
}

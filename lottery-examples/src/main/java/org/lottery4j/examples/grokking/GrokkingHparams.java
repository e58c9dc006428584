package org.lottery4j.examples.grokking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.run.RunHparams;
import org.lottery4j.run.RunIdentity;
import org.lottery4j.training.Batches;
import org.lottery4j.training.Cadence;
import org.lottery4j.training.TrainingLoop;

/**
 * Everything that decides a grokking run: the task, the model and its training. Printed, saved in
 * {@code hparams.json} and hashed over its canonical form (the fields that differ from
 * {@link #DEFAULTS}, as sorted {@code grokking.field=value} lines) to name the output folder
 * {@code grokking_<hash>}.
 *
 * <pre>{@code
 * GrokkingHparams hp = GrokkingHparams.builder().trainFraction(0.25).weightDecay(0).build();
 * hp.folderName();     // grokking_<10 hex digits>
 * ModularArithmetic.Split split = hp.task().split();
 * MultiLayerNetwork net = hp.network();
 * TrainingLoop.Result r = hp.training(net, split).build().run();
 * }</pre>
 *
 * @param p the prime modulus
 * @param operation {@code +}, {@code -} or {@code x}
 * @param trainFraction the fraction of the {@code p * p} pairs trained on
 * @param model the network
 * @param width its hidden units
 * @param learningRate Adam's learning rate
 * @param weightDecay decoupled weight decay (0 for none)
 * @param steps full-batch training steps
 * @param seed seed of the split and of the initial weights
 */
public record GrokkingHparams(int p, ModularArithmetic.Operation operation, double trainFraction, GrokkingModel model,
        int width, double learningRate, double weightDecay, long steps, long seed) implements RunHparams {

    /** Modulus 97, +, 25% of the pairs, the quadratic MLP, weight decay 1, 3,000 steps, seed 1. */
    public static final GrokkingHparams DEFAULTS = builder().build();

    /** Points recorded per power of ten of steps. */
    public static final int POINTS_PER_DECADE = 40;

    public GrokkingHparams {
        // the task checks p and the fraction with its own messages
        new ModularArithmetic(p, operation, trainFraction, seed);
        require(model != null, "grokking.model must be set");
        require(width >= 1, "grokking.width must be >= 1, got " + width);
        require(learningRate > 0 && Double.isFinite(learningRate), "grokking.learningRate must be > 0, got " + learningRate);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "grokking.weightDecay must be >= 0, got " + weightDecay);
        require(steps >= 1, "grokking.steps must be >= 1, got " + steps);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder holding the defaults; training fraction, width and learning rate follow the model unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return builder().p(p).operation(operation).trainFraction(trainFraction).model(model).width(width)
                .learningRate(learningRate).weightDecay(weightDecay).steps(steps).seed(seed);
    }

    /** The task these hyperparameters train on. */
    public ModularArithmetic task() {
        return new ModularArithmetic(p, operation, trainFraction, seed);
    }

    /** The initialized network. */
    public MultiLayerNetwork network() {
        return model.build(p, width, learningRate, weightDecay, seed);
    }

    /**
     * Full-batch training of {@code net} (this run's {@link #network()}, or a ticket of it) on the
     * split's training pairs for {@link #steps()} steps, recording {@link #POINTS_PER_DECADE} points
     * a decade: add callbacks or a stop condition, then build and run.
     */
    public TrainingLoop.Builder training(MultiLayerNetwork net, ModularArithmetic.Split split) {
        return training(net, split, model.evaluator(net, split));
    }

    /** As {@link #training(MultiLayerNetwork, ModularArithmetic.Split)}, recording with {@code evaluator}. */
    public TrainingLoop.Builder training(MultiLayerNetwork net, ModularArithmetic.Split split,
            TrainingLoop.Evaluator evaluator) {
        return TrainingLoop.builder(net).batches(Batches.fullBatch(split.train())).iterations(steps)
                .evaluate(Cadence.logSpaced(POINTS_PER_DECADE), evaluator);
    }

    /**
     * Every field as {@code grokking.field -> text} in declaration order, and the folder
     * {@code grokking_<hash>} of those that differ from {@link #DEFAULTS}.
     */
    @Override
    public RunIdentity identity() {
        return RunIdentity.of("Grokking run", "grokking", fieldTexts(), DEFAULTS.fieldTexts(), Set.of());
    }

    private Map<String, String> fieldTexts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grokking.p", Integer.toString(p));
        f.put("grokking.operation", operation.symbol());
        f.put("grokking.trainFraction", Double.toString(trainFraction));
        f.put("grokking.model", model.text());
        f.put("grokking.width", Integer.toString(width));
        f.put("grokking.learningRate", Double.toString(learningRate));
        f.put("grokking.weightDecay", Double.toString(weightDecay));
        f.put("grokking.steps", Long.toString(steps));
        f.put("grokking.seed", Long.toString(seed));
        return f;
    }

    /** Named setters; {@link #build()} validates. */
    public static final class Builder {
        private int p = 97;
        private ModularArithmetic.Operation operation = ModularArithmetic.Operation.ADD;
        private Double trainFraction;
        private GrokkingModel model = GrokkingModel.QUADRATIC;
        private Integer width;
        private Double learningRate;
        private double weightDecay = 1.0;
        private long steps = 3_000;
        private long seed = 1;

        private Builder() {}

        public Builder p(int p) {
            this.p = p;
            return this;
        }

        public Builder operation(ModularArithmetic.Operation operation) {
            this.operation = operation;
            return this;
        }

        /** The fraction of pairs trained on; {@code null} for the model's default. */
        public Builder trainFraction(Double trainFraction) {
            this.trainFraction = trainFraction;
            return this;
        }

        public Builder model(GrokkingModel model) {
            this.model = model;
            return this;
        }

        /** Hidden units; {@code null} for the model's default. */
        public Builder width(Integer width) {
            this.width = width;
            return this;
        }

        /** Adam's learning rate; {@code null} for the model's default. */
        public Builder learningRate(Double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder steps(long steps) {
            this.steps = steps;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field */
        public GrokkingHparams build() {
            GrokkingModel m = model == null ? GrokkingModel.QUADRATIC : model;
            return new GrokkingHparams(p, operation, trainFraction == null ? m.defaultTrainFraction() : trainFraction, model,
                    width == null ? m.defaultWidth() : width,
                    learningRate == null ? m.defaultLearningRate() : learningRate, weightDecay, steps, seed);
        }
    }
}

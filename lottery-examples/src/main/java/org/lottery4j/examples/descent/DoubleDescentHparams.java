package org.lottery4j.examples.descent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lottery4j.hparams.Optimizer;
import org.lottery4j.run.RunHparams;
import org.lottery4j.run.RunIdentity;

/**
 * A double-descent sweep: one-hidden-layer ReLU MLPs of several widths trained on the first
 * {@code trainExamples} bundled digits with a fraction of their labels replaced at random, to
 * (near) zero training loss, no early stopping, no weight decay. Printed, saved in
 * {@code hparams.json} and hashed over its canonical form (the fields away from their defaults)
 * to name the folder {@code double-descent_<hash>}.
 *
 * <p>The widths and seeds are not hashed: each (width, seed) run is a file of its own in the
 * folder, so a sweep widened or given more seeds later reuses the runs it already has.
 *
 * <pre>{@code
 * DoubleDescentHparams hp = DoubleDescentHparams.builder().widths(List.of(4, 16, 64, 256)).seeds(List.of(1L, 2L)).build();
 * hp.folderName();                  // double-descent_<10 hex digits>
 * hp.interpolationWidth();          // the width whose parameters equal examples x classes
 * }</pre>
 *
 * @param trainExamples the first N training digits trained on
 * @param labelNoise the fraction of their labels replaced by another class, exactly, seeded per run
 * @param hidden whether the hidden layer is trained, or kept at its random initial weights so that
 *     only the output layer learns: random ReLU features (Belkin et al. 2019, Fig. 1)
 * @param loss what the networks minimize: cross-entropy over a softmax, or the squared error of
 *     linear outputs against the one-hot labels (Belkin et al. 2019)
 * @param optimizer Adam, plain SGD (Nakkiran et al. 2019), or SGD with momentum {@link #MOMENTUM}
 *     (classical or Nesterov), at a constant rate
 * @param epochs training epochs of every width
 * @param batchSize examples per step
 * @param learningRate the optimizer's (constant) learning rate
 * @param widths hidden units of each model of the sweep (not hashed)
 * @param seeds a run per width and seed: the seed fixes the noisy labels, the initial weights and the batch order (not hashed)
 */
public record DoubleDescentHparams(int trainExamples, double labelNoise, Hidden hidden, Loss loss, Optimizer optimizer,
        int epochs, int batchSize, double learningRate, List<Integer> widths, List<Long> seeds) implements RunHparams {

    /** Whether the hidden layer learns. */
    public enum Hidden {
        /** Both layers are trained: the usual MLP. */
        TRAINED,
        /** The hidden layer keeps its random initial weights: a linear model on random ReLU features. */
        RANDOM;

        /** The command line's and {@code hparams.json}'s name: {@code trained} or {@code random}. */
        @JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The setting named {@code text}.
         *
         * @throws IllegalArgumentException naming the value and the choices
         */
        @JsonCreator
        public static Hidden of(String text) {
            return named(values(), Hidden::text, "doubleDescent.hidden", text);
        }
    }

    /** What the networks minimize. */
    public enum Loss {
        /** Cross-entropy over a softmax: the usual classifier. */
        CROSS_ENTROPY("ce"),
        /** Squared error of linear outputs against the one-hot labels, summed over the classes. */
        SQUARED("mse");

        private final String text;

        Loss(String text) {
            this.text = text;
        }

        /** The command line's and {@code hparams.json}'s name: {@code ce} or {@code mse}. */
        @JsonValue
        public String text() {
            return text;
        }

        /**
         * The loss named {@code text}.
         *
         * @throws IllegalArgumentException naming the value and the choices
         */
        @JsonCreator
        public static Loss of(String text) {
            return named(values(), Loss::text, "doubleDescent.loss", text);
        }
    }

    /**
     * The optimizer named {@code text}: {@code sgd}, {@code momentum}, {@code nesterov} or {@code adam}.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Optimizer optimizer(String text) {
        return named(Optimizer.values(), Optimizer::describe, "doubleDescent.optimizer", text);
    }

    // the command line's names, exactly
    private static <E extends Enum<E>> E named(E[] values, Function<E, String> name, String field, String text) {
        for (E e : values) {
            if (name.apply(e).equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + Arrays.stream(values).map(name)
                .collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }

    /** The momentum of the {@code momentum} and {@code nesterov} optimizers. */
    public static final double MOMENTUM = 0.9;

    /** MNIST's classes. */
    public static final int CLASSES = 10;
    /** MNIST's inputs. */
    public static final int INPUTS = 784;

    public DoubleDescentHparams {
        require(trainExamples >= 1, "doubleDescent.trainExamples must be >= 1, got " + trainExamples);
        require(labelNoise >= 0 && labelNoise < 1, "doubleDescent.labelNoise must be in [0, 1), got " + labelNoise);
        require(hidden != null, "doubleDescent.hidden must be set");
        require(loss != null, "doubleDescent.loss must be set");
        require(optimizer != null, "doubleDescent.optimizer must be set");
        require(epochs >= 1, "doubleDescent.epochs must be >= 1, got " + epochs);
        require(batchSize >= 1, "doubleDescent.batchSize must be >= 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate),
                "doubleDescent.learningRate must be > 0, got " + learningRate);
        require(widths != null && !widths.isEmpty(), "doubleDescent.widths must list at least one width");
        require(seeds != null && !seeds.isEmpty(), "doubleDescent.seeds must list at least one seed");
        widths.forEach(w -> require(w != null && w >= 1, "doubleDescent.widths: every width must be >= 1, got " + w));
        require(widths.stream().distinct().count() == widths.size(), "doubleDescent.widths lists a width twice: " + widths);
        require(seeds.stream().distinct().count() == seeds.size(), "doubleDescent.seeds lists a seed twice: " + seeds);
        widths = widths.stream().sorted().toList();
        seeds = List.copyOf(seeds);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * A builder holding the defaults: 2,000 digits, 20% noise, hidden layer trained, cross-entropy, Adam, 300 epochs of
     * 128, lr 1e-3, widths 2 to 2048, seeds 1-3.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The parameters of the MLP of {@code width} hidden units: {@code 784 w + w + 10 w + 10}. */
    public static long parameters(int width) {
        return (long) INPUTS * width + width + (long) width * CLASSES + CLASSES;
    }

    /**
     * The parameters that training changes in the MLP of {@code width} hidden units: all of them
     * ({@link #parameters}), or the output layer's {@code 10 w + 10} when the hidden layer is random.
     */
    public long trainedParameters(int width) {
        return hidden == Hidden.TRAINED ? parameters(width) : (long) width * CLASSES + CLASSES;
    }

    /** The interpolation threshold in trained parameters: examples x classes. */
    public long interpolationParameters() {
        return (long) trainExamples * CLASSES;
    }

    /**
     * The (fractional) width at which the MLP has {@link #interpolationParameters()} trained
     * parameters: {@code examples - 1} for random features.
     */
    public double interpolationWidth() {
        int perUnit = hidden == Hidden.TRAINED ? INPUTS + 1 + CLASSES : CLASSES;
        return (double) (interpolationParameters() - CLASSES) / perUnit;
    }

    /**
     * Every field as {@code doubleDescent.field -> text}, and the folder
     * {@code double-descent_<hash>} of those that differ from the builder's defaults, the widths
     * and seeds aside.
     */
    @Override
    public RunIdentity identity() {
        return RunIdentity.of("Double-descent sweep", "double-descent", fieldTexts(), DEFAULTS.fieldTexts(),
                Set.of("doubleDescent.widths", "doubleDescent.seeds"));
    }

    private static final DoubleDescentHparams DEFAULTS = builder().build();

    private Map<String, String> fieldTexts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("doubleDescent.trainExamples", Integer.toString(trainExamples));
        f.put("doubleDescent.labelNoise", Double.toString(labelNoise));
        f.put("doubleDescent.hidden", hidden.text());
        f.put("doubleDescent.loss", loss.text());
        f.put("doubleDescent.optimizer", optimizer.describe());
        f.put("doubleDescent.epochs", Integer.toString(epochs));
        f.put("doubleDescent.batchSize", Integer.toString(batchSize));
        f.put("doubleDescent.learningRate", Double.toString(learningRate));
        f.put("doubleDescent.widths", widths.toString());
        f.put("doubleDescent.seeds", seeds.toString());
        return f;
    }

    /** Named setters; {@link #build()} validates. */
    public static final class Builder {
        private int trainExamples = 2000;
        private double labelNoise = 0.2;
        private Hidden hidden = Hidden.TRAINED;
        private Loss loss = Loss.CROSS_ENTROPY;
        private Optimizer optimizer = Optimizer.ADAM;
        private int epochs = 300;
        private int batchSize = 128;
        private double learningRate = 1e-3;
        private List<Integer> widths = List.of(2, 4, 8, 16, 24, 32, 48, 64, 128, 256, 512, 1024, 2048);
        private List<Long> seeds = List.of(1L, 2L, 3L);

        private Builder() {}

        public Builder trainExamples(int trainExamples) {
            this.trainExamples = trainExamples;
            return this;
        }

        public Builder labelNoise(double labelNoise) {
            this.labelNoise = labelNoise;
            return this;
        }

        public Builder hidden(Hidden hidden) {
            this.hidden = hidden;
            return this;
        }

        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder widths(List<Integer> widths) {
            this.widths = widths;
            return this;
        }

        public Builder seeds(List<Long> seeds) {
            this.seeds = seeds;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field */
        public DoubleDescentHparams build() {
            return new DoubleDescentHparams(trainExamples, labelNoise, hidden, loss, optimizer, epochs, batchSize,
                    learningRate, widths, seeds);
        }
    }
}

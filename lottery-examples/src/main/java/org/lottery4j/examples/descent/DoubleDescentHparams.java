package org.lottery4j.examples.descent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param epochs training epochs of every width
 * @param batchSize examples per step
 * @param learningRate Adam's learning rate
 * @param widths hidden units of each model of the sweep (not hashed)
 * @param seeds a run per width and seed: the seed fixes the noisy labels, the initial weights and the batch order (not hashed)
 */
public record DoubleDescentHparams(int trainExamples, double labelNoise, int epochs, int batchSize, double learningRate,
        List<Integer> widths, List<Long> seeds) implements RunHparams {

    /** MNIST's classes. */
    public static final int CLASSES = 10;
    /** MNIST's inputs. */
    public static final int INPUTS = 784;

    public DoubleDescentHparams {
        require(trainExamples >= 1, "doubleDescent.trainExamples must be >= 1, got " + trainExamples);
        require(labelNoise >= 0 && labelNoise < 1, "doubleDescent.labelNoise must be in [0, 1), got " + labelNoise);
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

    /** A builder holding the defaults: 2,000 digits, 20% noise, 300 epochs of 128, lr 1e-3, widths 2 to 2048, seeds 1-3. */
    public static Builder builder() {
        return new Builder();
    }

    /** The parameters of the MLP of {@code width} hidden units: {@code 784 w + w + 10 w + 10}. */
    public static long parameters(int width) {
        return (long) INPUTS * width + width + (long) width * CLASSES + CLASSES;
    }

    /** The interpolation threshold in parameters: examples x classes. */
    public long interpolationParameters() {
        return (long) trainExamples * CLASSES;
    }

    /** The (fractional) width at which the MLP has {@link #interpolationParameters()} parameters. */
    public double interpolationWidth() {
        return (double) (interpolationParameters() - CLASSES) / (INPUTS + 1 + CLASSES);
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
            return new DoubleDescentHparams(trainExamples, labelNoise, epochs, batchSize, learningRate, widths, seeds);
        }
    }
}

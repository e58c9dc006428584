package org.lottery4j.hparams;

/**
 * Which data an experiment trains on, and how it is batched and split.
 *
 * <pre>{@code
 * DatasetHparams data = DatasetHparams.builder().name("mnist-10k").batchSize(60).validationExamples(1000).build();
 * DatasetHparams cifar = DatasetHparams.builder().name("cifar10").batchSize(128).augment("crop-flip").build();
 * }</pre>
 *
 * @param name the data set, as the workload knows it (such as {@code mnist-10k}); required
 * @param batchSize examples per training step; default 60
 * @param validationExamples examples held out of the training set to find the early-stopping
 *     iteration; the test set is only reported; default 0
 * @param augment the augmentation of training batches, as the workload knows it (such as
 *     {@code crop-flip}: lower-case letters, digits and dashes); default {@code none}, and
 *     {@code null} (a file written before the field) reads as it
 */
public record DatasetHparams(String name, int batchSize, int validationExamples, String augment) {

    /** The {@code augment} value of data whose training batches are used as they are. */
    public static final String NO_AUGMENTATION = "none";

    /** The values a field must differ from to enter the canonical form. */
    public static final DatasetHparams DEFAULTS = new DatasetHparams("-", 60, 0, NO_AUGMENTATION);

    public DatasetHparams {
        Hparams.require(name != null && !name.isBlank(), "dataset.name must not be empty");
        Hparams.require(batchSize >= 1, "dataset.batchSize must be >= 1, got " + batchSize);
        Hparams.require(validationExamples >= 0, "dataset.validationExamples must be >= 0, got " + validationExamples);
        augment = augment == null ? NO_AUGMENTATION : augment.strip().toLowerCase(java.util.Locale.ROOT);
        Hparams.require(augment.matches("[a-z0-9]+(-[a-z0-9]+)*"), "dataset.augment: '" + augment
                + "' is not a name of lower-case letters, digits and dashes, such as none or crop-flip");
    }

    /** Data without augmentation. */
    public DatasetHparams(String name, int batchSize, int validationExamples) {
        this(name, batchSize, validationExamples, NO_AUGMENTATION);
    }

    /** A builder at the defaults; the name must be set. */
    public static Builder builder() {
        return new Builder(null, DEFAULTS.batchSize, DEFAULTS.validationExamples, DEFAULTS.augment);
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(name, batchSize, validationExamples, augment);
    }

    /** Named setters for {@link DatasetHparams}; {@link #build()} validates. */
    public static final class Builder {
        private String name;
        private int batchSize;
        private int validationExamples;
        private String augment;

        private Builder(String name, int batchSize, int validationExamples, String augment) {
            this.name = name;
            this.batchSize = batchSize;
            this.validationExamples = validationExamples;
            this.augment = augment;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder validationExamples(int validationExamples) {
            this.validationExamples = validationExamples;
            return this;
        }

        public Builder augment(String augment) {
            this.augment = augment;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field */
        public DatasetHparams build() {
            return new DatasetHparams(name, batchSize, validationExamples, augment);
        }
    }
}

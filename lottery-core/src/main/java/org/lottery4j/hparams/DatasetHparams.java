package org.lottery4j.hparams;

/**
 * Which data an experiment trains on, and how it is batched and split.
 *
 * <pre>{@code
 * DatasetHparams data = DatasetHparams.builder().name("mnist-10k").batchSize(60).validationExamples(1000).build();
 * }</pre>
 *
 * @param name the data set, as the workload knows it (such as {@code mnist-10k}); required
 * @param batchSize examples per training step; default 60
 * @param validationExamples examples held out of the training set to find the early-stopping
 *     iteration; the test set is only reported; default 0
 */
public record DatasetHparams(String name, int batchSize, int validationExamples) {

    /** The values a field must differ from to enter the canonical form. */
    public static final DatasetHparams DEFAULTS = new DatasetHparams("-", 60, 0);

    public DatasetHparams {
        Hparams.require(name != null && !name.isBlank(), "dataset.name must not be empty");
        Hparams.require(batchSize >= 1, "dataset.batchSize must be >= 1, got " + batchSize);
        Hparams.require(validationExamples >= 0, "dataset.validationExamples must be >= 0, got " + validationExamples);
    }

    /** A builder at the defaults; the name must be set. */
    public static Builder builder() {
        return new Builder(null, DEFAULTS.batchSize, DEFAULTS.validationExamples);
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(name, batchSize, validationExamples);
    }

    /** Named setters for {@link DatasetHparams}; {@link #build()} validates. */
    public static final class Builder {
        private String name;
        private int batchSize;
        private int validationExamples;

        private Builder(String name, int batchSize, int validationExamples) {
            this.name = name;
            this.batchSize = batchSize;
            this.validationExamples = validationExamples;
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

        /** @throws IllegalArgumentException naming the first bad field */
        public DatasetHparams build() {
            return new DatasetHparams(name, batchSize, validationExamples);
        }
    }
}

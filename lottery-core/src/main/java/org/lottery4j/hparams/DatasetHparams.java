package org.lottery4j.hparams;

/**
 * Which data an experiment trains on, and how it is batched and split.
 *
 * <pre>{@code
 * DatasetHparams data = new DatasetHparams("mnist-10k", 60, 1000);
 * }</pre>
 *
 * @param name the data set, as the workload knows it (such as {@code mnist-10k})
 * @param batchSize examples per training step
 * @param validationExamples examples held out of the training set to find the early-stopping
 *     iteration; the test set is only reported
 */
public record DatasetHparams(String name, int batchSize, int validationExamples) {

    /** The values a field must differ from to enter the canonical form. */
    public static final DatasetHparams DEFAULTS = new DatasetHparams("-", 60, 0);

    public DatasetHparams {
        Hparams.require(name != null && !name.isBlank(), "dataset.name must not be empty");
        Hparams.require(batchSize >= 1, "dataset.batchSize must be >= 1, got " + batchSize);
        Hparams.require(validationExamples >= 0, "dataset.validationExamples must be >= 0, got " + validationExamples);
    }
}

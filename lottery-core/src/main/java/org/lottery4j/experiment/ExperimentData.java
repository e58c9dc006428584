package org.lottery4j.experiment;

import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The data of an experiment, held in memory: training examples, a validation split held out of
 * the training set (to find the early-stopping iteration), and the test set (only reported).
 *
 * <pre>{@code
 * ExperimentData data = ExperimentData.holdOut(trainAll, test, 1000, seed);
 * }</pre>
 *
 * @param train examples the network trains on
 * @param validation held-out examples for the validation loss
 * @param test examples only reported
 */
public record ExperimentData(DataSet train, DataSet validation, DataSet test) {

    public ExperimentData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        for (DataSet d : new DataSet[] {train, validation, test}) {
            if (d.numExamples() == 0) {
                throw new IllegalArgumentException("train, validation and test sets must not be empty (sizes "
                        + train.numExamples() + ", " + validation.numExamples() + ", " + test.numExamples() + ")");
            }
        }
        if (train.getFeatures().size(1) != test.getFeatures().size(1)
                || train.getFeatures().size(1) != validation.getFeatures().size(1)) {
            throw new IllegalArgumentException("train, validation and test examples have different feature sizes");
        }
    }

    /**
     * Splits {@code trainAll} into training and validation examples, taking a seeded random sample
     * of {@code validationExamples} for validation.
     */
    public static ExperimentData holdOut(DataSet trainAll, DataSet test, int validationExamples, long seed) {
        int n = trainAll.numExamples();
        if (validationExamples < 1 || validationExamples >= n) {
            throw new IllegalArgumentException("the validation split must hold between 1 and " + (n - 1)
                    + " of the " + n + " training examples, got " + validationExamples);
        }
        int[] order = shuffled(n, new Random(seed));
        int[] val = java.util.Arrays.copyOfRange(order, 0, validationExamples);
        int[] rest = java.util.Arrays.copyOfRange(order, validationExamples, n);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(rest);
        return new ExperimentData(rows(trainAll, rest), rows(trainAll, val), test);
    }

    static DataSet rows(DataSet d, int[] rows) {
        return new DataSet(d.getFeatures().getRows(rows), d.getLabels().getRows(rows));
    }

    /** A permutation of {@code 0..n-1} (Fisher-Yates), fixed by {@code random}'s seed. */
    public static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

package org.lottery4j.experiment;

import java.util.Objects;
import java.util.Random;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.training.BatchAugmentation;
import org.lottery4j.training.Batches;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The data of an experiment, held in memory: training examples, a validation split held out of
 * the training set (to find the early-stopping iteration), and the test set (only reported). The
 * lottery experiment needs the validation split; an experiment that never stops early (N:M
 * pruning and fine-tuning, {@link NmExperiment}) can do without one.
 *
 * <pre>{@code
 * ExperimentData data = ExperimentData.holdOut(trainAll, test, 1000, seed);
 * ExperimentData noSplit = ExperimentData.holdOut(trainAll, test, 0, seed);   // validation() is null
 * ExperimentData augmented = data.withAugmentation(cropFlip);   // with dataset.augment=crop-flip
 * }</pre>
 *
 * @param train examples the network trains on
 * @param validation held-out examples for the validation loss, or {@code null} when none are held out
 * @param test examples only reported
 * @param augmentation applied to every training batch, or {@code null} for none
 */
public record ExperimentData(DataSet train, DataSet validation, DataSet test, BatchAugmentation augmentation) {

    public ExperimentData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.numExamples() == 0 || test.numExamples() == 0
                || (validation != null && validation.numExamples() == 0)) {
            throw new IllegalArgumentException("train, validation and test sets must not be empty (sizes "
                    + train.numExamples() + ", " + (validation == null ? "none" : validation.numExamples()) + ", "
                    + test.numExamples() + "); leave out the validation set instead of passing an empty one");
        }
        if (train.getFeatures().size(1) != test.getFeatures().size(1)
                || (validation != null && train.getFeatures().size(1) != validation.getFeatures().size(1))) {
            throw new IllegalArgumentException("train, validation and test examples have different feature sizes");
        }
    }

    /** Data whose training batches are not augmented. */
    public ExperimentData(DataSet train, DataSet validation, DataSet test) {
        this(train, validation, test, null);
    }

    /** The same examples, with {@code augmentation} applied to every training batch ({@code null}: none). */
    public ExperimentData withAugmentation(BatchAugmentation augmentation) {
        return new ExperimentData(train, validation, test, augmentation);
    }

    /**
     * This data, if it augments exactly when {@code augment} (the {@code dataset.augment}
     * hyperparameter) names an augmentation: augmenting changes results, so the run's hash must
     * say so, and an augmentation named but not applied would be a silent mistake.
     *
     * @throws IllegalArgumentException if they disagree
     */
    ExperimentData requireAugmentation(String augment) {
        boolean named = !DatasetHparams.NO_AUGMENTATION.equals(augment);
        if (named && augmentation == null) {
            throw new IllegalArgumentException("dataset.augment is " + augment
                    + " but the workload's data does not augment its training batches");
        }
        if (!named && augmentation != null) {
            throw new IllegalArgumentException("the workload's data augments its training batches but dataset.augment is "
                    + augment + ": name the augmentation there, since it changes the results");
        }
        return this;
    }

    /** Whether examples are held out for validation. */
    public boolean hasValidation() {
        return validation != null;
    }

    /**
     * Splits {@code trainAll} into training and validation examples, taking a seeded random sample
     * of {@code validationExamples} for validation; with 0, every example trains and there is no
     * validation set.
     */
    public static ExperimentData holdOut(DataSet trainAll, DataSet test, int validationExamples, long seed) {
        int n = trainAll.numExamples();
        if (validationExamples == 0) {
            return new ExperimentData(trainAll, null, test);
        }
        if (validationExamples < 0 || validationExamples >= n) {
            throw new IllegalArgumentException("the validation split must hold between 0 and " + (n - 1)
                    + " of the " + n + " training examples, got " + validationExamples);
        }
        int[] order = Batches.permutation(n, new Random(seed));
        int[] val = java.util.Arrays.copyOfRange(order, 0, validationExamples);
        int[] rest = java.util.Arrays.copyOfRange(order, validationExamples, n);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(rest);
        return new ExperimentData(rows(trainAll, rest), rows(trainAll, val), test);
    }

    static DataSet rows(DataSet d, int[] rows) {
        return new DataSet(d.getFeatures().getRows(rows), d.getLabels().getRows(rows));
    }
}

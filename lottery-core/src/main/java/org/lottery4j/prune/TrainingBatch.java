package org.lottery4j.prune;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The examples a data-driven pruning method (SNIP, GraSP) scores on: {@code batch} of the
 * training set's examples drawn without replacement by a seeded shuffle (all of them when there
 * are fewer), in the order drawn, so the same data and seed give the same batch.
 */
final class TrainingBatch {

    private TrainingBatch() {}

    static DataSet choose(DataSet train, int batch, long seed) {
        if (train == null || train.getFeatures() == null || train.getLabels() == null) {
            throw new IllegalArgumentException("training data for pruning must have features and labels, got " + train);
        }
        int n = train.numExamples();
        if (n == 0) {
            throw new IllegalArgumentException("training data for pruning has no examples");
        }
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        int take = Math.min(batch, n);
        for (int i = 0; i < take; i++) { // the first take steps of a Fisher-Yates shuffle
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        DataSet chosen = train.get(Arrays.copyOf(order, take));
        // detached from the training set's arrays: a later change to them does not change the batch
        return new DataSet(chosen.getFeatures().dup(), chosen.getLabels().dup(),
                chosen.getFeaturesMaskArray() == null ? null : chosen.getFeaturesMaskArray().dup(),
                chosen.getLabelsMaskArray() == null ? null : chosen.getLabelsMaskArray().dup());
    }

    /** The batch, or the error saying how to give a method its data. */
    static DataSet require(DataSet batch, String method) {
        if (batch == null) {
            throw new IllegalStateException(method + " scores weights from gradients on training data and has none: "
                    + "call withTrainingData(train, seed) on the method before pruning with it");
        }
        return batch;
    }
}

package org.lottery4j.prune;

import org.lottery4j.network.NetworkView;
import org.nd4j.linalg.dataset.DataSet;

/**
 * SNIP (Lee, Ajanthan and Torr, 2019): importance = |w x dL/dw|, the connection sensitivity, with
 * L the network's own loss (mean over the batch) on a seeded batch of training examples, computed
 * in double precision on a copy of the network in training mode (batch norm uses the batch's
 * statistics) without dropout.
 */
final class SnipPruning extends ScoredInPrepare {

    private final int batch;
    private final DataSet examples; // the chosen batch, or null before withTrainingData

    SnipPruning(int batch, DataSet examples) {
        if (batch < 1) {
            throw new IllegalArgumentException("snip batch must be at least 1, got " + batch);
        }
        this.batch = batch;
        this.examples = examples;
    }

    @Override
    public PruningMethod withTrainingData(DataSet train, long seed) {
        return new SnipPruning(batch, TrainingBatch.choose(train, batch, seed));
    }

    @Override
    public boolean needsTrainingData() {
        return true;
    }

    @Override
    public PruningMethod prepare(NetworkView network) {
        DataSet b = TrainingBatch.require(examples, describe());
        WorkingCopy copy = WorkingCopy.of(network);
        double[] w = copy.params();
        double[] g = copy.gradient(b);
        double[] s = new double[w.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.abs(w[i] * g[i]);
        }
        return new PrecomputedScores(describe(), copy.split(s));
    }

    @Override
    public String describe() {
        return "snip(batch=" + batch + ")";
    }
}

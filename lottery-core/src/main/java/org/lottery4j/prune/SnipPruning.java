package org.lottery4j.prune;

import org.lottery4j.network.NetworkView;
import org.nd4j.linalg.dataset.DataSet;

/**
 * SNIP (Lee, Ajanthan and Torr, 2019): importance = |w x dL/dw|, the connection sensitivity, with
 * L the network's own loss (mean over the batch) on a seeded batch of training examples, computed
 * in double precision on a copy of the network in training mode (batch norm uses the batch's
 * statistics) without dropout.
 */
final class SnipPruning extends ScoredOnABatch {

    SnipPruning(int batch, DataSet examples) {
        super("snip", batch, examples);
    }

    @Override
    PruningMethod withBatch(DataSet chosen) {
        return new SnipPruning(batch, chosen);
    }

    @Override
    public PruningMethod prepare(NetworkView network) {
        DataSet b = examples();
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

package org.lottery4j.prune;

import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Another method's scores negated, so its most important weights go first: the inverted-score
 * control of Frankle et al. (2021). Everything else (preparation, data, iterations) is the other
 * method's.
 */
final class InvertedPruning implements PruningMethod {

    private final PruningMethod inner;

    InvertedPruning(PruningMethod inner) {
        this.inner = inner;
    }

    @Override
    public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
        inner.score(param, from, weights, scores, count);
        for (int j = 0; j < count; j++) {
            scores[j] = -scores[j];
        }
    }

    @Override
    public PruningMethod prepare(NetworkView network) {
        return new InvertedPruning(inner.prepare(network));
    }

    @Override
    public PruningMethod prepare(NetworkView network, MaskSet current) {
        return new InvertedPruning(inner.prepare(network, current));
    }

    @Override
    public PruningMethod withTrainingData(DataSet train, long seed) {
        return new InvertedPruning(inner.withTrainingData(train, seed));
    }

    @Override
    public boolean needsTrainingData() {
        return inner.needsTrainingData();
    }

    @Override
    public int iterations() {
        return inner.iterations();
    }

    @Override
    public String describe() {
        return "inverted(" + inner.describe() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvertedPruning i && i.inner.equals(inner);
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}

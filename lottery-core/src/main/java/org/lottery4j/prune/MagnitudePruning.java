package org.lottery4j.prune;

import org.lottery4j.network.ParamKey;

/** Importance = |w|. {@link Pruner} reads magnitudes straight from the weights' IEEE bits instead. */
final class MagnitudePruning implements PruningMethod {

    static final MagnitudePruning INSTANCE = new MagnitudePruning();

    private MagnitudePruning() {}

    @Override
    public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
        for (int j = 0; j < count; j++) {
            scores[j] = Math.abs(weights[j]);
        }
    }

    @Override
    public boolean ranksByMagnitude() {
        return true;
    }

    @Override
    public String describe() {
        return "magnitude";
    }

    @Override
    public String toString() {
        return describe();
    }
}

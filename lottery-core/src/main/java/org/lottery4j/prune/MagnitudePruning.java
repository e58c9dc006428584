package org.lottery4j.prune;

import org.lottery4j.mask.ParamKey;

/** Importance = |w|. */
final class MagnitudePruning implements PruningMethod {

    static final MagnitudePruning INSTANCE = new MagnitudePruning();

    private MagnitudePruning() {}

    @Override
    public float[] importance(ParamKey key, float[] weights) {
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.abs(weights[i]); // in place: the caller hands the array over
        }
        return weights;
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

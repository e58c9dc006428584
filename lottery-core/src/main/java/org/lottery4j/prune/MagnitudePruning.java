package org.lottery4j.prune;

import org.lottery4j.mask.ParamKey;

/** Importance = |w|. */
final class MagnitudePruning implements PruningMethod {

    static final MagnitudePruning INSTANCE = new MagnitudePruning();

    private MagnitudePruning() {}

    @Override
    public float[] importance(ParamKey key, float[] weights) {
        float[] out = new float[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = Math.abs(weights[i]);
        }
        return out;
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

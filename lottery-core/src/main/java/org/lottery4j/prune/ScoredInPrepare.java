package org.lottery4j.prune;

import org.lottery4j.network.ParamKey;

/**
 * A method whose scores come from running the network (SNIP, GraSP, SynFlow): only the method
 * {@link #prepare} returns scores, this one never does. Two such methods are equal when their
 * descriptions are: the training data they were given is not a hyperparameter.
 */
abstract class ScoredInPrepare implements PruningMethod {

    @Override
    public final void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
        throw new IllegalStateException(describe() + " scores by running the network: call prepare(network) first");
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((PruningMethod) o).describe().equals(describe());
    }

    @Override
    public final int hashCode() {
        return describe().hashCode();
    }

    @Override
    public final String toString() {
        return describe();
    }
}

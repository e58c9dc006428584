package org.lottery4j.dynamic;

/**
 * Which pruned weights dynamic sparse training grows back after it drops the smallest kept ones.
 *
 * <pre>{@code
 * DynamicSparseTraining set = DynamicSparseTraining.builder(Regrowth.SET).seed(seed).build();
 * }</pre>
 */
public enum Regrowth {
    /** Sparse Evolutionary Training (Mocanu et al. 2018): uniformly at random, seeded. */
    SET,
    /**
     * Rigged Lottery (Evci et al. 2020): those with the largest magnitude of the dense gradient,
     * the loss's gradient on one batch with respect to every weight, pruned ones included.
     */
    RIGL
}

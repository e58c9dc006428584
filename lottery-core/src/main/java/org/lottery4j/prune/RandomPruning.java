package org.lottery4j.prune;

import java.nio.charset.StandardCharsets;
import org.lottery4j.network.ParamKey;

/**
 * Importance = a uniform random number per weight, from a stream fixed by the seed and the
 * parameter's key ({@code SplittableRandom}'s, element i taking the i-th number). The scores are
 * the same in every round, so iterative random pruning removes a random permutation's next
 * weights: masks still only shrink.
 */
final class RandomPruning implements PruningMethod {

    private final long seed;

    RandomPruning(long seed) {
        this.seed = seed;
    }

    @Override
    public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
        long start = seed ^ stableHash(param.toString());
        for (int j = 0; j < count; j++) {
            scores[j] = (float) nth(start, from + j);
        }
    }

    /**
     * The {@code i}-th {@code nextDouble()} of {@code new SplittableRandom(seed)}, computed directly
     * (its state after i + 1 steps is seed + (i + 1) x gamma), so that any chunk of a parameter is
     * scored without drawing the numbers before it: element i's score is the same in every round
     * and whatever the chunks, and masks only shrink.
     */
    static double nth(long seed, long i) {
        long z = seed + (i + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    // FNV-1a over UTF-8: stable across JVMs, unlike identity hashes.
    private static long stableHash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public String describe() {
        return "random(seed=" + seed + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RandomPruning r && r.seed == seed;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return describe();
    }
}

package org.lottery4j.prune;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.lottery4j.mask.ParamKey;

/**
 * Importance = a uniform random number per weight, from a stream fixed by the seed and the
 * parameter's key. The scores are the same in every round, so iterative random pruning removes a
 * random permutation's next weights: masks still only shrink.
 */
final class RandomPruning implements PruningMethod {

    private final long seed;

    RandomPruning(long seed) {
        this.seed = seed;
    }

    @Override
    public float[] importance(ParamKey key, float[] weights) {
        SplittableRandom random = new SplittableRandom(seed ^ stableHash(key.toString()));
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextDouble(); // in place: the caller hands the array over
        }
        return weights;
    }

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

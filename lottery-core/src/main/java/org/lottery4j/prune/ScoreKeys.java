package org.lottery4j.prune;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.lottery4j.network.ParamKey;

/**
 * One parameter's importance scores as int keys whose signed order is the scores' order, read a
 * chunk at a time, so that the selection never needs every score in memory at once. Scores a
 * method computed come from a {@code float[]}; magnitudes are read straight from the network's
 * native buffer, where the key of |w| is w's IEEE bits without the sign: no copy of the weights,
 * no score array, and one pass that also rejects non-finite weights.
 */
abstract class ScoreKeys {

    /** Number of elements. */
    abstract int length();

    /**
     * The keys of elements {@code [from, from + count)}, into {@code dst[0, count)}; {@code kept}
     * holds the mask's words, and a score that cannot be ranked is an error only where it is kept.
     */
    abstract void read(int from, int[] dst, int count, long[] kept);

    /** The key of one element. */
    abstract int key(int i);

    /** Keys of computed scores; a NaN score cannot be ranked and is named by its element. */
    static ScoreKeys of(float[] scores) {
        return new Computed(scores);
    }

    /**
     * Keys of a method's scores of the weights of {@code key}, read a chunk at a time from
     * {@code weights} (a parameter's live values, or a copy): no score array of the whole parameter.
     */
    static ScoreKeys scoredBy(PruningMethod method, ParamKey key, FloatBuffer weights) {
        return new Scored(method, key, weights);
    }

    /** Keys of |w| for the weights of {@code key}, read from {@code bits} (a parameter's live values as IEEE bits). */
    static ScoreKeys magnitudeOf(ParamKey key, IntBuffer bits) {
        return new Magnitudes(key, bits);
    }

    /**
     * An int whose signed order is the scores' order: the IEEE bits with negatives' magnitude bits
     * flipped; -0.0 counts as 0.0 so they tie.
     */
    static int key(float score, int i) {
        if (score != score) {
            throw nan(i);
        }
        int bits = Float.floatToRawIntBits(score + 0.0f);
        return bits >= 0 ? bits : bits ^ 0x7FFF_FFFF;
    }

    /**
     * The keys of {@code scores[at, at + count)}, the scores of elements {@code [from, from + count)},
     * into {@code dst}; a NaN score is an error only where the element is kept.
     */
    static void toKeys(float[] scores, int at, int from, int[] dst, int count, long[] kept) {
        for (int j = 0; j < count; j++) {
            int i = from + j;
            float score = scores[at + j];
            if (score != score && (kept[i >>> 6] & (1L << i)) != 0) {
                throw nan(i);
            }
            dst[j] = score != score ? 0 : key(score, i); // a pruned element's key is never used
        }
    }

    /** The error for a weight that cannot be ranked. */
    static IllegalArgumentException nonFinite(ParamKey param, float weight, long i) {
        return new IllegalArgumentException("parameter " + param + " holds a non-finite weight (" + weight
                + ") at element " + i + ": weights must be finite to be ranked (did training diverge?)");
    }

    // out of line, so that key() stays small enough to inline into the loops
    private static IllegalArgumentException nan(int i) {
        return new IllegalArgumentException("importance score of element " + i + " is NaN");
    }

    private static final class Computed extends ScoreKeys {
        private final float[] scores;

        Computed(float[] scores) {
            this.scores = scores;
        }

        @Override
        int length() {
            return scores.length;
        }

        @Override
        void read(int from, int[] dst, int count, long[] kept) {
            toKeys(scores, from, from, dst, count, kept);
        }

        @Override
        int key(int i) {
            return key(scores[i], i);
        }
    }

    private static final class Scored extends ScoreKeys {
        // scratch per thread: parts of one parameter are read by several threads at once
        private static final ThreadLocal<float[][]> SCRATCH =
                ThreadLocal.withInitial(() -> new float[][] {new float[LowestImportance.CHUNK], new float[LowestImportance.CHUNK]});
        private final PruningMethod method;
        private final ParamKey param;
        private final FloatBuffer weights;

        Scored(PruningMethod method, ParamKey param, FloatBuffer weights) {
            this.method = method;
            this.param = param;
            this.weights = weights;
        }

        @Override
        int length() {
            return weights.limit();
        }

        @Override
        void read(int from, int[] dst, int count, long[] kept) {
            float[][] scratch = SCRATCH.get();
            if (scratch[0].length < count) {
                scratch = new float[][] {new float[count], new float[count]};
                SCRATCH.set(scratch);
            }
            float[] w = scratch[0];
            float[] scores = scratch[1];
            weights.get(from, w, 0, count); // absolute: thread-safe on a shared buffer
            for (int j = 0; j < count; j++) {
                if (!Float.isFinite(w[j])) {
                    throw nonFinite(param, w[j], from + j);
                }
            }
            method.score(param, from, w, scores, count);
            toKeys(scores, 0, from, dst, count, kept);
        }

        @Override
        int key(int i) {
            float[] one = new float[1];
            float[] w = {weights.get(i)};
            if (!Float.isFinite(w[0])) {
                throw nonFinite(param, w[0], i);
            }
            method.score(param, i, w, one, 1);
            return key(one[0], i);
        }
    }

    private static final class Magnitudes extends ScoreKeys {
        private static final int FINITE_MAX = 0x7F7F_FFFF; // bits of Float.MAX_VALUE
        private final ParamKey param;
        private final IntBuffer bits;

        Magnitudes(ParamKey param, IntBuffer bits) {
            this.param = param;
            this.bits = bits;
        }

        @Override
        int length() {
            return bits.limit();
        }

        @Override
        void read(int from, int[] dst, int count, long[] kept) {
            bits.get(from, dst, 0, count); // absolute: parts of one parameter are read by several threads
            int over = 0;
            for (int j = 0; j < count; j++) {
                int k = dst[j] & 0x7FFF_FFFF; // the bits of |w|
                dst[j] = k;
                over |= FINITE_MAX - k; // negative once any weight is infinite or NaN
            }
            if (over < 0) {
                for (int j = 0; j < count; j++) {
                    key(from + j);
                }
            }
        }

        @Override
        int key(int i) {
            int k = bits.get(i) & 0x7FFF_FFFF;
            if (k > FINITE_MAX) {
                throw nonFinite(param, Float.intBitsToFloat(bits.get(i)), i);
            }
            return k;
        }
    }
}

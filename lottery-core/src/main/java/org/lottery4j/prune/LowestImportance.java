package org.lottery4j.prune;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.lottery4j.mask.Mask;

/**
 * The shared selection of unstructured pruning: remove exactly {@code round(fraction x surviving)}
 * surviving elements of lowest importance, ties broken by position (lower first). Several
 * parameters ranked together (global scope) are treated as one array in the order given.
 *
 * <p>No sort and no copy of the scores. Each score maps to an int key with the same order. Large
 * inputs take one streaming pass: a seeded sample of the keys brackets the cut-off, the pass
 * removes every survivor below the bracket and collects the few inside it, and the exact cut-off
 * and its ties are resolved among those (a bracket that misses, which the checks catch, falls back
 * to the exact path). Small inputs, and that fallback, take two passes of radix selection: a
 * histogram of the keys' top 16 bits finds the cut-off's bucket, then the bucket's elements are
 * collected. Pruned elements are skipped a 64-bit mask word at a time.
 */
final class LowestImportance {

    private static final int BUCKETS = 1 << 16;
    /** Below this many survivors the two exact passes cost less than sampling. */
    private static final long SAMPLED_FROM = 1 << 20;
    private static final int SAMPLE = 1 << 16;

    private LowestImportance() {}

    static Mask prune(float[] importance, Mask previous, double fraction) {
        return prune(new float[][] {importance}, new Mask[] {previous}, fraction)[0];
    }

    static Mask[] prune(float[][] importance, Mask[] previous, double fraction) {
        Fractions.check(fraction, "");
        long[][] words = new long[previous.length][];
        long surviving = 0;
        for (int s = 0; s < previous.length; s++) {
            if (importance[s].length != previous[s].length()) {
                throw new IllegalArgumentException("got " + importance[s].length + " importance scores for a mask of "
                        + previous[s].length() + " elements");
            }
            words[s] = previous[s].toWords();
            surviving += previous[s].countKept();
        }
        long toRemove = Math.round(fraction * surviving);
        if (toRemove == 0) {
            return previous.clone();
        }
        if (surviving < SAMPLED_FROM || !bracketed(importance, words, surviving, toRemove)) {
            for (int s = 0; s < words.length; s++) {
                words[s] = previous[s].toWords(); // a bracket that missed may have removed some
            }
            radix(importance, words, toRemove);
        }
        Mask[] out = new Mask[previous.length];
        for (int s = 0; s < out.length; s++) {
            out[s] = Mask.fromWords(previous[s].shape(), words[s]);
        }
        return out;
    }

    /** One pass with a sampled bracket; false (words partly changed) if the bracket missed the cut-off. */
    private static boolean bracketed(float[][] importance, long[][] words, long surviving, long toRemove) {
        int[] sample = sample(importance, words);
        if (sample.length < 1024) {
            return false; // too sparse to sample well
        }
        Arrays.sort(sample);
        double q = (double) toRemove / surviving;
        int at = (int) (q * sample.length);
        int margin = (int) (5 * Math.sqrt(sample.length * q * (1 - q))) + 16; // 5 sigma: misses are rare
        int lo = at - margin <= 0 ? Integer.MIN_VALUE : sample[at - margin];
        int hi = at + margin >= sample.length - 1 ? Integer.MAX_VALUE : sample[at + margin];
        Candidates candidates = new Candidates(2 * (long) ((double) (2 * margin) / sample.length * surviving) + 1024);
        long below = 0;
        for (int s = 0; s < words.length; s++) {
            long removed = candidates.collect(importance[s], words[s], s, lo, hi);
            if (removed < 0) {
                return false; // far more inside the bracket than the sample said
            }
            below += removed;
        }
        if (below > toRemove || below + candidates.size < toRemove) {
            return false;
        }
        candidates.removeLowest(toRemove - below, words);
        return true;
    }

    /** Keys of up to {@link #SAMPLE} survivors at seeded random positions. */
    private static int[] sample(float[][] importance, long[][] words) {
        long total = 0;
        for (float[] scores : importance) {
            total += scores.length;
        }
        SplittableRandom random = new SplittableRandom(0x5eed);
        int[] sample = new int[SAMPLE];
        int n = 0;
        for (int tries = 0; tries < 4 * SAMPLE && n < SAMPLE; tries++) {
            long p = random.nextLong(total);
            int s = 0;
            while (p >= importance[s].length) {
                p -= importance[s++].length;
            }
            int i = (int) p;
            if ((words[s][i >>> 6] & (1L << i)) != 0) {
                sample[n++] = key(importance[s][i], i);
            }
        }
        return Arrays.copyOf(sample, n);
    }

    /** Two exact passes: a histogram of the keys' top 16 bits, then the cut-off bucket's elements. */
    private static void radix(float[][] importance, long[][] words, long toRemove) {
        long[] histogram = new long[BUCKETS];
        for (int s = 0; s < words.length; s++) {
            float[] scores = importance[s];
            long[] w = words[s];
            for (int k = 0; k < w.length; k++) {
                for (long bits = w[k]; bits != 0; bits &= bits - 1) {
                    int i = (k << 6) | Long.numberOfTrailingZeros(bits);
                    histogram[(key(scores[i], i) >>> 16) ^ 0x8000]++;
                }
            }
        }
        int bucket = 0;
        long below = 0;
        while (below + histogram[bucket] < toRemove) {
            below += histogram[bucket++];
        }
        Candidates candidates = new Candidates(histogram[bucket]);
        int lo = (bucket ^ 0x8000) << 16;
        int hi = lo | 0xFFFF;
        for (int s = 0; s < words.length; s++) {
            candidates.collect(importance[s], words[s], s, lo, hi);
        }
        candidates.removeLowest(toRemove - below, words);
    }

    /**
     * An int whose signed order is the scores' order: the IEEE bits with negatives' magnitude bits
     * flipped; -0.0 counts as 0.0 so they tie. NaN cannot be ranked.
     */
    private static int key(float score, int i) {
        if (score != score) {
            throw nan(i);
        }
        int bits = Float.floatToRawIntBits(score + 0.0f);
        return bits >= 0 ? bits : bits ^ 0x7FFF_FFFF;
    }

    // out of line, so that key() stays small enough to inline into the hot loops
    private static IllegalArgumentException nan(int i) {
        return new IllegalArgumentException("importance score of element " + i + " is NaN");
    }

    /** Elements near the cut-off, in position order, with their keys. */
    private static final class Candidates {
        private final long[] where; // segment << 32 | index
        private final int[] keys;
        private int size;

        Candidates(long capacity) {
            int c = (int) Math.min(capacity + 64, Integer.MAX_VALUE - 8); // + a word's worth of slack
            where = new long[c];
            keys = new int[c];
        }

        /**
         * One pass over a segment's survivors: removes those with keys below {@code lo} from
         * {@code w} and collects those in {@code [lo, hi]}. Returns how many it removed, or -1 when
         * the candidates would not fit. Branch-free: every survivor is written at {@code size},
         * which only advances for the ones inside, so the loop has no call and no rare branch.
         */
        long collect(float[] scores, long[] w, int segment, int lo, int hi) {
            long[] where = this.where;
            int[] keys = this.keys;
            int n = size;
            int limit = keys.length - 64;
            long removed = 0;
            long base = (long) segment << 32;
            for (int k = 0; k < w.length; k++) {
                long remove = 0;
                for (long bits = w[k]; bits != 0; bits &= bits - 1) {
                    int bit = Long.numberOfTrailingZeros(bits);
                    int i = (k << 6) | bit;
                    int key = key(scores[i], i);
                    remove |= (((long) key - lo) >>> 63) << bit;
                    where[n] = base | i;
                    keys[n] = key;
                    n += (int) (((((long) key - lo) | ((long) hi - key)) >>> 63) ^ 1);
                }
                removed += Long.bitCount(remove);
                w[k] &= ~remove;
                if (n > limit) {
                    size = n;
                    return -1;
                }
            }
            size = n;
            return removed;
        }

        /** Removes the {@code count} lowest keys (ties in position order) from {@code words}. */
        void removeLowest(long count, long[][] words) {
            // the count-th lowest key, by a histogram of the top 16 bits, then of the low 16 in its bucket
            long[] histogram = new long[BUCKETS];
            for (int c = 0; c < size; c++) {
                histogram[(keys[c] >>> 16) ^ 0x8000]++;
            }
            int high = 0;
            long below = 0;
            while (below + histogram[high] < count) {
                below += histogram[high++];
            }
            Arrays.fill(histogram, 0);
            for (int c = 0; c < size; c++) {
                if (((keys[c] >>> 16) ^ 0x8000) == high) {
                    histogram[keys[c] & 0xFFFF]++;
                }
            }
            int low = 0;
            while (below + histogram[low] < count) {
                below += histogram[low++];
            }
            int cutoff = ((high ^ 0x8000) << 16) | low;
            long ties = count - below;
            for (int c = 0; c < size; c++) {
                if (keys[c] < cutoff || (keys[c] == cutoff && ties-- > 0)) {
                    int s = (int) (where[c] >>> 32);
                    int i = (int) where[c];
                    words[s][i >>> 6] &= ~(1L << i);
                }
            }
        }
    }
}

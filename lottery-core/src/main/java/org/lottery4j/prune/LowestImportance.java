package org.lottery4j.prune;

import org.lottery4j.mask.Mask;

/**
 * The shared selection of unstructured pruning: remove exactly {@code round(fraction x surviving)}
 * surviving elements of lowest importance, ties broken by position (lower first). Several
 * parameters ranked together (global scope) are treated as one array in the order given.
 *
 * <p>Two streaming passes over the surviving scores, no sort and no copy of the scores: a radix
 * selection maps each score to an int with the same order, counts the top 16 bits in a histogram
 * (pass 1), then removes everything in lower buckets while collecting the few elements of the
 * cut-off bucket (pass 2), among which the exact cut-off and its ties are resolved. Pruned
 * elements are skipped a 64-bit mask word at a time.
 */
final class LowestImportance {

    private static final int BUCKETS = 1 << 16;

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
        // pass 1: histogram of the top 16 bits of every surviving score
        long[] histogram = new long[BUCKETS];
        for (int s = 0; s < words.length; s++) {
            float[] scores = importance[s];
            long[] w = words[s];
            for (int k = 0; k < w.length; k++) {
                for (long bits = w[k]; bits != 0; bits &= bits - 1) {
                    int i = (k << 6) | Long.numberOfTrailingZeros(bits);
                    histogram[key(scores[i], i) >>> 16]++;
                }
            }
        }
        int bucket = 0;
        long below = 0;
        while (below + histogram[bucket] < toRemove) {
            below += histogram[bucket++];
        }
        // pass 2: remove every score in a lower bucket; collect the cut-off bucket's, in order
        Candidates candidates = new Candidates(histogram[bucket]);
        for (int s = 0; s < words.length; s++) {
            float[] scores = importance[s];
            long[] w = words[s];
            for (int k = 0; k < w.length; k++) {
                long remove = 0;
                for (long bits = w[k]; bits != 0; bits &= bits - 1) {
                    int bit = Long.numberOfTrailingZeros(bits);
                    int i = (k << 6) | bit;
                    int key = key(scores[i], i);
                    if (key >>> 16 < bucket) {
                        remove |= 1L << bit;
                    } else if (key >>> 16 == bucket) {
                        candidates.add(s, i, key & 0xFFFF);
                    }
                }
                w[k] &= ~remove;
            }
        }
        candidates.removeLowest(toRemove - below, words);
        Mask[] out = new Mask[previous.length];
        for (int s = 0; s < out.length; s++) {
            out[s] = Mask.fromWords(previous[s].shape(), words[s]);
        }
        return out;
    }

    /**
     * An int whose unsigned order is the scores' order: the IEEE bits with negatives flipped, so
     * that unsigned comparison sorts them; -0.0 counts as 0.0 so they tie.
     */
    private static int key(float score, int i) {
        if (score != score) {
            throw new IllegalArgumentException("importance score of element " + i + " is NaN");
        }
        int bits = Float.floatToRawIntBits(score + 0.0f);
        return bits >= 0 ? bits ^ 0x8000_0000 : ~bits;
    }

    /** The elements of the cut-off bucket, in position order, with the low 16 bits of their keys. */
    private static final class Candidates {
        private long[] where; // segment << 32 | index
        private char[] low;
        private int size;

        Candidates(long expected) {
            int capacity = (int) Math.min(expected, Integer.MAX_VALUE - 8);
            where = new long[capacity];
            low = new char[capacity];
        }

        void add(int segment, int index, int lowBits) {
            where[size] = ((long) segment << 32) | index;
            low[size++] = (char) lowBits;
        }

        /** Removes the {@code count} lowest (ties in position order) from {@code words}. */
        void removeLowest(long count, long[][] words) {
            long[] histogram = new long[BUCKETS];
            for (int c = 0; c < size; c++) {
                histogram[low[c]]++;
            }
            int cutoff = 0;
            long below = 0;
            while (below + histogram[cutoff] < count) {
                below += histogram[cutoff++];
            }
            long ties = count - below;
            for (int c = 0; c < size; c++) {
                if (low[c] < cutoff || (low[c] == cutoff && ties-- > 0)) {
                    int s = (int) (where[c] >>> 32);
                    int i = (int) where[c];
                    words[s][i >>> 6] &= ~(1L << i);
                }
            }
        }
    }
}

package org.lottery4j.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.lottery4j.mask.Mask;

/**
 * The shared selection of unstructured pruning: remove exactly {@code round(fraction x surviving)}
 * surviving elements of lowest importance, ties broken by position (lower first). Several
 * parameters ranked together (global scope) are treated as one array in the order given.
 *
 * <p>No sort and no copy of the scores: they arrive as int keys with the same order
 * ({@link ScoreKeys}), a chunk at a time. Large inputs take one streaming pass: a seeded sample of
 * the keys brackets the cut-off, the pass removes every survivor below the bracket and collects
 * the few inside it, and the exact cut-off and its ties are resolved among those (a bracket that
 * misses, which the checks catch, falls back to the exact path). Small inputs, and that fallback,
 * take two passes of radix selection: a histogram of the keys' top 16 bits finds the cut-off's
 * bucket, then the bucket's elements are collected. Both passes work on 64 elements per mask word
 * without a data-dependent branch, and skip words whose elements are all pruned.
 */
final class LowestImportance {

    private static final int BUCKETS = 1 << 16;
    /** Below this many survivors the two exact passes cost less than sampling. */
    private static final long SAMPLED_FROM = 1 << 20;
    private static final int SAMPLE = 1 << 16;
    /** Keys read per chunk: a multiple of 64 that stays in the first-level cache. */
    static final int CHUNK = 4096;
    /** Elements per part of the parallel one-pass selection: a multiple of {@link #CHUNK}. */
    private static final int PART = 1 << 20;

    private LowestImportance() {}

    static Mask[] prune(float[][] importance, Mask[] previous, double fraction) {
        ScoreKeys[] keys = new ScoreKeys[importance.length];
        for (int s = 0; s < keys.length; s++) {
            keys[s] = ScoreKeys.of(importance[s]);
        }
        return prune(keys, previous, fraction);
    }

    static Mask[] prune(ScoreKeys[] keys, Mask[] previous, double fraction) {
        Fractions.check(fraction, "");
        return pruneCount(keys, previous, Math.round(fraction * surviving(previous)));
    }

    /** Survivors of all the masks together. */
    static long surviving(Mask[] masks) {
        long surviving = 0;
        for (Mask m : masks) {
            surviving += m.countKept();
        }
        return surviving;
    }

    /** Removes exactly {@code toRemove} survivors (at most all of them) of lowest importance. */
    static Mask[] pruneCount(ScoreKeys[] keys, Mask[] previous, long toRemove) {
        long[][] words = new long[previous.length][];
        long surviving = 0;
        for (int s = 0; s < previous.length; s++) {
            if (keys[s].length() != previous[s].length()) {
                throw new IllegalArgumentException("got " + keys[s].length() + " importance scores for a mask of "
                        + previous[s].length() + " elements");
            }
            words[s] = previous[s].toWords();
            surviving += previous[s].countKept();
        }
        if (toRemove < 0 || toRemove > surviving) {
            throw new IllegalArgumentException("cannot remove " + toRemove + " of " + surviving + " surviving weights");
        }
        if (toRemove == 0) {
            return previous.clone();
        }
        if (surviving < SAMPLED_FROM || !bracketed(keys, words, surviving, toRemove)) {
            for (int s = 0; s < words.length; s++) {
                words[s] = previous[s].toWords(); // a bracket that missed may have removed some
            }
            radix(keys, words, toRemove);
        }
        Mask[] out = new Mask[previous.length];
        for (int s = 0; s < out.length; s++) {
            out[s] = Mask.fromWords(previous[s].shape(), words[s]);
        }
        return out;
    }

    /** One pass with a sampled bracket; false (words partly changed) if the bracket missed the cut-off. */
    private static boolean bracketed(ScoreKeys[] keys, long[][] words, long surviving, long toRemove) {
        int[] sample = sample(keys, words);
        if (sample.length < 1024) {
            return false; // too sparse to sample well
        }
        Arrays.sort(sample);
        double q = (double) toRemove / surviving;
        int at = (int) (q * sample.length);
        int margin = (int) (5 * Math.sqrt(sample.length * q * (1 - q))) + 16; // 5 sigma: misses are rare
        int lo = at - margin <= 0 ? Integer.MIN_VALUE : sample[at - margin];
        int hi = at + margin >= sample.length - 1 ? Integer.MAX_VALUE : sample[at + margin];
        // Parts of at most PART elements, each owning whole mask words, are collected in parallel
        // and joined in position order: the result does not depend on the threads.
        double inside = (double) (2 * margin) / sample.length; // expected share of the survivors in the bracket
        List<int[]> parts = new ArrayList<>(); // {segment, from, to}
        for (int s = 0; s < keys.length; s++) {
            for (int from = 0; from < keys[s].length(); from += PART) {
                parts.add(new int[] {s, from, (int) Math.min(keys[s].length(), (long) from + PART)});
            }
        }
        // Each part starts with room for what the sample predicts for its survivors and grows from a
        // shared budget, so a layer whose weights crowd the cut-off does not make the bracket miss.
        Candidates[] found = new Candidates[parts.size()];
        long[] removed = new long[parts.size()];
        AtomicLong budget = new AtomicLong(2 * (long) (inside * surviving) + 1024);
        IntStream.range(0, parts.size()).parallel().forEach(r -> {
            int[] part = parts.get(r);
            long kept = 0;
            for (int k = part[1] >>> 6; k < (part[2] + 63) >>> 6; k++) {
                kept += Long.bitCount(words[part[0]][k]);
            }
            found[r] = new Candidates((long) (1.25 * inside * kept) + 256, budget);
            removed[r] = found[r].collect(keys[part[0]], words[part[0]], part[0], part[1], part[2], lo, hi);
        });
        long below = 0;
        for (long r : removed) {
            if (r < 0) {
                return false; // far more inside the bracket than the sample said
            }
            below += r;
        }
        Candidates candidates = Candidates.join(found);
        if (below > toRemove || below + candidates.size < toRemove) {
            return false;
        }
        candidates.removeLowest(toRemove - below, words);
        return true;
    }

    /** Keys of up to {@link #SAMPLE} survivors at seeded random positions. */
    private static int[] sample(ScoreKeys[] keys, long[][] words) {
        long total = 0;
        for (ScoreKeys k : keys) {
            total += k.length();
        }
        SplittableRandom random = new SplittableRandom(0x5eed);
        int[] sample = new int[SAMPLE];
        int n = 0;
        for (int tries = 0; tries < 4 * SAMPLE && n < SAMPLE; tries++) {
            long p = random.nextLong(total);
            int s = 0;
            while (p >= keys[s].length()) {
                p -= keys[s++].length();
            }
            int i = (int) p;
            if ((words[s][i >>> 6] & (1L << i)) != 0) {
                sample[n++] = keys[s].key(i);
            }
        }
        return Arrays.copyOf(sample, n);
    }

    /** Two exact passes: a histogram of the keys' top 16 bits, then the cut-off bucket's elements. */
    private static void radix(ScoreKeys[] keys, long[][] words, long toRemove) {
        long[] histogram = new long[BUCKETS];
        int[] chunk = new int[CHUNK];
        for (int s = 0; s < words.length; s++) {
            long[] w = words[s];
            for (int from = 0; from < keys[s].length(); from += CHUNK) {
                int count = Math.min(CHUNK, keys[s].length() - from);
                keys[s].read(from, chunk, count, w);
                for (int j = 0; j < count; j++) {
                    int i = from + j;
                    // pruned elements add 0: no branch on the mask
                    histogram[(chunk[j] >>> 16) ^ 0x8000] += (w[i >>> 6] >>> i) & 1;
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
            if (candidates.collect(keys[s], words[s], s, 0, keys[s].length(), lo, hi) < 0) {
                throw unstableScores();
            }
        }
        if (candidates.size < toRemove - below) {
            throw unstableScores();
        }
        candidates.removeLowest(toRemove - below, words);
    }

    // Only a score that is not a pure function of the element makes the two passes disagree.
    private static IllegalStateException unstableScores() {
        return new IllegalStateException("the importance scores changed between two reads of the same weights: a "
                + "PruningMethod's score must be the same every time it is asked (see PruningMethod.score)");
    }

    /** Elements near the cut-off, in position order, with their keys. */
    private static final class Candidates {
        private long[] where; // segment << 32 | index
        private int[] keys;
        private final int[] chunk = new int[CHUNK];
        private final AtomicLong budget; // room to grow into, shared by parts; null: fixed capacity
        private int size;

        Candidates(long capacity) {
            this(capacity, null);
        }

        Candidates(long capacity, AtomicLong budget) {
            int c = (int) Math.min(capacity + 64, Integer.MAX_VALUE - 8); // + a word's worth of slack
            where = new long[c];
            keys = new int[c];
            this.budget = budget;
        }

        /** Doubles the room, if the budget allows; false when it does not. */
        private boolean grow() {
            long extra = Math.min(keys.length, Integer.MAX_VALUE - 8L - keys.length);
            if (budget == null || extra <= 0 || budget.addAndGet(-extra) < 0) {
                return false;
            }
            where = Arrays.copyOf(where, keys.length + (int) extra);
            keys = Arrays.copyOf(keys, keys.length + (int) extra);
            return true;
        }

        /**
         * One pass over elements {@code [start, end)} of a segment ({@code start} a multiple of 64):
         * removes the survivors with keys below {@code lo} from {@code w} and collects those in
         * {@code [lo, hi]}. Returns how many it removed, or -1 when the
         * candidates would not fit. Each mask word's 64 keys are compared with {@code hi} without
         * a branch into one bit set; only the survivors at or under it (the fraction pruned, plus
         * the bracket) are visited one by one, and split without a branch into removed and
         * collected.
         */
        long collect(ScoreKeys source, long[] w, int segment, int start, int end, int lo, int hi) {
            int n = size;
            int limit = keys.length - 64;
            long removed = 0;
            long base = (long) segment << 32;
            long hiExclusive = (long) hi + 1;
            for (int from = start; from < end; from += CHUNK) {
                int count = Math.min(CHUNK, end - from);
                int firstWord = from >>> 6;
                int words = (count + 63) >>> 6;
                if (allPruned(w, firstWord, words)) {
                    continue;
                }
                source.read(from, chunk, count, w);
                for (int k = 0; k < words; k++) {
                    long word = w[firstWord + k];
                    if (word == 0) {
                        continue;
                    }
                    int at = k << 6;
                    int inWord = Math.min(64, count - at);
                    long upToHi = 0; // keys <= hi: one compare per element, a fifth of them set
                    for (int j = 0; j < inWord; j++) {
                        upToHi |= (((long) chunk[at + j] - hiExclusive) >>> 63) << j;
                    }
                    long below = 0;
                    for (long bits = upToHi & word; bits != 0; bits &= bits - 1) {
                        int j = Long.numberOfTrailingZeros(bits);
                        int key = chunk[at + j];
                        long underLo = ((long) key - lo) >>> 63;
                        below |= underLo << j;
                        where[n] = base | (from + at + j); // kept only if inside [lo, hi]
                        keys[n] = key;
                        n += (int) (underLo ^ 1);
                    }
                    removed += Long.bitCount(below);
                    w[firstWord + k] = word & ~below;
                    if (n > limit) {
                        if (!grow()) {
                            size = n;
                            return -1;
                        }
                        limit = keys.length - 64;
                    }
                }
            }
            size = n;
            return removed;
        }

        /** The candidates of consecutive parts, in order. */
        static Candidates join(Candidates[] parts) {
            long total = 0;
            for (Candidates c : parts) {
                total += c.size;
            }
            Candidates all = new Candidates(total);
            for (Candidates c : parts) {
                System.arraycopy(c.where, 0, all.where, all.size, c.size);
                System.arraycopy(c.keys, 0, all.keys, all.size, c.size);
                all.size += c.size;
            }
            return all;
        }

        private static boolean allPruned(long[] w, int first, int count) {
            long any = 0;
            for (int k = first; k < first + count; k++) {
                any |= w[k];
            }
            return any == 0;
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

package org.lottery4j.dynamic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.lottery4j.mask.Mask;

/**
 * One parameter's drop and grow at one update of dynamic sparse training: the kept weights of
 * smallest magnitude are dropped, and as many weights that were pruned before the update are
 * grown, at random (SET) or by largest gradient magnitude (RigL). Ties go to the lower element
 * index, so an update is a function of its inputs alone.
 *
 * @param mask the new mask, keeping exactly as many weights as the old one
 * @param dropped the elements dropped, ascending
 * @param grown the elements grown, ascending
 */
record MaskChange(Mask mask, int[] dropped, int[] grown) {

    /**
     * @param old the mask before the update
     * @param weights the parameter's values, in the mask's element order
     * @param gradient the dense gradient's values for RigL, or {@code null} to grow at random
     * @param drop how many to drop and grow: at most the kept count and the pruned count
     * @param random where SET draws the grown weights (unused for RigL)
     */
    static MaskChange of(Mask old, float[] weights, float[] gradient, int drop, Random random) {
        int n = Math.toIntExact(old.length());
        boolean[] kept = old.toBooleans();
        int keptCount = (int) old.countKept();
        if (drop < 0 || drop > keptCount || drop > n - keptCount) {
            throw new IllegalArgumentException("cannot drop and grow " + drop + " of a mask keeping " + keptCount
                    + " of " + n);
        }
        long[] keptKeys = new long[keptCount];
        int[] pruned = new int[n - keptCount];
        for (int i = 0, k = 0, p = 0; i < n; i++) {
            if (kept[i]) {
                // a magnitude's bits order as the magnitude does; the index breaks ties, lowest first
                keptKeys[k++] = ((long) magnitudeBits(weights[i]) << 32) | i;
            } else {
                pruned[p++] = i;
            }
        }
        int[] dropped = lowest(keptKeys, drop);
        int[] grown;
        if (gradient == null) {
            grown = firstShuffled(pruned, drop, random);
        } else {
            long[] growKeys = new long[pruned.length];
            for (int p = 0; p < pruned.length; p++) {
                int i = pruned[p];
                growKeys[p] = ((long) (Integer.MAX_VALUE - magnitudeBits(gradient[i])) << 32) | i; // largest first
            }
            grown = lowest(growKeys, drop);
        }
        Arrays.sort(grown);
        // grown are chosen among the weights pruned before the update, so none is among the dropped
        for (int i : dropped) {
            kept[i] = false;
        }
        for (int i : grown) {
            kept[i] = true;
        }
        return new MaskChange(Mask.of(old.shape(), kept), dropped, grown);
    }

    /** The element indices (low 32 bits) of the {@code count} smallest keys, ascending by index. */
    private static int[] lowest(long[] keys, int count) {
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        int[] out = new int[count];
        for (int j = 0; j < count; j++) {
            out[j] = (int) sorted[j];
        }
        Arrays.sort(out);
        return out;
    }

    /** |x|'s bits: non-negative, and ordered as |x| is (NaN above infinity). */
    private static int magnitudeBits(float x) {
        return Float.floatToRawIntBits(x) & 0x7fffffff;
    }

    /** The first {@code count} elements of a partial Fisher-Yates shuffle of a copy of {@code items}. */
    static int[] firstShuffled(int[] items, int count, Random random) {
        int[] a = items.clone();
        for (int j = 0; j < count; j++) {
            int r = j + random.nextInt(a.length - j);
            int t = a[j];
            a[j] = a[r];
            a[r] = t;
        }
        return Arrays.copyOf(a, count);
    }

    /** SplitMix64's finalizer over two values: independent streams from one seed. */
    static long mix(long a, long b) {
        long z = a * 0x9e3779b97f4a7c15L + b;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A hash of a name that does not change between JVMs (String.hashCode's is fixed too, but this spreads better). */
    static long hash(String s) {
        long h = 0;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h, b);
        }
        return h;
    }
}

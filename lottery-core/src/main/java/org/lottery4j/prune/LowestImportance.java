package org.lottery4j.prune;

import java.util.SplittableRandom;
import org.lottery4j.mask.Mask;

/**
 * The shared selection of unstructured pruning: remove exactly {@code round(fraction x surviving)}
 * surviving elements of lowest importance, ties broken by index. Linear time: a selection finds
 * the cut-off score instead of sorting.
 */
final class LowestImportance {

    private LowestImportance() {}

    static Mask prune(float[] importance, Mask previous, double fraction) {
        Fractions.check(fraction, "");
        if (importance.length != previous.length()) {
            throw new IllegalArgumentException("got " + importance.length + " importance scores for a mask of "
                    + previous.length() + " elements");
        }
        boolean[] kept = previous.toBooleans();
        int surviving = 0;
        for (boolean k : kept) {
            if (k) {
                surviving++;
            }
        }
        long toRemove = Math.round(fraction * surviving);
        if (toRemove == 0) {
            return previous;
        }
        float[] scores = new float[surviving];
        int j = 0;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                float s = importance[i];
                if (Float.isNaN(s)) {
                    throw new IllegalArgumentException("importance score of element " + i + " is NaN");
                }
                scores[j++] = s;
            }
        }
        float cutoff = kthSmallest(scores, (int) toRemove - 1);
        // Everything strictly below the cut-off goes; equal scores go in index order until the count is met.
        long below = 0;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] && importance[i] < cutoff) {
                below++;
            }
        }
        long tiesToRemove = toRemove - below;
        long[] removed = new long[(int) toRemove];
        int r = 0;
        for (int i = 0; i < kept.length; i++) {
            if (!kept[i]) {
                continue;
            }
            float s = importance[i];
            if (s < cutoff) {
                removed[r++] = i;
            } else if (s == cutoff && tiesToRemove > 0) {
                removed[r++] = i;
                tiesToRemove--;
            }
        }
        return previous.withPruned(removed);
    }

    /** The k-th smallest value (0-based); reorders {@code a}. Quickselect with seeded random pivots. */
    static float kthSmallest(float[] a, int k) {
        SplittableRandom random = new SplittableRandom(0x5eed);
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[lo + random.nextInt(hi - lo + 1)];
            // three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                if (a[i] < pivot) {
                    swap(a, lt++, i++);
                } else if (a[i] > pivot) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[k];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

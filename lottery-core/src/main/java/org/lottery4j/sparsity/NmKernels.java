package org.lottery4j.sparsity;

/**
 * The inner loops of N:M selection and checking, over a {@code float[]} and packed keep bits (bit
 * {@code i % 64} of word {@code i / 64} set = element {@code i} kept, as in a
 * {@link org.lottery4j.mask.Mask}). No allocation per element: they stream the weights once.
 */
final class NmKernels {

    private NmKernels() {}

    /**
     * Clears the keep bit of every weight that is not among the {@code n} largest magnitudes of its
     * group's kept weights; ties go to the lower index. Bits already clear stay clear.
     *
     * @return the flat index of a kept weight that is NaN or infinite (then {@code bits} are left
     *     partly updated), or -1 if there is none
     */
    static int select(NmPattern p, float[] w, long[] bits, GroupLayout g) {
        if (p.m() == 4 && g.contiguous()) {
            return selectOf4(p.n(), w, bits, g.rows() * g.k());
        }
        if (g.contiguous() && 64 % p.m() == 0) {
            return selectWords(p, w, bits, g.rows() * g.k());
        }
        return selectAny(p, w, bits, g);
    }

    // N:4 (2:4 above all) on contiguous groups: a group's 4 keep bits are one nibble of one word.
    private static int selectOf4(int n, float[] w, long[] bits, int length) {
        for (int word = 0; word < (length + 63) >>> 6; word++) {
            long in = bits[word];
            long out = 0;
            int bad = 0;
            int end = Math.min((word << 6) + 64, length);
            for (int f = word << 6; f < end; f += 4) {
                int sh = f & 63;
                int prev = (int) (in >>> sh) & 0xF;
                // |w| compares like its bit pattern as an int; a pruned weight's key is -1, below every
                // kept one ((bit - 1) is 0 when kept, -1 when pruned)
                int k0 = (Float.floatToRawIntBits(w[f]) & 0x7fffffff) | ((prev & 1) - 1);
                int k1 = (Float.floatToRawIntBits(w[f + 1]) & 0x7fffffff) | (((prev >>> 1) & 1) - 1);
                int k2 = (Float.floatToRawIntBits(w[f + 2]) & 0x7fffffff) | (((prev >>> 2) & 1) - 1);
                int k3 = (Float.floatToRawIntBits(w[f + 3]) & 0x7fffffff) | ((prev >>> 3) - 1);
                bad |= (0x7f7fffff - k0) | (0x7f7fffff - k1) | (0x7f7fffff - k2) | (0x7f7fffff - k3);
                // the 6 pairwise contests, as sign bits of differences (keys lie in [-1, 2^31), so no
                // overflow): cAB = 1 when B beats A, i.e. is strictly larger; A (lower index) wins ties
                int c01 = (k0 - k1) >>> 31;
                int c02 = (k0 - k2) >>> 31;
                int c03 = (k0 - k3) >>> 31;
                int c12 = (k1 - k2) >>> 31;
                int c13 = (k1 - k3) >>> 31;
                int c23 = (k2 - k3) >>> 31;
                // rank = how many members beat this one; the best n have ranks 0 .. n-1
                int r0 = c01 + c02 + c03;
                int r1 = 1 - c01 + c12 + c13;
                int r2 = 2 - c02 - c12 + c23;
                int r3 = 3 - c03 - c13 - c23;
                int keep = ((r0 - n) >>> 31) | ((r1 - n) >>> 31) << 1 | ((r2 - n) >>> 31) << 2 | ((r3 - n) >>> 31) << 3;
                out |= (long) (keep & prev) << sh;
            }
            if (bad < 0) { // a kept key above the largest finite float's: NaN or infinite
                return firstNonFiniteKept(w, in, word << 6, end);
            }
            bits[word] = out;
        }
        return -1;
    }

    // Any N:M with M dividing 64 on contiguous groups: a group's keep bits lie in one word.
    private static int selectWords(NmPattern p, float[] w, long[] bits, int length) {
        int n = p.n();
        int m = p.m();
        long groupBits = m == 64 ? -1L : (1L << m) - 1;
        // |w| of kept weights compare like their bit patterns as ints; pruned ones get -1, below all
        int[] key = new int[64];
        int[] rank = new int[64];
        for (int word = 0; word < (length + 63) >>> 6; word++) {
            long in = bits[word];
            int base = word << 6;
            int count = Math.min(64, length - base);
            int bad = 0;
            for (int t = 0; t < count; t++) {
                int magnitude = Float.floatToRawIntBits(w[base + t]) & 0x7fffffff;
                int kept = (int) (in >>> t) & 1;
                bad |= kept & ((0x7f7fffff - magnitude) >>> 31); // NaN or infinite
                key[t] = kept != 0 ? magnitude : -1;
            }
            if (bad != 0) {
                return firstNonFiniteKept(w, in, base, base + count);
            }
            long out = 0;
            for (int s = 0; s < count; s += m) {
                // rank = how many members beat this one (larger, or equal at a lower index): each pair
                // contested once, as the sign bit of a difference (keys lie in [-1, 2^31), no overflow)
                for (int t = 0; t < m; t++) {
                    rank[t] = 0;
                }
                for (int t = 0; t < m; t++) {
                    int kt = key[s + t];
                    int r = rank[t];
                    for (int u = t + 1; u < m; u++) {
                        int c = (kt - key[s + u]) >>> 31; // 1: u is strictly larger and beats t
                        r += c;
                        rank[u] += 1 - c;
                    }
                    rank[t] = r;
                }
                long keep = 0;
                for (int t = 0; t < m; t++) {
                    keep |= (long) ((rank[t] - n) >>> 31) << t;
                }
                out |= (keep & (in >>> s) & groupBits) << s;
            }
            bits[word] = out;
        }
        return -1;
    }

    // Any N:M and any layout: per group, pick whichever is fewer, the survivors to keep (largest
    // first, ties to the lower index) or those to drop (smallest first, ties to the higher index):
    // O(min(N, M-N) x M) comparisons per group, without branches that depend on sorting.
    private static int selectAny(NmPattern p, float[] w, long[] bits, GroupLayout g) {
        int n = p.n();
        int m = p.m();
        int groups = g.k() / m;
        int stride = g.kStride();
        float[] a = new float[m];
        int[] at = new int[m];
        for (int row = 0; row < g.rows(); row++) {
            int start = g.rowStart(row);
            for (int j = 0; j < groups; j++) {
                int kept = 0;
                for (int t = 0; t < m; t++) {
                    int f = start + (j * m + t) * stride;
                    at[t] = f;
                    if ((bits[f >>> 6] & (1L << f)) != 0) {
                        float v = Math.abs(w[f]);
                        if (!(v < Float.POSITIVE_INFINITY)) {
                            return f;
                        }
                        a[t] = v;
                        kept++;
                    } else {
                        a[t] = -1f; // pruned: below every kept weight, never picked
                    }
                }
                if (kept <= n) {
                    continue;
                }
                if (n <= kept - n) {
                    keepLargest(a, at, bits, n);
                } else {
                    dropSmallest(a, at, bits, kept - n);
                }
            }
        }
        return -1;
    }

    private static void keepLargest(float[] a, int[] at, long[] bits, int n) {
        long chosen = 0; // bit t = group member t kept (m <= 64)
        for (int round = 0; round < n; round++) {
            int best = 0;
            float bestValue = -1f;
            for (int t = 0; t < a.length; t++) {
                float v = a[t];
                boolean better = v > bestValue; // strict: ties go to the lower index
                best = better ? t : best;
                bestValue = better ? v : bestValue;
            }
            chosen |= 1L << best;
            a[best] = -2f; // out of the next rounds
        }
        for (int t = 0; t < a.length; t++) {
            if ((chosen & (1L << t)) == 0) {
                bits[at[t] >>> 6] &= ~(1L << at[t]);
            }
        }
    }

    private static void dropSmallest(float[] a, int[] at, long[] bits, int drop) {
        for (int round = 0; round < drop; round++) {
            int worst = 0;
            float worstValue = Float.POSITIVE_INFINITY;
            for (int t = 0; t < a.length; t++) {
                float v = a[t];
                boolean worse = v >= 0 & v <= worstValue; // <=: among equals the higher index goes
                worst = worse ? t : worst;
                worstValue = worse ? v : worstValue;
            }
            a[worst] = -1f;
            bits[at[worst] >>> 6] &= ~(1L << at[worst]);
        }
    }

    // Only reached on bad input: which element of this word made the check fail.
    private static int firstNonFiniteKept(float[] w, long keepBits, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((keepBits & (1L << i)) != 0 && !Float.isFinite(w[i])) {
                return i;
            }
        }
        throw new AssertionError("no non-finite weight in elements " + from + ".." + to);
    }

    /** Number of groups with more than {@code n} non-zeros (exact: any value {@code != 0}). */
    static long countViolations(NmPattern p, float[] w, GroupLayout g) {
        int n = p.n();
        int m = p.m();
        long violating = 0;
        if (m == 4 && g.contiguous()) {
            int length = g.rows() * g.k();
            for (int f = 0; f < length; f += 4) {
                int nz = (w[f] != 0 ? 1 : 0) + (w[f + 1] != 0 ? 1 : 0) + (w[f + 2] != 0 ? 1 : 0) + (w[f + 3] != 0 ? 1 : 0);
                violating += nz > n ? 1 : 0;
            }
            return violating;
        }
        int groups = g.k() / m;
        int stride = g.kStride();
        for (int row = 0; row < g.rows(); row++) {
            int start = g.rowStart(row);
            for (int j = 0; j < groups; j++) {
                int nz = 0;
                for (int t = 0; t < m; t++) {
                    nz += w[start + (j * m + t) * stride] != 0 ? 1 : 0;
                }
                violating += nz > n ? 1 : 0;
            }
        }
        return violating;
    }
}

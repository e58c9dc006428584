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
        if (p.n() == 2 && p.m() == 4 && g.contiguous()) {
            return select24(w, bits, g.rows() * g.k());
        }
        if (g.contiguous() && 64 % p.m() == 0) {
            return selectWords(p, w, bits, g.rows() * g.k());
        }
        return selectAny(p, w, bits, g);
    }

    // 2:4 on contiguous groups: a group's 4 keep bits are one nibble of one word (64 % 4 == 0).
    private static int select24(float[] w, long[] bits, int length) {
        boolean finite = true;
        for (int word = 0; word < (length + 63) >>> 6; word++) {
            long in = bits[word];
            long out = 0;
            int end = Math.min((word << 6) + 64, length);
            for (int f = word << 6; f < end; f += 4) {
                int sh = f & 63;
                int prev = (int) (in >>> sh) & 0xF;
                // a pruned weight ranks below every kept one (|w| >= 0)
                float a0 = (prev & 1) != 0 ? Math.abs(w[f]) : -1f;
                float a1 = (prev & 2) != 0 ? Math.abs(w[f + 1]) : -1f;
                float a2 = (prev & 4) != 0 ? Math.abs(w[f + 2]) : -1f;
                float a3 = (prev & 8) != 0 ? Math.abs(w[f + 3]) : -1f;
                finite &= a0 < Float.POSITIVE_INFINITY & a1 < Float.POSITIVE_INFINITY
                        & a2 < Float.POSITIVE_INFINITY & a3 < Float.POSITIVE_INFINITY;
                // rank = how many group members beat this one (larger, or equal at a lower index)
                int r0 = (a1 > a0 ? 1 : 0) + (a2 > a0 ? 1 : 0) + (a3 > a0 ? 1 : 0);
                int r1 = (a0 >= a1 ? 1 : 0) + (a2 > a1 ? 1 : 0) + (a3 > a1 ? 1 : 0);
                int r2 = (a0 >= a2 ? 1 : 0) + (a1 >= a2 ? 1 : 0) + (a3 > a2 ? 1 : 0);
                int r3 = (a0 >= a3 ? 1 : 0) + (a1 >= a3 ? 1 : 0) + (a2 >= a3 ? 1 : 0);
                int keep = (r0 < 2 ? 1 : 0) | (r1 < 2 ? 2 : 0) | (r2 < 2 ? 4 : 0) | (r3 < 2 ? 8 : 0);
                out |= (long) (keep & prev) << sh;
            }
            if (!finite) {
                return firstNonFiniteKept(w, in, word << 6, end);
            }
            bits[word] = out;
        }
        return -1;
    }

    // Any N:M with M dividing 64 on contiguous groups: a group's keep bits lie in one word. Per
    // group, pick whichever is fewer: the survivors to keep (largest first, ties to the lower
    // index) or those to drop (smallest first, ties to the higher index).
    private static int selectWords(NmPattern p, float[] w, long[] bits, int length) {
        int n = p.n();
        int m = p.m();
        long groupBits = m == 64 ? -1L : (1L << m) - 1;
        for (int word = 0; word < (length + 63) >>> 6; word++) {
            long in = bits[word];
            long out = in;
            int end = Math.min((word << 6) + 64, length);
            for (int f = word << 6; f < end; f += m) {
                int sh = f & 63;
                long prev = (in >>> sh) & groupBits;
                int kept = Long.bitCount(prev);
                if (kept <= n) {
                    continue;
                }
                for (int t = 0; t < m; t++) {
                    if ((prev & (1L << t)) != 0 && !Float.isFinite(w[f + t])) {
                        return f + t;
                    }
                }
                long keep;
                if (n <= kept - n) {
                    keep = 0;
                    for (int round = 0; round < n; round++) {
                        int best = 0;
                        float bestValue = -1f;
                        long open = prev & ~keep;
                        for (int t = 0; t < m; t++) {
                            float v = (open & (1L << t)) != 0 ? Math.abs(w[f + t]) : -1f;
                            boolean better = v > bestValue; // strict: ties go to the lower index
                            best = better ? t : best;
                            bestValue = better ? v : bestValue;
                        }
                        keep |= 1L << best;
                    }
                } else {
                    keep = prev;
                    for (int round = 0; round < kept - n; round++) {
                        int worst = 0;
                        float worstValue = Float.POSITIVE_INFINITY;
                        for (int t = 0; t < m; t++) {
                            float v = (keep & (1L << t)) != 0 ? Math.abs(w[f + t]) : Float.POSITIVE_INFINITY;
                            boolean worse = v <= worstValue; // <=: among equals the higher index goes
                            worst = worse ? t : worst;
                            worstValue = worse ? v : worstValue;
                        }
                        keep &= ~(1L << worst);
                    }
                }
                out &= ~((prev & ~keep) << sh);
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

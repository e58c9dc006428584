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
                for (int t = 0; t < m; t++) {
                    int f = start + (j * m + t) * stride;
                    at[t] = f;
                    boolean kept = (bits[f >>> 6] & (1L << f)) != 0;
                    a[t] = kept ? Math.abs(w[f]) : -1f;
                    if (!(a[t] < Float.POSITIVE_INFINITY)) {
                        return f;
                    }
                }
                for (int t = 0; t < m; t++) {
                    if (a[t] < 0) {
                        continue;
                    }
                    int rank = 0;
                    for (int s = 0; s < m; s++) {
                        if (a[s] > a[t] || (a[s] == a[t] && s < t)) {
                            rank++;
                        }
                    }
                    if (rank >= n) {
                        bits[at[t] >>> 6] &= ~(1L << at[t]);
                    }
                }
            }
        }
        return -1;
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

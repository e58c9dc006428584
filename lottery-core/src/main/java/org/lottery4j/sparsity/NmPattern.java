package org.lottery4j.sparsity;

/**
 * An N:M sparsity pattern: at most {@code n} non-zeros in every group of {@code m} consecutive
 * weights along the reduction dimension of a layer's matrix multiply.
 *
 * <pre>{@code
 * NmPattern p = NmPattern.parse("2:4");      // the same as NmPattern.TWO_FOUR
 * p.n();                                      // 2
 * p.toString();                               // "2:4"
 * }</pre>
 *
 * @param n how many weights of a group may be non-zero, {@code 1 <= n < m}
 * @param m group size, at most {@link #MAX_M}
 */
public record NmPattern(int n, int m) {

    /** 2:4, the pattern that NVIDIA sparse tensor cores accelerate. */
    public static final NmPattern TWO_FOUR = new NmPattern(2, 4);

    /** Largest group size accepted: the selection tracks a group's members in one 64-bit word. */
    public static final int MAX_M = 64;

    public NmPattern {
        if (n < 1 || m < 2 || n >= m || m > MAX_M) {
            throw new IllegalArgumentException("not an N:M pattern: " + n + ":" + m
                    + "; need 1 <= N < M <= " + MAX_M + " (for example 2:4)");
        }
    }

    /**
     * Reads {@code "N:M"}, such as {@code "2:4"} or {@code "1:8"}.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form or not a valid pattern
     */
    public static NmPattern parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.indexOf(':');
        if (colon > 0) {
            try {
                return new NmPattern(Integer.parseInt(t.substring(0, colon)), Integer.parseInt(t.substring(colon + 1)));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("not an N:M pattern: '" + text + "'; expected two integers such as 2:4");
    }

    /** Fraction of the weights of a group that may be non-zero. */
    public double density() {
        return (double) n / m;
    }

    /** {@code N:M}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return n + ":" + m;
    }
}

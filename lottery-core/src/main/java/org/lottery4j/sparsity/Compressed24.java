package org.lottery4j.sparsity;

import java.util.Arrays;
import java.util.Objects;

/**
 * The compressed form of a matrix with 2:4 sparsity along its rows: the two kept values of every
 * group of four, and their positions in 2 bits each. Half the values, plus 1 bit of index per
 * dense element (1/16 of the dense F16 size, 1/32 of F32).
 *
 * <h2>Layout, byte for byte</h2>
 * The dense matrix is {@code [rows, k]}, row-major, {@code k} a multiple of 4; group {@code g} of
 * row {@code r} is columns {@code 4g .. 4g+3}, and holds at most two non-zeros.
 * <ul>
 *   <li><b>values</b>: {@code [rows, k/2]} row-major; group {@code g} of row {@code r} stores
 *       {@code v0} at {@code [r, 2g]} and {@code v1} at {@code [r, 2g+1]}, the values at positions
 *       {@code i0 < i1} of the group. In a file they are the chosen {@code org.lottery4j.export.FloatType}, little-endian.
 *   <li><b>indices</b>: {@code [rows, W]} little-endian unsigned 16-bit words,
 *       {@code W = ceil(k/16)}: each row starts a new word, four groups per word. Group {@code g}
 *       of row {@code r} is the 4 bits {@code 4*(g%4) .. 4*(g%4)+3} of word {@code [r, g/4]}: bits
 *       {@code 4*(g%4)+0..1} hold {@code i0}, bits {@code 4*(g%4)+2..3} hold {@code i1}. Bits of
 *       the last word of a row past its last group are 0. In bytes: word {@code j} of the file is
 *       bytes {@code 2j} (bits 0-7: groups {@code 4q} and {@code 4q+1}) and {@code 2j+1} (bits
 *       8-15: groups {@code 4q+2} and {@code 4q+3}).
 *   <li>A group with fewer than two non-zeros still stores two slots: its non-zero positions plus
 *       the lowest unused positions, sorted ({@code [0,0,0,0]} gives {@code i0=0, i1=1}; a single
 *       non-zero at 2 gives {@code i0=0, i1=2}, {@code v0=0}), with the dense values at those
 *       positions.
 * </ul>
 * Example: the row {@code [0, 3, 0, 5, 7, 0, 0, 0]} encodes to values {@code [3, 5, 7, 0]} (the
 * second group has one non-zero, at 0, so the filler slot is position 1), group 0 = {@code 1 | 3<<2
 * = 0xD}, group 1 = {@code 0 | 1<<2 = 0x4}, word {@code 0x004D}, bytes {@code 4D 00}.
 *
 * <p>{@link #decode()} returns the dense matrix exactly, bit for bit, except that a {@code -0.0}
 * at a position that is not stored comes back as {@code +0.0} (equal under {@code ==}).
 *
 * <pre>{@code
 * Compressed24 c = Compressed24.encode(weights, rows, k);  // weights satisfy 2:4 along each row
 * float[] values = c.values();                             // [rows, k/2]
 * byte[] index = c.indexBytes();                           // [rows, ceil(k/16)] uint16, little-endian
 * float[] dense = c.decode();                              // == weights
 * }</pre>
 */
public final class Compressed24 {

    // For each 4-bit pattern of non-zeros: i0 | i1 << 2 of the two slots, or -1 if more than two.
    private static final byte[] CODE = new byte[16];

    static {
        for (int nz = 0; nz < 16; nz++) {
            int count = Integer.bitCount(nz);
            if (count > 2) {
                CODE[nz] = -1;
                continue;
            }
            int slots = nz;
            for (int p = 0; Integer.bitCount(slots) < 2; p++) {
                slots |= 1 << p; // fill with the lowest unused positions
            }
            int i0 = Integer.numberOfTrailingZeros(slots);
            int i1 = 31 - Integer.numberOfLeadingZeros(slots);
            CODE[nz] = (byte) (i0 | i1 << 2);
        }
    }

    private final int rows;
    private final int k;
    private final float[] values;
    private final short[] indices;

    private Compressed24(int rows, int k, float[] values, short[] indices) {
        this.rows = rows;
        this.k = k;
        this.values = values;
        this.indices = indices;
    }

    /** Index words per row: {@code ceil(k / 16)}. */
    public static int wordsPerRow(int k) {
        return (k + 15) >>> 4;
    }

    /**
     * Compresses a row-major matrix {@code [rows, k]} that has at most two non-zeros in each group
     * of four along its rows. One pass, no allocation per element.
     *
     * @throws IllegalArgumentException if sizes do not match, {@code k} is not a multiple of 4, or a
     *     group has more than two non-zeros (naming the row and columns)
     */
    public static Compressed24 encode(float[] dense, int rows, int k) {
        checkSize(rows, k);
        if (dense.length != (long) rows * k) {
            throw new IllegalArgumentException("a [" + rows + ", " + k + "] matrix has " + (long) rows * k
                    + " elements, got " + dense.length);
        }
        int words = wordsPerRow(k);
        float[] values = new float[rows * (k / 2)];
        short[] indices = new short[rows * words];
        int v = 0;
        for (int r = 0; r < rows; r++) {
            int rowStart = r * k;
            int wordAt = r * words;
            int word = 0;
            for (int c = 0; c < k; c += 4) {
                int f = rowStart + c;
                float w0 = dense[f];
                float w1 = dense[f + 1];
                float w2 = dense[f + 2];
                float w3 = dense[f + 3];
                int nz = (w0 != 0 ? 1 : 0) | (w1 != 0 ? 2 : 0) | (w2 != 0 ? 4 : 0) | (w3 != 0 ? 8 : 0);
                int code = CODE[nz];
                if (code < 0) {
                    throw new IllegalArgumentException("row " + r + ", columns " + c + ".." + (c + 3) + " hold "
                            + Integer.bitCount(nz) + " non-zeros: the matrix is not 2:4 sparse along its rows");
                }
                values[v++] = dense[f + (code & 3)];
                values[v++] = dense[f + (code >>> 2)];
                int shift = c & 12; // 4 * (group % 4)
                word |= code << shift;
                if (shift == 12 || c + 4 == k) {
                    indices[wordAt++] = (short) word;
                    word = 0;
                }
            }
        }
        return new Compressed24(rows, k, values, indices);
    }

    /**
     * The compressed form from its two arrays (for example read from a file), checked.
     *
     * @param values {@code [rows, k/2]} row-major
     * @param indices {@code [rows, ceil(k/16)]} row-major 16-bit words
     * @throws IllegalArgumentException for wrong lengths, a group whose positions are not
     *     {@code i0 < i1}, or bits set past a row's last group
     */
    public static Compressed24 of(int rows, int k, float[] values, short[] indices) {
        checkSize(rows, k);
        int words = wordsPerRow(k);
        if (values.length != (long) rows * (k / 2) || indices.length != (long) rows * words) {
            throw new IllegalArgumentException("compressed [" + rows + ", " + k + "] needs " + (long) rows * (k / 2)
                    + " values and " + (long) rows * words + " index words, got " + values.length + " and "
                    + indices.length);
        }
        int groups = k / 4;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < words; j++) {
                int word = indices[r * words + j] & 0xffff;
                for (int q = 0; q < 4; q++) {
                    int g = j * 4 + q;
                    int code = (word >>> (4 * q)) & 0xf;
                    if (g >= groups) {
                        if (code != 0) {
                            throw new IllegalArgumentException("row " + r + ": index word " + j
                                    + " has bits set past the row's last group (" + groups + " groups)");
                        }
                    } else if ((code & 3) >= (code >>> 2)) {
                        throw new IllegalArgumentException("row " + r + ", group " + g + ": positions "
                                + (code & 3) + " and " + (code >>> 2) + " are not in increasing order");
                    }
                }
            }
        }
        return new Compressed24(rows, k, values.clone(), indices.clone());
    }

    private static void checkSize(int rows, int k) {
        if (rows < 0 || k < 0 || k % 4 != 0) {
            throw new IllegalArgumentException("2:4 compression needs rows >= 0 and k a multiple of 4, got ["
                    + rows + ", " + k + "]");
        }
        if ((long) rows * k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matrices over 2^31 elements are not supported: [" + rows + ", " + k + "]");
        }
    }

    /** The dense matrix {@code [rows, k]}, row-major. */
    public float[] decode() {
        float[] dense = new float[rows * k];
        int words = wordsPerRow(k);
        int v = 0;
        for (int r = 0; r < rows; r++) {
            int rowStart = r * k;
            int wordAt = r * words;
            int word = 0;
            for (int c = 0; c < k; c += 4) {
                int shift = c & 12;
                if (shift == 0) {
                    word = indices[wordAt++];
                }
                int code = word >>> shift;
                dense[rowStart + c + (code & 3)] = values[v++];
                dense[rowStart + c + ((code >>> 2) & 3)] = values[v++];
            }
        }
        return dense;
    }

    public int rows() {
        return rows;
    }

    public int k() {
        return k;
    }

    /** A copy of the kept values, {@code [rows, k/2]} row-major. */
    public float[] values() {
        return values.clone();
    }

    /** A copy of the index words, {@code [rows, ceil(k/16)]} row-major, each an unsigned 16-bit value. */
    public short[] indices() {
        return indices.clone();
    }

    /** The index words as little-endian bytes, {@code 2 x rows x ceil(k/16)} of them. */
    public byte[] indexBytes() {
        byte[] out = new byte[indices.length * 2];
        for (int i = 0; i < indices.length; i++) {
            out[2 * i] = (byte) indices[i];
            out[2 * i + 1] = (byte) (indices[i] >>> 8);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compressed24 c && rows == c.rows && k == c.k
                && Arrays.equals(values, c.values) && Arrays.equals(indices, c.indices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, k, Arrays.hashCode(values), Arrays.hashCode(indices));
    }

    @Override
    public String toString() {
        return "Compressed24[" + rows + ", " + k + "]";
    }
}

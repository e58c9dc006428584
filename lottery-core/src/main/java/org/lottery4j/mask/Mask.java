package org.lottery4j.mask;

import java.util.Arrays;

/**
 * An immutable keep/prune flag for every element of one parameter array, one bit per element.
 *
 * <p>Elements are numbered in the order the parameter is stored in the network's flat
 * {@code params()} vector (see {@link org.lottery4j.network.ParamInfo}): column-major for dense
 * weights {@code [nIn, nOut]}, row-major for convolution weights {@code [nOut, nIn, kH, kW]}.
 *
 * <pre>{@code
 * Mask m = Mask.allKept(new long[] {784, 300});
 * Mask pruned = m.withPruned(new long[] {0, 5, 17});   // a new mask; m is unchanged
 * pruned.countPruned();                                  // 3
 * }</pre>
 */
public final class Mask {

    private final long[] shape;
    private final long length;
    private final long[] bits; // bit i set = element i kept

    private Mask(long[] shape, long length, long[] bits) {
        this.shape = shape;
        this.length = length;
        this.bits = bits;
    }

    /** A mask that keeps every element of an array of this shape. */
    public static Mask allKept(long[] shape) {
        long n = lengthOf(shape);
        long[] bits = new long[words(n)];
        Arrays.fill(bits, -1L);
        clearTail(bits, n);
        return new Mask(shape.clone(), n, bits);
    }

    /** A mask from one flag per element ({@code true} = kept). */
    public static Mask of(long[] shape, boolean[] kept) {
        long n = lengthOf(shape);
        if (kept.length != n) {
            throw new IllegalArgumentException(
                    "mask of shape " + Arrays.toString(shape) + " needs " + n + " flags, got " + kept.length);
        }
        long[] bits = new long[words(n)];
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                bits[i >>> 6] |= 1L << i;
            }
        }
        return new Mask(shape.clone(), n, bits);
    }

    /**
     * A mask from packed bytes: bit {@code i % 8} (least significant first) of byte {@code i / 8}
     * is element {@code i}, set when kept. Bits past the last element must be zero.
     */
    public static Mask fromPackedBytes(long[] shape, byte[] packed) {
        long n = lengthOf(shape);
        if (packed.length != (n + 7) / 8) {
            throw new IllegalArgumentException("mask of shape " + Arrays.toString(shape) + " needs "
                    + (n + 7) / 8 + " packed bytes, got " + packed.length);
        }
        long[] bits = new long[words(n)];
        for (int i = 0; i < packed.length; i++) {
            bits[i >>> 3] |= (packed[i] & 0xFFL) << ((i & 7) * 8);
        }
        requireClearTail(bits, n, "packed mask has");
        return new Mask(shape.clone(), n, bits);
    }

    /** The packed form read by {@link #fromPackedBytes}: one bit per element, {@code ceil(n/8)} bytes. */
    public byte[] toPackedBytes() {
        byte[] out = new byte[(int) ((length + 7) / 8)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (bits[i >>> 3] >>> ((i & 7) * 8));
        }
        return out;
    }

    /**
     * A mask from 64-bit words: bit {@code i % 64} of word {@code i / 64} is element {@code i}, set
     * when kept (the form {@link #toWords()} returns). Bits past the last element must be zero.
     */
    public static Mask fromWords(long[] shape, long[] words) {
        long n = lengthOf(shape);
        if (words.length != words(n)) {
            throw new IllegalArgumentException("mask of shape " + Arrays.toString(shape) + " needs " + words(n)
                    + " 64-bit words, got " + words.length);
        }
        requireClearTail(words, n, "mask words have");
        return new Mask(shape.clone(), n, words.clone());
    }

    /** A copy of the bits as 64-bit words, element {@code i} in bit {@code i % 64} of word {@code i / 64}. */
    public long[] toWords() {
        return bits.clone();
    }

    private static long lengthOf(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter arrays over 2^31 elements are not supported: "
                    + Arrays.toString(shape));
        }
        return n;
    }

    private static int words(long n) {
        return (int) ((n + 63) >>> 6);
    }

    /** Rejects bits past the last element; only the last word can hold them. */
    private static void requireClearTail(long[] bits, long n, String what) {
        if ((n & 63) != 0 && (bits[bits.length - 1] & -(1L << n)) != 0) {
            throw new IllegalArgumentException(what + " bits set past its " + n + " elements");
        }
    }

    private static void clearTail(long[] bits, long n) {
        if ((n & 63) != 0) {
            bits[bits.length - 1] &= (1L << n) - 1;
        }
    }

    /** Shape of the masked parameter. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long length() {
        return length;
    }

    /** Whether element {@code i} (flat order) is kept. */
    public boolean isKept(long i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("element " + i + " of a mask of " + length);
        }
        return (bits[(int) (i >>> 6)] & (1L << i)) != 0;
    }

    /** Number of kept elements. */
    public long countKept() {
        long c = 0;
        for (long w : bits) {
            c += Long.bitCount(w);
        }
        return c;
    }

    /** Number of pruned elements. */
    public long countPruned() {
        return length - countKept();
    }

    /** Fraction of elements kept, in [0, 1]; 1 for an empty parameter. */
    public double fractionKept() {
        return length == 0 ? 1.0 : (double) countKept() / length;
    }

    /** A copy of this mask with these elements pruned too. */
    public Mask withPruned(long[] indices) {
        long[] copy = bits.clone();
        for (long i : indices) {
            if (i < 0 || i >= length) {
                throw new IndexOutOfBoundsException("element " + i + " of a mask of " + length);
            }
            copy[(int) (i >>> 6)] &= ~(1L << i);
        }
        return new Mask(shape, length, copy);
    }

    /** Whether every element pruned here is pruned in {@code other} too (other only shrinks this). */
    public boolean contains(Mask other) {
        requireSameShape(other);
        for (int i = 0; i < bits.length; i++) {
            if ((other.bits[i] & ~bits[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements kept by {@code other} but pruned here. */
    long countRevivedBy(Mask other) {
        requireSameShape(other);
        long c = 0;
        for (int i = 0; i < bits.length; i++) {
            c += Long.bitCount(other.bits[i] & ~bits[i]);
        }
        return c;
    }

    /**
     * The number of elements whose flag differs between the two masks (the Hamming distance): kept
     * here and pruned there, or the other way round.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public long countDifferent(Mask other) {
        requireSameShape(other);
        long c = 0;
        for (int i = 0; i < bits.length; i++) {
            c += Long.bitCount(bits[i] ^ other.bits[i]);
        }
        return c;
    }

    /** The elements both masks keep. */
    public Mask and(Mask other) {
        requireSameShape(other);
        long[] out = new long[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = bits[i] & other.bits[i];
        }
        return new Mask(shape, length, out);
    }

    private void requireSameShape(Mask other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(
                    "mask shapes differ: " + Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
        }
    }

    /** One flag per element, {@code true} = kept. */
    public boolean[] toBooleans() {
        boolean[] out = new boolean[(int) length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (bits[i >>> 6] & (1L << i)) != 0;
        }
        return out;
    }

    /** Writes 1 (kept) or 0 (pruned) for each element into {@code dest} starting at {@code from}. */
    public void writeTo(byte[] dest, int from) {
        for (int i = 0; i < length; i++) {
            dest[from + i] = (byte) ((bits[i >>> 6] >>> i) & 1);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && Arrays.equals(shape, m.shape) && Arrays.equals(bits, m.bits);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "Mask" + Arrays.toString(shape) + " kept " + countKept() + "/" + length;
    }
}

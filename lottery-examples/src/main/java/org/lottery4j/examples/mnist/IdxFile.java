package org.lottery4j.examples.mnist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the format of the MNIST files): a magic number {@code 0x0000TTDD} where TT = 0x08
 * (unsigned bytes) and DD is the number of dimensions, then each dimension as a big-endian int,
 * then the bytes. Reads gzip-compressed or raw files alike.
 *
 * <pre>{@code
 * IdxFile images = IdxFile.read(in, "train-images-idx3-ubyte.gz");   // dims [8000, 28, 28]
 * }</pre>
 *
 * @param name where it came from, for messages
 * @param dims the dimensions
 * @param data the values, row-major
 */
public record IdxFile(String name, int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;

    /**
     * Reads an IDX file of unsigned bytes from {@code in} (which it closes).
     *
     * @throws IOException naming {@code name} if it is not IDX, holds another type, or is truncated
     */
    public static IdxFile read(InputStream in, String name) throws IOException {
        try (InputStream raw = new BufferedInputStream(in)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream body = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw) : raw;
            DataInputStream data = new DataInputStream(new BufferedInputStream(body));
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new IOException(name + " is not an IDX file: it is shorter than the 4-byte magic number");
            }
            if ((magic >>> 16) != 0 || (magic & 0xFF) == 0 || (magic & 0xFF) > 4) {
                throw new IOException(String.format("%s is not an IDX file: it starts with 0x%08x, expected 0x000008DD"
                        + " (DD = number of dimensions, such as 0x00000803 for images, 0x00000801 for labels)", name, magic));
            }
            if (((magic >>> 8) & 0xFF) != UNSIGNED_BYTE) {
                throw new IOException(String.format("%s holds IDX type 0x%02x; only unsigned bytes (0x08) are supported",
                        name, (magic >>> 8) & 0xFF));
            }
            int[] dims = new int[magic & 0xFF];
            long total = 1;
            try {
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = data.readInt();
                    if (dims[i] < 0) {
                        throw new IOException(name + " has a negative dimension " + dims[i]);
                    }
                    total *= dims[i];
                }
            } catch (EOFException e) {
                throw new IOException(name + " is truncated inside its header");
            }
            if (total > Integer.MAX_VALUE) {
                throw new IOException(name + " is too large: " + Arrays.toString(dims));
            }
            byte[] values = new byte[(int) total];
            int read = data.readNBytes(values, 0, values.length);
            if (read != values.length) {
                throw new IOException(name + " is truncated: its header " + Arrays.toString(dims) + " promises "
                        + values.length + " bytes of data, it holds " + read);
            }
            return new IdxFile(name, dims, values);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(name + " is not a valid gzip file: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new IOException(name + " is truncated: " + e.getMessage(), e);
        }
    }

    /** Number of items (the first dimension). */
    public int count() {
        return dims.length == 0 ? 0 : dims[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxFile f && name.equals(f.name) && Arrays.equals(dims, f.dims) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims);
    }
}

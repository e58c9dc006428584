package org.lottery4j.examples.mnist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.nio.file.Path;
import org.lottery4j.io.FileFormatException;

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
     * @throws FileFormatException naming {@code name} if it is not IDX, holds another type, is
     *     truncated or longer than its header says, or (gzip) fails its CRC-32
     */
    public static IdxFile read(InputStream in, String name) throws IOException {
        Path file = Path.of(name);
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
                throw new FileFormatException(file, "is not an IDX file: it is shorter than the 4-byte magic number");
            }
            if ((magic >>> 16) != 0 || (magic & 0xFF) == 0 || (magic & 0xFF) > 4) {
                throw new FileFormatException(file, String.format("is not an IDX file: it starts with 0x%08x, expected "
                        + "0x000008DD (DD = number of dimensions, such as 0x00000803 for images, 0x00000801 for labels)", magic));
            }
            if (((magic >>> 8) & 0xFF) != UNSIGNED_BYTE) {
                throw new FileFormatException(file, String.format("holds IDX type 0x%02x; only unsigned bytes (0x08) are supported",
                        (magic >>> 8) & 0xFF));
            }
            int[] dims = new int[magic & 0xFF];
            long total = 1;
            try {
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = data.readInt();
                    if (dims[i] < 0) {
                        throw new FileFormatException(file, "has a negative dimension " + dims[i]);
                    }
                    total *= dims[i]; // at most 4 factors under 2^31: checked before the next one can overflow
                    if (total > Integer.MAX_VALUE) {
                        throw new FileFormatException(file, "is too large: its dimensions " + Arrays.toString(dims)
                                + " make more than " + Integer.MAX_VALUE + " bytes");
                    }
                }
            } catch (EOFException e) {
                throw new FileFormatException(file, "is truncated inside its header");
            }
            // read as the data arrives: a dimension bent by damage costs no more memory than the file holds
            byte[] values = data.readNBytes((int) total);
            if (values.length != total) {
                throw new FileFormatException(file, "is truncated: its header " + Arrays.toString(dims) + " promises "
                        + total + " bytes of data, it holds " + values.length);
            }
            // reading past the data ends a gzip stream, which checks its CRC-32 and length
            if (data.read() != -1) {
                throw new FileFormatException(file, "holds more bytes than its header " + Arrays.toString(dims) + " promises");
            }
            return new IdxFile(name, dims, values);
        } catch (java.util.zip.ZipException e) {
            throw new FileFormatException(file, "is not a valid gzip file: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new FileFormatException(file, "is truncated: " + e.getMessage(), e);
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

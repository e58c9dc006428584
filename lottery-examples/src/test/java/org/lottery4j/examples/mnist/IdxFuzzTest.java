package org.lottery4j.examples.mnist;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.testing.Fuzz;

/**
 * Thousands of damaged copies of an IDX file of digits ({@link Fuzz}). Gzip-compressed, as MNIST
 * ships and the examples bundle it, its CRC-32 covers the data: each copy is refused with a
 * {@link FileFormatException} naming the file or reads the same. Uncompressed, IDX carries no
 * integrity data, so damage to a pixel is another valid file: those read exactly as an
 * independent decoding of the bytes says, and everything else is refused.
 */
class IdxFuzzTest {

    @TempDir
    Path dir;

    private static byte[] digits() throws Exception {
        byte[] pixels = new byte[20 * 28 * 28];
        new Random(7).nextBytes(pixels);
        return IdxFileTest.idx(new int[] {20, 28, 28}, pixels);
    }

    private static IdxFile read(Path file) throws Exception {
        return IdxFile.read(Files.newInputStream(file), file.toString());
    }

    @Test
    @Timeout(600)
    void damagedGzipFilesAreRefusedOrReadTheSame() throws Exception {
        byte[] raw = digits();
        IdxFile original = IdxFile.read(new ByteArrayInputStream(raw), "original");
        Fuzz.of("idx gzip", IdxFileTest.gzip(raw), IdxFuzzTest::read, FileFormatException.class)
                .suffix(".gz")
                .same(read -> Arrays.equals(read.dims(), original.dims()) && Arrays.equals(read.data(), original.data()))
                .run(dir, 20261217, Fuzz.cases(460))
                .print()
                .assertClean();
    }

    @Test
    @Timeout(600)
    void damagedUncompressedFilesAreRefusedOrReadAsWritten() throws Exception {
        byte[] raw = digits();
        IdxFile original = IdxFile.read(new ByteArrayInputStream(raw), "original");
        Fuzz.of("idx uncompressed", raw, IdxFuzzTest::read, FileFormatException.class)
                .same(read -> Arrays.equals(read.dims(), original.dims()) && Arrays.equals(read.data(), original.data()))
                .noIntegrity(IdxFuzzTest::decodesTo)
                .run(dir, 20261218, Fuzz.cases(460))
                .print()
                .assertClean();
    }

    /** The IDX format, decoded here: magic 0x000008DD, DD big-endian dimensions, then exactly their product of bytes. */
    private static boolean decodesTo(byte[] bytes, IdxFile read) throws Exception {
        if (bytes.length > 0 && (bytes[0] & 0xFF) == 0x1f) {
            return false; // a gzip magic number: not uncompressed IDX
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int magic = in.readInt();
        if (magic >>> 8 != 0x08 || (magic & 0xFF) < 1 || (magic & 0xFF) > 4) {
            return false;
        }
        int[] dims = new int[magic & 0xFF];
        long total = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = in.readInt();
            total *= dims[i];
        }
        byte[] data = in.readAllBytes();
        return data.length == total && Arrays.equals(read.dims(), dims) && Arrays.equals(read.data(), data);
    }
}

package org.lottery4j.examples.cifar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The reader on small files in the binary format, written here: 2 records a file instead of 10,000. */
class Cifar10Test {

    private static final int PER_FILE = 2;
    private static final String WHERE = "download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz and unpack"
            + " it: it holds the folder cifar-10-batches-bin with data_batch_1.bin, data_batch_2.bin, data_batch_3.bin,"
            + " data_batch_4.bin, data_batch_5.bin and test_batch.bin";

    @TempDir
    Path dir;

    /** Pixel {@code (channel, row, col)} of record {@code g} (0-9 training, 10-11 test): distinct across all four. */
    static int pixel(int g, int c, int i, int j) {
        return (g * 31 + c * 85 + i * 7 + j * 3) & 0xFF;
    }

    static int label(int g) {
        return (g * 3 + 1) % 10;
    }

    /** Records {@code first..first+n-1}: a label byte, then the R, G and B planes, each row by row. */
    static byte[] records(int first, int n) {
        byte[] b = new byte[n * 3073];
        for (int r = 0; r < n; r++) {
            int g = first + r;
            b[r * 3073] = (byte) label(g);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 32; i++) {
                    for (int j = 0; j < 32; j++) {
                        b[r * 3073 + 1 + c * 1024 + i * 32 + j] = (byte) pixel(g, c, i, j);
                    }
                }
            }
        }
        return b;
    }

    /** The five training files and the test file, {@link #PER_FILE} records each. */
    static void writeAll(Path dir) throws IOException {
        for (int f = 0; f < 5; f++) {
            Files.write(dir.resolve("data_batch_" + (f + 1) + ".bin"), records(f * PER_FILE, PER_FILE));
        }
        Files.write(dir.resolve("test_batch.bin"), records(10, PER_FILE));
    }

    private Cifar10 read(int train, int test) throws IOException {
        return Cifar10.fromDirectory(dir, train, test, PER_FILE);
    }

    /** Mean and population deviation of channel c over training records 0..n-1, in double. */
    private static double[] stats(int n, int c) {
        double sum = 0;
        double sq = 0;
        for (int g = 0; g < n; g++) {
            for (int p = 0; p < 1024; p++) {
                double v = pixel(g, c, p / 32, p % 32) / 255.0;
                sum += v;
                sq += v * v;
            }
        }
        double mean = sum / (n * 1024.0);
        return new double[] {mean, Math.sqrt(sq / (n * 1024.0) - mean * mean)};
    }

    @Test
    void readsLabelsAndChannelMajorPixelsInFileOrder() throws IOException {
        writeAll(dir);
        Cifar10 cifar = read(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertThat(cifar.name()).isEqualTo("cifar10");
        assertThat(cifar.trainExamples()).isEqualTo(10);
        assertThat(cifar.test().numExamples()).isEqualTo(2);
        // NCHW: feature c * 1024 + i * 32 + j is channel c, row i, column j
        INDArray images = cifar.train().getFeatures().reshape('c', 10, 3, 32, 32);
        for (int g = 0; g < 10; g++) {
            assertThat(cifar.train().getLabels().getRow(g).toFloatVector())
                    .as("record %d", g).isEqualTo(oneHot(label(g)));
            for (int c = 0; c < 3; c++) {
                double[] s = stats(10, c);
                for (int[] ij : new int[][] {{0, 0}, {0, 31}, {1, 0}, {17, 5}, {31, 31}}) {
                    double expected = (pixel(g, c, ij[0], ij[1]) / 255.0 - s[0]) / s[1];
                    assertThat(images.getDouble(g, c, ij[0], ij[1])).as("record %d pixel %d,%d,%d", g, c, ij[0], ij[1])
                            .isCloseTo(expected, within(1e-5));
                }
            }
        }
        // the test records, normalized with the training statistics
        INDArray test = cifar.test().getFeatures();
        assertThat(cifar.test().getLabels().getRow(1).toFloatVector()).isEqualTo(oneHot(label(11)));
        double[] s2 = stats(10, 2);
        assertThat(test.getDouble(1, 2 * 1024 + 3 * 32 + 4)).isCloseTo((pixel(11, 2, 3, 4) / 255.0 - s2[0]) / s2[1], within(1e-5));
    }

    private static float[] oneHot(int label) {
        float[] y = new float[10];
        y[label] = 1;
        return y;
    }

    @Test
    void normalizesEachChannelWithTheTrainingStatistics() throws IOException {
        writeAll(dir);
        Cifar10 cifar = read(3, 1);
        for (int c = 0; c < 3; c++) {
            double[] s = stats(3, c);
            assertThat(cifar.normalization().mean()[c]).isCloseTo(s[0], within(1e-6));
            assertThat(cifar.normalization().std()[c]).isCloseTo(s[1], within(1e-6));
        }
        // so the training channels have mean 0 and deviation 1
        Normalization after = Normalization.of(cifar.train().getFeatures(), Cifar10.SHAPE);
        for (int c = 0; c < 3; c++) {
            assertThat(after.mean()[c]).isCloseTo(0, within(1e-5));
            assertThat(after.std()[c]).isCloseTo(1, within(1e-5));
        }
    }

    @Test
    void aSubsetIsTheFirstExamplesInFileOrder() throws IOException {
        writeAll(dir);
        Cifar10 cifar = read(3, 1); // records 0 and 1 of data_batch_1, record 0 of data_batch_2
        assertThat(cifar.name()).isEqualTo("cifar10-first3-test1");
        assertThat(cifar.trainExamples()).isEqualTo(3);
        assertThat(cifar.test().numExamples()).isEqualTo(1);
        for (int g = 0; g < 3; g++) {
            assertThat(cifar.train().getLabels().getRow(g).toFloatVector()).isEqualTo(oneHot(label(g)));
        }
        assertThat(cifar.test().getLabels().getRow(0).toFloatVector()).isEqualTo(oneHot(label(10)));
        double[] s = stats(3, 1);
        assertThat(cifar.train().getFeatures().getDouble(2, 1024 + 40)).isCloseTo((pixel(2, 1, 1, 8) / 255.0 - s[0]) / s[1],
                within(1e-5));
        assertThat(read(10, 5).name()).isEqualTo("cifar10");
        assertThat(read(4, 2).name()).isEqualTo("cifar10-first4");
        assertThat(read(10, 1).name()).isEqualTo("cifar10-test1");
        assertThatThrownBy(() -> read(0, 1)).hasMessage(
                "the CIFAR-10 subset must hold at least 1 training and 1 test example, got 0 and 1");
    }

    @Test
    void aMissingFolderOrFileSaysWhereToGetTheData() throws IOException {
        assertThatThrownBy(() -> Cifar10.fromDirectory(dir.resolve("nowhere")))
                .hasMessage("--cifar-dir " + dir.resolve("nowhere") + " is not a folder; " + WHERE);
        writeAll(dir);
        Files.delete(dir.resolve("data_batch_4.bin"));
        assertThatThrownBy(() -> read(1, 1)) // even when the subset would not read it
                .hasMessage(dir.resolve("data_batch_4.bin") + " is missing; " + WHERE);
    }

    @Test
    void aTruncatedFileNamesTheRecordAndOffsetWhereItEnds() throws IOException {
        writeAll(dir);
        Path file = dir.resolve("data_batch_2.bin");
        Files.write(file, java.util.Arrays.copyOf(records(2, 2), 3073 + 100));
        assertThatThrownBy(() -> read(1, 1)).hasMessage(file + ": is truncated or not a CIFAR-10 binary batch: its 3,173"
                + " bytes are not a whole number of 3,073-byte records (record 1 is cut off at byte offset 3,073); " + WHERE);
        Files.write(file, records(2, 1));
        assertThatThrownBy(() -> read(1, 1)).hasMessage(file + ": holds 1 records (3,073 bytes), expected 2 (6,146 bytes):"
                + " it is truncated; " + WHERE);
        Files.write(file, records(2, 3));
        assertThatThrownBy(() -> read(1, 1)).hasMessage(file + ": holds 3 records (9,219 bytes), expected 2 (6,146 bytes):"
                + " it is not a CIFAR-10 binary batch; " + WHERE);
    }

    @Test
    void theOfficialFilesHold10000RecordsEach() throws IOException {
        writeAll(dir); // 2 records a file: too short for the real reader
        assertThatThrownBy(() -> Cifar10.fromDirectory(dir, 1, 1)).hasMessage(dir.resolve("data_batch_1.bin")
                + ": holds 2 records (6,146 bytes), expected 10,000 (30,730,000 bytes): it is truncated; " + WHERE);
    }

    @Test
    void aLabelAbove9NamesTheRecordAndItsOffset() throws IOException {
        writeAll(dir);
        Path file = dir.resolve("test_batch.bin");
        byte[] b = records(10, 2);
        b[3073] = 57;
        Files.write(file, b);
        assertThatThrownBy(() -> read(10, 2)).hasMessage(file + ": holds label 57 in record 1 (byte offset 3,073);"
                + " CIFAR-10 labels are 0-9, so this is not a CIFAR-10 binary batch (CIFAR-100's records start with"
                + " 2 label bytes); " + WHERE);
        assertThat(read(10, 1).test().numExamples()).as("record 0 alone is fine").isEqualTo(1);
    }
}

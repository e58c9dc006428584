package org.lottery4j.examples.cifar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.conv.ImageShape;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.testing.Fuzz;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Thousands of damaged copies of a CIFAR-10 training batch ({@link Fuzz}), read with the other five
 * files of the folder intact. The binary release carries no integrity data: a damaged pixel or
 * label is another valid batch, which must read exactly as an independent decoding of the bytes
 * says (labels 0-9, pixels scaled and normalized with the statistics of what was read); anything
 * else is refused with a {@link FileFormatException} naming the file.
 */
class CifarFuzzTest {

    private static final int PER_FILE = 2;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void damagedBatchesAreRefusedOrReadAsWritten() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Cifar10Test.writeAll(folder);
        Path batch = folder.resolve("data_batch_3.bin");
        byte[] original = Files.readAllBytes(batch);
        Cifar10 expected = Cifar10.fromDirectory(folder, Integer.MAX_VALUE, Integer.MAX_VALUE, PER_FILE);
        Fuzz.of("cifar-10 batch", original, copy -> {
            Files.copy(copy, batch, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try {
                return Cifar10.fromDirectory(folder, Integer.MAX_VALUE, Integer.MAX_VALUE, PER_FILE);
            } catch (FileFormatException e) {
                throw new FileFormatException(copy, e.problem(), e); // named as the copy, as the harness expects
            }
        }, FileFormatException.class)
                .same(read -> sameData(read, expected))
                .noIntegrity((bytes, read) -> sameData(read, decoded(folder, batch, bytes)))
                .run(dir, 20261219, Fuzz.cases(460))
                .print()
                .assertClean();
    }

    private static boolean sameData(Cifar10 a, Cifar10 b) {
        return b != null && a.train().getFeatures().equals(b.train().getFeatures()) && a.train().getLabels().equals(b.train().getLabels())
                && a.test().getFeatures().equals(b.test().getFeatures()) && a.test().getLabels().equals(b.test().getLabels());
    }

    /** The folder's data with {@code batch} holding {@code bytes}, decoded here byte by byte; null where it is not CIFAR-10. */
    private static Cifar10 decoded(Path folder, Path batch, byte[] bytes) throws Exception {
        float[][] train = decode(folder, Cifar10.TRAIN_FILES, batch, bytes);
        float[][] test = decode(folder, java.util.List.of(Cifar10.TEST_FILE), batch, bytes);
        if (train == null || test == null) {
            return null;
        }
        var trainX = Nd4j.create(train[0], new long[] {train[1].length / 10, Cifar10.PIXELS}, 'c');
        var testX = Nd4j.create(test[0], new long[] {test[1].length / 10, Cifar10.PIXELS}, 'c');
        Normalization norm = Normalization.of(trainX, ImageShape.CIFAR10);
        norm.applyInPlace(trainX, ImageShape.CIFAR10);
        norm.applyInPlace(testX, ImageShape.CIFAR10);
        return new Cifar10("cifar10",
                new DataSet(trainX, Nd4j.create(train[1], new long[] {train[1].length / 10, 10}, 'c')),
                new DataSet(testX, Nd4j.create(test[1], new long[] {test[1].length / 10, 10}, 'c')), norm);
    }

    /** Pixels scaled to [0, 1] and one-hot labels of these files, in order. */
    private static float[][] decode(Path folder, List<String> files, Path batch, byte[] bytes) throws Exception {
        int n = files.size() * PER_FILE;
        float[] x = new float[n * Cifar10.PIXELS];
        float[] y = new float[n * 10];
        for (int f = 0; f < files.size(); f++) {
            Path file = folder.resolve(files.get(f));
            byte[] b = file.equals(batch) ? bytes : Files.readAllBytes(file);
            if (b.length != PER_FILE * Cifar10.RECORD_BYTES) {
                return null;
            }
            for (int r = 0; r < PER_FILE; r++) {
                int row = f * PER_FILE + r;
                int label = b[r * Cifar10.RECORD_BYTES] & 0xFF;
                if (label > 9) {
                    return null;
                }
                y[row * 10 + label] = 1;
                for (int p = 0; p < Cifar10.PIXELS; p++) {
                    x[row * Cifar10.PIXELS + p] = (b[r * Cifar10.RECORD_BYTES + 1 + p] & 0xFF) / 255f;
                }
            }
        }
        return new float[][] {x, y};
    }
}

package org.lottery4j.examples.cifar;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.lottery4j.examples.conv.ImageShape;
import org.lottery4j.examples.conv.SubsetName;
import org.lottery4j.io.FileFormatException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * CIFAR-10 from the official binary release ({@code cifar-10-batches-bin}), as DL4J data: features
 * {@code [n, 3072]}, each row one image in channel-major order (the R, G and B 32x32 planes, each
 * row-major), which is NCHW once a network's {@code InputType.convolutionalFlat(32, 32, 3)} reshapes
 * it; one-hot labels {@code [n, 10]}. Pixels are scaled to [0, 1] and then normalized per channel
 * with the mean and standard deviation of the training examples read ({@link Normalization#of});
 * on the full training set these are the published 0.4914/0.4822/0.4465 and 0.2470/0.2435/0.2616.
 *
 * <p>The files are read byte by byte: nothing in them is ever deserialized as Java objects.
 *
 * <pre>{@code
 * Cifar10 all = Cifar10.fromDirectory(Path.of("cifar-10-batches-bin"));
 * Cifar10 quick = Cifar10.fromDirectory(Path.of("cifar-10-batches-bin"), 5000, 1000);  // cifar10-first5000-test1000
 * DataSet train = quick.train();
 * }</pre>
 *
 * @param name {@code cifar10}; {@code cifar10-first<N>} when only the first N training examples were
 *     read, {@code -test<M>} added when only the first M test examples were
 * @param train training examples, normalized
 * @param test test examples, normalized with the training examples' statistics
 * @param normalization the per-channel statistics the examples were normalized with
 */
public record Cifar10(String name, DataSet train, DataSet test, Normalization normalization) {

    /** Where the data comes from, for messages. */
    public static final String DOWNLOAD_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** The image shape: 3 channels of 32x32. */
    public static final ImageShape SHAPE = ImageShape.CIFAR10;
    static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";
    /** Records in each file of the official release. */
    static final int RECORDS_PER_FILE = 10_000;
    static final int PIXELS = 3 * 32 * 32;
    static final int RECORD_BYTES = 1 + PIXELS;

    /** Every training and test example in {@code dir}. */
    public static Cifar10 fromDirectory(Path dir) throws IOException {
        return fromDirectory(dir, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * The first {@code trainExamples} training examples (in file order, {@code data_batch_1.bin}
     * first) and the first {@code testExamples} test examples in {@code dir}; a limit above what the
     * files hold reads them all. Every file's size is checked first, even one not read.
     *
     * @throws IOException naming the file, the problem and where to get the data when the folder or
     *     a file is missing, truncated or not a CIFAR-10 binary batch
     */
    public static Cifar10 fromDirectory(Path dir, int trainExamples, int testExamples) throws IOException {
        return fromDirectory(dir, trainExamples, testExamples, RECORDS_PER_FILE);
    }

    /** As {@link #fromDirectory(Path, int, int)} for files of {@code recordsPerFile} records (tests). */
    static Cifar10 fromDirectory(Path dir, int trainExamples, int testExamples, int recordsPerFile) throws IOException {
        if (trainExamples < 1 || testExamples < 1) {
            throw new IllegalArgumentException("the CIFAR-10 subset must hold at least 1 training and 1 test example, got "
                    + trainExamples + " and " + testExamples);
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("--cifar-dir " + dir + " is not a folder; " + whereToGetIt());
        }
        for (String f : TRAIN_FILES) {
            checkSize(dir.resolve(f), recordsPerFile);
        }
        checkSize(dir.resolve(TEST_FILE), recordsPerFile);
        int nTrain = (int) Math.min(trainExamples, (long) TRAIN_FILES.size() * recordsPerFile);
        int nTest = Math.min(testExamples, recordsPerFile);
        DataSet train = new DataSet(Nd4j.create(DataType.FLOAT, nTrain, PIXELS), Nd4j.create(DataType.FLOAT, nTrain, 10));
        for (int f = 0, row = 0; row < nTrain; f++, row += recordsPerFile) {
            read(dir.resolve(TRAIN_FILES.get(f)), Math.min(recordsPerFile, nTrain - row), train, row);
        }
        DataSet test = new DataSet(Nd4j.create(DataType.FLOAT, nTest, PIXELS), Nd4j.create(DataType.FLOAT, nTest, 10));
        read(dir.resolve(TEST_FILE), nTest, test, 0);
        Normalization norm = Normalization.of(train.getFeatures(), SHAPE);
        norm.applyInPlace(train.getFeatures(), SHAPE);
        norm.applyInPlace(test.getFeatures(), SHAPE);
        // the name enters the run's hash: a subset of either set is other data
        String name = SubsetName.of("cifar10", nTrain, (long) TRAIN_FILES.size() * recordsPerFile, nTest, recordsPerFile);
        return new Cifar10(name, train, test, norm);
    }

    private static String whereToGetIt() {
        return "download " + DOWNLOAD_URL + " and unpack it: it holds the folder cifar-10-batches-bin with "
                + String.join(", ", TRAIN_FILES) + " and " + TEST_FILE;
    }

    private static void checkSize(Path file, int recordsPerFile) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " is missing; " + whereToGetIt(), e);
        }
        long expected = (long) recordsPerFile * RECORD_BYTES;
        if (size % RECORD_BYTES != 0) {
            long whole = size / RECORD_BYTES;
            throw new FileFormatException(file, String.format(Locale.ROOT, "is truncated or not a CIFAR-10 binary batch: its "
                    + "%,d bytes are not a whole number of %,d-byte records (record %,d is cut off at byte offset %,d); %s",
                    size, RECORD_BYTES, whole, whole * RECORD_BYTES, whereToGetIt()));
        }
        if (size != expected) {
            throw new FileFormatException(file, String.format(Locale.ROOT, "holds %,d records (%,d bytes), expected %,d "
                    + "(%,d bytes): it is %s; %s", size / RECORD_BYTES, size, recordsPerFile, expected,
                    size < expected ? "truncated" : "not a CIFAR-10 binary batch", whereToGetIt()));
        }
    }

    /** Reads the first {@code n} records of {@code file} into rows {@code row..row+n-1} of {@code into}. */
    private static void read(Path file, int n, DataSet into, int row) throws IOException {
        byte[] bytes = new byte[n * RECORD_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int got = in.readNBytes(bytes, 0, bytes.length);
            if (got != bytes.length) { // the file shrank after its size was checked
                throw new FileFormatException(file, String.format(Locale.ROOT, "is truncated: record %,d is cut off at byte "
                        + "offset %,d; %s", got / RECORD_BYTES, got / RECORD_BYTES * RECORD_BYTES, whereToGetIt()));
            }
        }
        float[] x = new float[n * PIXELS];
        float[] y = new float[n * 10];
        for (int r = 0; r < n; r++) {
            int at = r * RECORD_BYTES;
            int label = bytes[at] & 0xFF;
            if (label > 9) {
                throw new FileFormatException(file, String.format(Locale.ROOT, "holds label %d in record %,d (byte offset %,d); "
                        + "CIFAR-10 labels are 0-9, so this is not a CIFAR-10 binary batch (CIFAR-100's records start with 2 "
                        + "label bytes); %s", label, r, at, whereToGetIt()));
            }
            y[r * 10 + label] = 1;
            for (int p = 0; p < PIXELS; p++) {
                x[r * PIXELS + p] = (bytes[at + 1 + p] & 0xFF) / 255f;
            }
        }
        into.getFeatures().get(NDArrayIndex.interval(row, row + n), NDArrayIndex.all())
                .assign(Nd4j.create(x, new long[] {n, PIXELS}, 'c'));
        into.getLabels().get(NDArrayIndex.interval(row, row + n), NDArrayIndex.all())
                .assign(Nd4j.create(y, new long[] {n, 10}, 'c'));
    }

    /** Number of training examples. */
    public int trainExamples() {
        return train.numExamples();
    }
}

package org.lottery4j.examples.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.lottery4j.io.FileFormatException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MNIST digits as DL4J data: features {@code [n, 784]} scaled to [0, 1], one-hot labels
 * {@code [n, 10]}. Three sources: the 10,000 digits bundled in this jar (8,000 train, 2,000 test;
 * the default, offline), a folder with the standard IDX files (gzip or raw), or DL4J's own
 * downloader (online only).
 *
 * <pre>{@code
 * Mnist mnist = Mnist.bundled();                    // or Mnist.fromDirectory(path), Mnist.download()
 * DataSetIterator train = mnist.trainIterator(60);
 * }</pre>
 *
 * @param name {@code mnist-10k} for the bundled digits, {@code mnist} otherwise
 * @param train training digits
 * @param test test digits
 */
public record Mnist(String name, DataSet train, DataSet test) {

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final String BUNDLED = "/org/lottery4j/examples/mnist-10k/";

    /** The 10,000 digits bundled with the examples. */
    public static Mnist bundled() throws IOException {
        return new Mnist("mnist-10k",
                load(resource(TRAIN_IMAGES + ".gz"), resource(TRAIN_LABELS + ".gz")),
                load(resource(TEST_IMAGES + ".gz"), resource(TEST_LABELS + ".gz")));
    }

    /**
     * The four standard MNIST files in {@code dir}, each gzip-compressed ({@code .gz}) or raw.
     *
     * @throws IOException naming the missing or broken file
     */
    public static Mnist fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("--mnist-dir " + dir + " is not a folder");
        }
        return new Mnist("mnist",
                load(file(dir, TRAIN_IMAGES), file(dir, TRAIN_LABELS)),
                load(file(dir, TEST_IMAGES), file(dir, TEST_LABELS)));
    }

    /** The full MNIST set through DL4J's downloader (needs the internet the first time). */
    public static Mnist download() throws IOException {
        return new Mnist("mnist", all(new MnistDataSetIterator(10_000, true, 123)),
                all(new MnistDataSetIterator(10_000, false, 123)));
    }

    private static DataSet all(DataSetIterator it) {
        java.util.List<DataSet> parts = new java.util.ArrayList<>();
        it.forEachRemaining(parts::add);
        return DataSet.merge(parts);
    }

    /** Batches of the training digits, in file order. */
    public DataSetIterator trainIterator(int batchSize) {
        return new ViewIterator(train, batchSize);
    }

    /** Batches of the test digits, in file order. */
    public DataSetIterator testIterator(int batchSize) {
        return new ViewIterator(test, batchSize);
    }

    /** One source of IDX bytes with a name for messages. */
    record Source(String name, IoSupplier open) {}

    @FunctionalInterface
    interface IoSupplier {
        InputStream get() throws IOException;
    }

    private static Source resource(String name) {
        return new Source("bundled " + name, () -> {
            InputStream in = Mnist.class.getResourceAsStream(BUNDLED + name);
            if (in == null) {
                throw new IOException("bundled " + name + " is missing from the examples jar");
            }
            return in;
        });
    }

    private static Source file(Path dir, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return new Source(p.toString(), () -> Files.newInputStream(p));
            }
        }
        throw new IOException(dir + " has neither " + base + ".gz nor " + base);
    }

    /**
     * Reads images and labels into one data set.
     *
     * @throws IOException naming the file when one is not IDX, is truncated, or the counts disagree
     */
    static DataSet load(Source images, Source labels) throws IOException {
        IdxFile img = IdxFile.read(images.open().get(), images.name());
        IdxFile lab = IdxFile.read(labels.open().get(), labels.name());
        if (img.dims().length != 3) {
            throw new FileFormatException(Path.of(img.name()), "holds " + img.dims().length
                    + "-dimensional data, expected images [n, rows, cols]");
        }
        if (lab.dims().length != 1) {
            throw new FileFormatException(Path.of(lab.name()), "holds " + lab.dims().length
                    + "-dimensional data, expected labels [n]");
        }
        if (img.count() != lab.count()) {
            throw new FileFormatException(Path.of(img.name()), "holds " + img.count() + " images but " + lab.name()
                    + " holds " + lab.count() + " labels");
        }
        int n = img.count();
        int pixels = img.dims()[1] * img.dims()[2];
        float[] x = new float[n * pixels];
        byte[] raw = img.data();
        for (int i = 0; i < x.length; i++) {
            x[i] = (raw[i] & 0xFF) / 255f;
        }
        float[] y = new float[n * 10];
        for (int i = 0; i < n; i++) {
            int label = lab.data()[i] & 0xFF;
            if (label > 9) {
                throw new FileFormatException(Path.of(lab.name()), "holds label " + label + " at item " + i + ", expected 0-9");
            }
            y[i * 10 + label] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, pixels}, 'c'), Nd4j.create(y, new long[] {n, 10}, 'c'));
    }
}

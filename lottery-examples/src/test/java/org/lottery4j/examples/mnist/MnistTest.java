package org.lottery4j.examples.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class MnistTest {

    static Mnist bundled;

    @BeforeAll
    static void load() throws IOException {
        bundled = Mnist.bundled();
    }

    @Test
    void theBundledDigitsAre8000TrainAnd2000Test() {
        assertThat(bundled.name()).isEqualTo("mnist-10k");
        assertThat(bundled.train().numExamples()).isEqualTo(8000);
        assertThat(bundled.test().numExamples()).isEqualTo(2000);
        assertThat(bundled.train().getFeatures().shape()).containsExactly(8000, 784);
        assertThat(bundled.train().getFeatures().minNumber().doubleValue()).isZero();
        assertThat(bundled.train().getFeatures().maxNumber().doubleValue()).isEqualTo(1.0);
        assertThat(bundled.test().getLabels().sum(1).minNumber().doubleValue()).isEqualTo(1.0);
        // every digit occurs
        assertThat(bundled.train().getLabels().sum(0).minNumber().doubleValue()).isGreaterThan(600);
        DataSetIterator it = bundled.trainIterator(60);
        assertThat(it.next().numExamples()).isEqualTo(60);
    }

    @Test
    void aDirectoryOfRawOrGzipFilesReadsTheSameDigits(@TempDir Path dir) throws IOException {
        Path shared = Path.of("..", "..", "shared", "data", "mnist-10k");
        for (String name : new String[] {Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES, Mnist.TEST_LABELS}) {
            // raw copies of the bundled gzip files
            try (InputStream in = new GZIPInputStream(Mnist.class.getResourceAsStream(
                    "/org/lottery4j/examples/mnist-10k/" + name + ".gz"))) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        Mnist raw = Mnist.fromDirectory(dir);
        assertThat(raw.name()).isEqualTo("mnist");
        assertThat(raw.train().getFeatures()).isEqualTo(bundled.train().getFeatures());
        assertThat(raw.test().getLabels()).isEqualTo(bundled.test().getLabels());
        if (Files.isDirectory(shared)) {
            assertThat(Mnist.fromDirectory(shared).train().getFeatures()).isEqualTo(bundled.train().getFeatures());
        }
    }

    @Test
    void missingFoldersAndFilesAreNamed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Mnist.fromDirectory(dir.resolve("nope")))
                .hasMessage("--mnist-dir " + dir.resolve("nope") + " is not a folder");
        assertThatThrownBy(() -> Mnist.fromDirectory(dir))
                .hasMessage(dir + " has neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte");
        Files.writeString(dir.resolve("train-images-idx3-ubyte"), "not idx");
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[0]);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), new byte[0]);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[0]);
        assertThatThrownBy(() -> Mnist.fromDirectory(dir))
                .hasMessageStartingWith(dir.resolve("train-images-idx3-ubyte") + ": is not an IDX file");
    }

    @Test
    void dl4jsDownloaderIsOnTheClasspath() throws ClassNotFoundException {
        // --download is never run in tests (no internet); its classes must at least load
        assertThat(Class.forName("org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator")).isNotNull();
        assertThat(Class.forName("org.deeplearning4j.datasets.fetchers.MnistDataFetcher")).isNotNull();
    }
}

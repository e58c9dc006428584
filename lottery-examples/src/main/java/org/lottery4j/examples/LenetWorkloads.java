package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lottery4j.examples.mnist.LenetWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.Workload;
import org.lottery4j.spark.SparkExecutor;
import org.lottery4j.study.StudyRun;

/**
 * LeNet-300-100 on the digits that {@link MnistSource} names, for the study executors. It travels to
 * Spark's executors as where the digits are (bundled in the jar, a {@code --mnist-dir} every
 * executor sees, or DL4J's download), not as the digits: each JVM loads them once, on first use.
 *
 * <pre>{@code
 * Mnist mnist = MnistSource.load(source, spec);
 * new LocalExecutor(out, LenetWorkloads.of(source, mnist), 2).run(runs);
 * }</pre>
 */
final class LenetWorkloads implements SparkExecutor.WorkloadFactory {

    private static final long serialVersionUID = 1L;

    /** The digits this JVM loaded, by source. */
    private static final Map<String, Mnist> LOADED = new ConcurrentHashMap<>();

    private final String mnistDir;
    private final boolean download;

    private LenetWorkloads(String mnistDir, boolean download) {
        this.mnistDir = mnistDir;
        this.download = download;
    }

    /** The factory for {@code source} ({@code null}: the bundled digits), which this JVM has loaded as {@code mnist}. */
    static LenetWorkloads of(MnistSource source, Mnist mnist) {
        LenetWorkloads factory = source == null ? new LenetWorkloads(null, false)
                : new LenetWorkloads(source.mnistDir == null ? null : source.mnistDir.toAbsolutePath().toString(),
                        source.download);
        LOADED.putIfAbsent(factory.key(), mnist);
        return factory;
    }

    @Override
    public Workload create(StudyRun run) throws IOException {
        return new LenetWorkload(mnist());
    }

    private Mnist mnist() throws IOException {
        Mnist mnist = LOADED.get(key());
        if (mnist == null) {
            synchronized (LOADED) { // one load per JVM, however many tasks start at once
                mnist = LOADED.get(key());
                if (mnist == null) {
                    mnist = download ? Mnist.download() : mnistDir != null ? Mnist.fromDirectory(Path.of(mnistDir))
                            : Mnist.bundled();
                    LOADED.put(key(), mnist);
                }
            }
        }
        return mnist;
    }

    private String key() {
        return download ? "download" : mnistDir != null ? "dir:" + mnistDir : "bundled";
    }
}

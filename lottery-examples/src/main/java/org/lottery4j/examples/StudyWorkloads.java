package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lottery4j.examples.cifar.Cifar10;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.conv.ImageWorkload;
import org.lottery4j.examples.conv.SubsetName;
import org.lottery4j.examples.mnist.LenetWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.spark.SparkExecutor;
import org.lottery4j.study.StudyRun;

/**
 * The workloads a study file can name, for the study executors: {@code model.name}
 * {@code lenet-300-100} on the digits, or a convolutional model ({@code conv2}, {@code conv4},
 * {@code conv6}, {@code resnet20}) on the digits or on CIFAR-10. {@code dataset.name} says which
 * data and which part of it: {@code mnist-10k} (the bundled digits), {@code mnist} (from
 * {@code --mnist-dir} or {@code --download}), {@code cifar10} (from {@code --cifar-dir}), each of
 * the last two convolutional ones with a {@link SubsetName} suffix such as
 * {@code cifar10-first5000-test1000}, the names the {@code cifar10} command gives its runs.
 *
 * <p>It travels to Spark's executors as where the data is (bundled in the jar, folders every
 * executor sees, or DL4J's MNIST download), not as the data: each JVM loads a dataset once, on
 * first use.
 *
 * <pre>{@code
 * StudyWorkloads workloads = StudyWorkloads.of(source, mnist, cifarDir);
 * workloads.check(run);                                   // before anything runs
 * new LocalExecutor(out, workloads, 2).run(runs);
 * }</pre>
 */
final class StudyWorkloads implements SparkExecutor.WorkloadFactory {

    private static final long serialVersionUID = 2L;

    /** The data this JVM loaded, by source and dataset name. */
    private static final Map<String, Object> LOADED = new ConcurrentHashMap<>();

    /** The base name of CIFAR-10 in {@code dataset.name}. */
    private static final String CIFAR10 = "cifar10";

    private final String mnistDir;
    private final boolean download;
    private final String cifarDir;

    private StudyWorkloads(String mnistDir, boolean download, String cifarDir) {
        this.mnistDir = mnistDir;
        this.download = download;
        this.cifarDir = cifarDir;
    }

    /**
     * The factory for the digits of {@code source} ({@code null}: the bundled ones), which this JVM
     * has loaded as {@code mnist}, and CIFAR-10 in {@code cifarDir} ({@code null}: none).
     */
    static StudyWorkloads of(MnistSource source, Mnist mnist, Path cifarDir) {
        StudyWorkloads factory = new StudyWorkloads(
                source == null || source.mnistDir == null ? null : source.mnistDir.toAbsolutePath().toString(),
                source != null && source.download, cifarDir == null ? null : cifarDir.toAbsolutePath().toString());
        LOADED.putIfAbsent(factory.digitsKey(), mnist);
        return factory;
    }

    @Override
    public Workload create(StudyRun run) throws IOException {
        ExperimentHparams hp = run.hparams();
        String model = hp.model().name();
        String dataset = hp.dataset().name();
        if (model.equals(LenetWorkload.MODEL)) {
            Mnist digits = digits();
            if (!dataset.equals(digits.name())) {
                throw new IllegalArgumentException("dataset.name " + dataset + " is not the digits loaded (" + digits.name()
                        + ", " + (mnistDir == null && !download ? "the bundled ones" : "from --mnist-dir or --download")
                        + "); use mnist-10k for the bundled digits, mnist with --mnist-dir or --download"
                        + " (subsets are for the convolutional models)");
            }
            return new LenetWorkload(digits);
        }
        try {
            ImageModel.forName(model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model.name " + model + " is not one this command trains; use "
                    + LenetWorkload.MODEL + ", " + String.join(", ", modelNames()));
        }
        // once per dataset name: the check before a study runs and every run of it share the images
        SubsetName subset = SubsetName.parse(dataset);
        ImageWorkload images = load((subset.base().equals(CIFAR10) ? "cifar:" + cifarDir : digitsKey()) + ":" + dataset,
                () -> images(subset));
        if (!images.datasetName().equals(dataset)) { // cifar10-first50000 is all of cifar10: one name per data
            throw new IllegalArgumentException("dataset.name " + dataset + " names the data " + images.datasetName());
        }
        return images;
    }

    private static java.util.List<String> modelNames() {
        return java.util.Arrays.stream(ImageModel.values()).map(ImageModel::modelName).toList();
    }

    private ImageWorkload images(SubsetName subset) throws IOException {
        if (subset.base().equals(CIFAR10)) {
            if (cifarDir == null) {
                throw new IllegalArgumentException("dataset.name cifar10 needs --cifar-dir DIR, the folder "
                        + Cifar10Command.BATCHES_FOLDER + " of " + Cifar10.DOWNLOAD_URL + " unpacked");
            }
            return ImageWorkload.of(Cifar10.fromDirectory(Path.of(cifarDir), subset.trainImages(), subset.testImages()));
        }
        Mnist digits = digits();
        if (!subset.base().equals(digits.name())) {
            throw new IllegalArgumentException("dataset.name " + subset.base() + " is not the digits loaded ("
                    + digits.name() + ") or cifar10; use mnist-10k for the bundled digits, mnist with --mnist-dir or "
                    + "--download, cifar10 with --cifar-dir, each with -first<N> and -test<M> for a subset");
        }
        return ImageWorkload.of(digits).first(subset.trainImages(), subset.testImages());
    }

    private Mnist digits() throws IOException {
        return load(digitsKey(), () -> download ? Mnist.download()
                : mnistDir != null ? Mnist.fromDirectory(Path.of(mnistDir)) : Mnist.bundled());
    }

    private interface Loader<T> {
        T load() throws IOException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T load(String key, Loader<T> loader) throws IOException {
        Object data = LOADED.get(key);
        if (data == null) {
            synchronized (LOADED) { // one load per JVM, however many tasks start at once
                data = LOADED.get(key);
                if (data == null) {
                    data = loader.load();
                    LOADED.put(key, data);
                }
            }
        }
        return (T) data;
    }

    private String digitsKey() {
        return download ? "download" : mnistDir != null ? "dir:" + mnistDir : "bundled";
    }
}

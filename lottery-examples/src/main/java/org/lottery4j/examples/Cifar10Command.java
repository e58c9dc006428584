package org.lottery4j.examples;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lottery4j.examples.cifar.ArchiveDownload;
import org.lottery4j.examples.cifar.Cifar10;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.conv.ImageWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.Experiment;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.LearningRateSchedule;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.report.HtmlReport;
import org.lottery4j.rewind.RewindPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Convolutional lottery tickets: Conv-2/4/6 (Frankle and Carbin 2019) and ResNet-20 (Frankle et al.
 * 2020, Renda et al. 2020) on CIFAR-10 or on the bundled MNIST digits, through the same experiment
 * as {@code mnist-lenet}. The defaults take a subset and a few epochs, to finish in minutes on a
 * laptop's CPU; the help's footer gives the papers' settings.
 */
@Command(name = "cifar10", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convolutional lottery tickets: Conv-2/4/6 and ResNet-20 on CIFAR-10 or the bundled MNIST digits.",
                "Writes rounds.csv, results.json, charts and index.html into OUT/lottery_<hash>; "
                        + "running the same command again resumes after the last finished arm."},
        footer = {"", "The papers' settings (CIFAR-10, 45,000 training and 5,000 validation",
                "images; hours to days on a CPU):",
                "  Conv-2     --model conv2 --subset 50000 --validation 5000",
                "             --epochs 27 --rounds 20",
                "             (20K iterations of 60; Frankle & Carbin 2019, Figure 5)",
                "  Conv-4     --model conv4 --subset 50000 --validation 5000",
                "             --epochs 34 --rounds 20  (25K iterations)",
                "  Conv-6     --model conv6 --subset 50000 --validation 5000",
                "             --epochs 40 --rounds 20  (30K iterations)",
                "  ResNet-20  --model resnet20 --subset 50000 --validation 5000",
                "             --epochs 182 --rounds 12 --rewind iteration:500",
                "             (64K iterations of 128, learning rate 0.1 divided by 10 at half",
                "             and three quarters of the budget; --rewind lr-rewind and",
                "             --rewind init for the comparison of Renda et al. 2020)",
                "Add --test-subset 10000 to report the whole test set."})
final class Cifar10Command implements Callable<Integer> {

    /** The MD5 of {@link Cifar10#DOWNLOAD_URL}'s archive, as the CIFAR-10 page publishes it. */
    static final String ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    static final String BATCHES_FOLDER = "cifar-10-batches-bin";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "conv2",
            description = "conv2, conv4, conv6 or resnet20 (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dataset", defaultValue = "cifar10",
            description = "cifar10 (with --cifar-dir or --download) or mnist (the bundled digits, 1x28x28) "
                    + "(default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--cifar-dir", paramLabel = "DIR",
            description = "The folder cifar-10-batches-bin of the binary release (" + Cifar10.DOWNLOAD_URL + ").")
    Path cifarDir;

    @Option(names = "--download",
            description = "Download the binary release (162 MB, MD5 checked) into OUT/data once and read it from there.")
    boolean download;

    @Option(names = "--subset", paramLabel = "N",
            description = "Train on the first N training images (default: 5000 of CIFAR-10, all 8,000 training digits).")
    Integer subset;

    @Option(names = "--test-subset", paramLabel = "N",
            description = "Report on the first N test images (default: 1000 of CIFAR-10's 10,000, all the digits').")
    Integer testSubset;

    @Option(names = "--rounds", defaultValue = "3", description = "Pruning rounds after the dense round (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--epochs", defaultValue = "2", description = "Training epochs per round (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--controls", split = ",", defaultValue = "reinit",
            description = "Control arms: reinit, random_pruning, or none (default: ${DEFAULT-VALUE}).")
    List<String> controls;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: the paper's, 60 or 128 for resnet20).")
    Integer batch;

    @Option(names = "--learning-rate", paramLabel = "LR",
            description = "Learning rate (default: the paper's, Adam 2e-4/3e-4/3e-4 for conv2/4/6, SGD 0.1 for resnet20).")
    Double learningRate;

    @Option(names = "--validation", defaultValue = "500",
            description = "Training images held out for validation (default: ${DEFAULT-VALUE}).")
    int validation;

    @Mixin
    RunOptions run;

    @Mixin
    CpuThreads threads;

    @Mixin
    ArmWorkers armWorkers;

    @Override
    public Integer call() throws Exception {
        ImageModel imageModel = imageModel();
        checkOptions();
        int arms = armWorkers.resolve(threads); // before anything runs: a conflict with --threads is a usage error
        threads.apply();
        ImageWorkload workload = load();
        ExperimentHparams hp = hparams(imageModel, workload);
        Experiment experiment = new Experiment(hp, workload, run.out, HtmlReport::write).withWorkers(arms);
        return ExperimentRuns.runAndPrint(experiment, rounds);
    }

    private ImageModel imageModel() {
        try {
            return ImageModel.forName(model.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--model: " + e.getMessage());
        }
    }

    private boolean cifar() {
        return dataset.equals("cifar10");
    }

    private void checkOptions() {
        if (!cifar() && !dataset.equals("mnist")) {
            throw usage("--dataset must be cifar10 or mnist, got '" + dataset + "'");
        }
        if (cifar() && cifarDir == null && !download) {
            throw usage("--dataset cifar10 needs --cifar-dir DIR, the folder " + BATCHES_FOLDER + " of "
                    + Cifar10.DOWNLOAD_URL + " unpacked, or --download (or use --dataset mnist)");
        }
        if (cifarDir != null && download) {
            throw usage("--cifar-dir and --download do not go together: --download reads what it downloads");
        }
        if (!cifar() && (cifarDir != null || download)) {
            throw usage((download ? "--download" : "--cifar-dir") + " is for --dataset cifar10; --dataset mnist uses "
                    + "the bundled digits");
        }
        if (epochs < 1) {
            throw usage("--epochs must be >= 1, got " + epochs);
        }
        if (rounds < 0) {
            throw usage("--rounds must be >= 0, got " + rounds);
        }
        if (subset != null && subset < 1) {
            throw usage("--subset must be >= 1, got " + subset);
        }
        if (testSubset != null && testSubset < 1) {
            throw usage("--test-subset must be >= 1, got " + testSubset);
        }
        if (batch != null && batch < 1) {
            throw usage("--batch must be >= 1, got " + batch);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The images: the first {@code --subset} training and {@code --test-subset} test images of CIFAR-10, or the digits. */
    private ImageWorkload load() throws IOException {
        if (!cifar()) {
            return ImageWorkload.of(Mnist.bundled()).first(subset == null ? Integer.MAX_VALUE : subset,
                    testSubset == null ? Integer.MAX_VALUE : testSubset);
        }
        Path dir = download ? downloaded() : cifarDir;
        return ImageWorkload.of(Cifar10.fromDirectory(dir, subset == null ? 5000 : subset,
                testSubset == null ? 1000 : testSubset));
    }

    /** CIFAR-10's binary release in {@code OUT/data}, downloaded and unpacked unless it is there already. */
    private Path downloaded() throws IOException {
        return download(new URL(Cifar10.DOWNLOAD_URL), ARCHIVE_MD5, run.out.resolve("data"));
    }

    /**
     * The folder {@value #BATCHES_FOLDER} in {@code data}, after downloading the archive at
     * {@code url}, checking its MD5 and unpacking it there ({@link ArchiveDownload}), unless the
     * folder exists already (tests pass a {@code file:} URL).
     *
     * @throws IOException naming the URL when the download, the MD5 check or the unpacking fails
     */
    static Path download(URL url, String md5, Path data) throws IOException {
        try {
            return ArchiveDownload.fetch(url, md5, data, BATCHES_FOLDER);
        } catch (IOException e) {
            throw new IOException("--download: " + IoErrors.oneLine(e.getMessage()) + "; download and unpack "
                    + Cifar10.DOWNLOAD_URL + " yourself and pass --cifar-dir", e);
        }
    }

    /**
     * The papers' settings for the model ({@link ImageModel#paperTraining()},
     * {@link ImageModel#paperPruning()}) with this command's budget, rounds and rewind point;
     * ResNet-20's step decay moves to half and three quarters of the budget, and it trains with
     * {@code crop-flip} on CIFAR-10.
     */
    ExperimentHparams hparams(ImageModel imageModel, ImageWorkload workload) {
        int batchSize = batch != null ? batch : imageModel.paperBatchSize();
        boolean resnet = imageModel == ImageModel.RESNET20;
        try {
            TrainingHparams.Builder training = run.training(imageModel.paperTraining().toBuilder()
                    .budget(Step.ofEpochs(epochs)));
            if (learningRate != null) {
                training.learningRate(learningRate);
            }
            long perEpoch = Math.max(1, (workload.train().numExamples() - validation + batchSize - 1L) / batchSize);
            long total = perEpoch * epochs;
            RewindPoint rewindPoint = RewindPoint.parse(run.rewind);
            if (rewindPoint instanceof RewindPoint.Iteration late && late.iteration() > total) {
                throw usage("--rewind " + rewindPoint.describe() + " is past the end of training: a round trains "
                        + total + " iterations (" + epochs + " epochs of " + perEpoch + "); pass a smaller K or more --epochs");
            }
            if (resnet) {
                training.schedule(LearningRateSchedule.stepDecay(0.1, Step.ofIterations(Math.max(1, total / 2)),
                        Step.ofIterations(Math.max(1, total * 3 / 4))));
            }
            return ExperimentHparams.builder()
                    .dataset(DatasetHparams.builder().name(workload.datasetName()).batchSize(batchSize)
                            .validationExamples(validation)
                            .augment(resnet && cifar() ? ImageWorkload.CROP_FLIP : DatasetHparams.NO_AUGMENTATION).build())
                    .model(new ModelHparams(imageModel.modelName()))
                    .training(training.build())
                    .pruning(run.pruning(imageModel.paperPruning().toBuilder().rounds(rounds)).build())
                    .controls(ExperimentRuns.controlArms(controls))
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}

package org.lottery4j.examples.conv;

import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.examples.cifar.Cifar10;
import org.lottery4j.examples.cifar.CropFlip;
import org.lottery4j.examples.cifar.Normalization;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The convolutional models ({@link ImageModel}: {@code conv2}, {@code conv4}, {@code conv6},
 * {@code resnet20}) on a set of images held in memory: CIFAR-10 or the MNIST digits. The model is
 * the one {@code model.name} names, built for the data's image shape; {@code dataset.name} must be
 * the data's name, so that a result folder never names other data than it was trained on.
 *
 * <pre>{@code
 * Workload w = ImageWorkload.of(Cifar10.fromDirectory(dir, 5000, 1000));   // dataset.name cifar10-first5000-test1000
 * Workload digits = ImageWorkload.of(Mnist.bundled());                     // dataset.name mnist-10k
 * new Experiment(hp, w, Path.of("out")).run();
 * }</pre>
 *
 * <p>{@code dataset.augment} {@code crop-flip} augments every training batch with {@link CropFlip}
 * (4 pixels of black padding, a random crop of the image's size and a horizontal flip with
 * probability 1/2, the ResNet recipe); {@code none} leaves the batches as they are.
 *
 * @param datasetName the name {@code dataset.name} must have
 * @param shape the shape of one image
 * @param train training images, flat {@code [n, shape.size()]}
 * @param test test images, flat
 * @param normalization how the pixels were normalized: its {@link Normalization#black()} pads crops
 */
public record ImageWorkload(String datasetName, ImageShape shape, DataSet train, DataSet test,
        Normalization normalization) implements Workload {

    /** The {@code dataset.augment} value of the ResNet augmentation. */
    public static final String CROP_FLIP = "crop-flip";

    /** Pixels of padding around an image before {@code crop-flip} crops it. */
    public static final int CROP_PADDING = 4;

    public ImageWorkload {
        Objects.requireNonNull(datasetName, "datasetName");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(normalization, "normalization");
        if (normalization.mean().length != shape.channels()) {
            throw new IllegalArgumentException("a normalization of " + normalization.mean().length
                    + " channels does not fit images of shape " + shape);
        }
        for (DataSet d : new DataSet[] {train, test}) {
            if (d.getFeatures().rank() != 2 || d.getFeatures().columns() != shape.size()) {
                throw new IllegalArgumentException(datasetName + " features of shape "
                        + java.util.Arrays.toString(d.getFeatures().shape()) + " are not flat images of shape " + shape);
            }
        }
    }

    /** Images whose pixels are as they were read (black is 0 in every channel). */
    public ImageWorkload(String datasetName, ImageShape shape, DataSet train, DataSet test) {
        this(datasetName, shape, train, test, new Normalization(new double[shape.channels()], ones(shape.channels())));
    }

    private static double[] ones(int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, 1);
        return out;
    }

    /** CIFAR-10 (3x32x32), normalized per channel. */
    public static ImageWorkload of(Cifar10 cifar) {
        return new ImageWorkload(cifar.name(), ImageShape.CIFAR10, cifar.train(), cifar.test(), cifar.normalization());
    }

    /** MNIST digits (1x28x28, pixels in [0, 1]). */
    public static ImageWorkload of(Mnist mnist) {
        return new ImageWorkload(mnist.name(), ImageShape.MNIST, mnist.train(), mnist.test());
    }

    /**
     * The first {@code trainImages} training and {@code testImages} test images (all of either if
     * there are fewer), named as {@link SubsetName} says.
     *
     * @throws IllegalArgumentException if a count is below 1
     */
    public ImageWorkload first(int trainImages, int testImages) {
        if (trainImages < 1 || testImages < 1) {
            throw new IllegalArgumentException("a subset must hold at least 1 training and 1 test image, got "
                    + trainImages + " and " + testImages);
        }
        int nTrain = Math.min(trainImages, train.numExamples());
        int nTest = Math.min(testImages, test.numExamples());
        String name = SubsetName.of(datasetName, nTrain, train.numExamples(), nTest, test.numExamples());
        DataSet firstTrain = nTrain < train.numExamples() ? firstRows(train, nTrain) : train;
        DataSet firstTest = nTest < test.numExamples() ? firstRows(test, nTest) : test;
        return new ImageWorkload(name, shape, firstTrain, firstTest, normalization);
    }

    private static DataSet firstRows(DataSet d, int n) {
        return new DataSet(d.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup(),
                d.getLabels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup());
    }

    /** @throws IllegalArgumentException naming an unknown model */
    @Override
    public Model createNetwork(ExperimentHparams hp) {
        // the experiment gives it the optimizer, schedule and weight decay of hp.training()
        return ImageModel.forName(hp.model().name()).network(shape, hp.training().seed());
    }

    /**
     * @throws IllegalArgumentException when {@code dataset.name} is not this data's name, or
     *     {@code dataset.augment} not an augmentation it knows
     */
    @Override
    public ExperimentData loadData(ExperimentHparams hp) {
        if (!hp.dataset().name().equals(datasetName)) {
            throw new IllegalArgumentException("this workload holds " + datasetName + ", not " + hp.dataset().name());
        }
        ExperimentData data = ExperimentData.holdOut(train, test, hp.dataset().validationExamples(), hp.training().seed());
        return switch (hp.dataset().augment()) {
            case DatasetHparams.NO_AUGMENTATION -> data;
            case CROP_FLIP -> data.withAugmentation(new CropFlip(shape, CROP_PADDING, normalization.black(), 0));
            default -> throw new IllegalArgumentException("dataset.augment: '" + hp.dataset().augment()
                    + "' is not one of " + DatasetHparams.NO_AUGMENTATION + ", " + CROP_FLIP);
        };
    }
}

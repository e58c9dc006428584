package org.lottery4j.examples.conv;

import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.examples.cifar.Cifar10;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.ExperimentHparams;
import org.nd4j.linalg.dataset.DataSet;

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
 * @param datasetName the name {@code dataset.name} must have
 * @param shape the shape of one image
 * @param train training images, flat {@code [n, shape.size()]}
 * @param test test images, flat
 */
public record ImageWorkload(String datasetName, ImageShape shape, DataSet train, DataSet test) implements Workload {

    public ImageWorkload {
        Objects.requireNonNull(datasetName, "datasetName");
        Objects.requireNonNull(shape, "shape");
        for (DataSet d : new DataSet[] {train, test}) {
            if (d.getFeatures().rank() != 2 || d.getFeatures().columns() != shape.size()) {
                throw new IllegalArgumentException(datasetName + " features of shape "
                        + java.util.Arrays.toString(d.getFeatures().shape()) + " are not flat images of shape " + shape);
            }
        }
    }

    /** CIFAR-10 (3x32x32). */
    public static ImageWorkload of(Cifar10 cifar) {
        return new ImageWorkload(cifar.name(), ImageShape.CIFAR10, cifar.train(), cifar.test());
    }

    /** MNIST digits (1x28x28, pixels in [0, 1]). */
    public static ImageWorkload of(Mnist mnist) {
        return new ImageWorkload(mnist.name(), ImageShape.MNIST, mnist.train(), mnist.test());
    }

    /** @throws IllegalArgumentException naming an unknown model */
    @Override
    public Model createNetwork(ExperimentHparams hp) {
        // the experiment gives it the optimizer, schedule and weight decay of hp.training()
        return ImageModel.forName(hp.model().name()).network(shape, hp.training().seed());
    }

    /** @throws IllegalArgumentException when {@code dataset.name} is not this data's name */
    @Override
    public ExperimentData loadData(ExperimentHparams hp) {
        if (!hp.dataset().name().equals(datasetName)) {
            throw new IllegalArgumentException("this workload holds " + datasetName + ", not " + hp.dataset().name());
        }
        return ExperimentData.holdOut(train, test, hp.dataset().validationExamples(), hp.training().seed());
    }
}

package org.lottery4j.examples.mnist;

import org.deeplearning4j.nn.api.Model;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.conv.ImageShape;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.ExperimentHparams;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * LeNet-300-100, {@link SmallConvNet} or ResNet-20 ({@link ImageModel#RESNET20}) on MNIST for the N:M experiment ({@code mnist-2to4}): the
 * training digits (the first {@code limit} of them, if given) and the test digits, with the
 * validation split the hyperparameters ask for (none by default).
 *
 * <pre>{@code
 * MnistNmWorkload workload = new MnistNmWorkload(Mnist.bundled(), 600);
 * DatasetHparams data = new DatasetHparams(workload.datasetName(), 60, 0);   // mnist-10k-first600
 * }</pre>
 */
public final class MnistNmWorkload implements Workload {

    private final Mnist mnist;
    private final DataSet train;

    /** @param limit train on the first {@code limit} digits only; {@code null} for all */
    public MnistNmWorkload(Mnist mnist, Integer limit) {
        this.mnist = mnist;
        DataSet all = mnist.train();
        this.train = limit == null || limit >= all.numExamples() ? all
                : new DataSet(all.getFeatures().get(NDArrayIndex.interval(0, limit), NDArrayIndex.all()).dup(),
                        all.getLabels().get(NDArrayIndex.interval(0, limit), NDArrayIndex.all()).dup());
    }

    /** The data set's name in the hyperparameters: the MNIST source, and the limit if one applies. */
    public String datasetName() {
        return train == mnist.train() ? mnist.name() : mnist.name() + "-first" + train.numExamples();
    }

    @Override
    public Model createNetwork(ExperimentHparams hp) {
        String model = hp.model().name();
        if (model.equals(LenetWorkload.MODEL)) {
            return LenetWorkload.network(hp.training().seed(), new Sgd()); // the experiment sets the optimizer
        } else if (model.equals(SmallConvNet.MODEL)) {
            return SmallConvNet.network(hp.training().seed(), new Sgd());
        } else if (model.equals(ImageModel.RESNET20.modelName())) {
            return ImageModel.RESNET20.network(ImageShape.MNIST, hp.training().seed());
        }
        throw new IllegalArgumentException("this workload builds " + LenetWorkload.MODEL + ", " + SmallConvNet.MODEL
                + " or " + ImageModel.RESNET20.modelName() + ", not " + model);
    }

    @Override
    public ExperimentData loadData(ExperimentHparams hp) {
        if (!hp.dataset().name().equals(datasetName())) {
            throw new IllegalArgumentException("this workload holds " + datasetName() + ", not " + hp.dataset().name());
        }
        return ExperimentData.holdOut(train, mnist.test(), hp.dataset().validationExamples(), hp.training().seed());
    }
}

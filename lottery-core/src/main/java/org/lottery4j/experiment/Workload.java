package org.lottery4j.experiment;

import java.io.IOException;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.hparams.ExperimentHparams;

/**
 * What an experiment trains: the network and the data its hyperparameters name. The examples
 * module provides MNIST and CIFAR-10 workloads; tests use tiny synthetic ones.
 *
 * <p>The workload builds the architecture only: the experiment then gives every trainable layer
 * the optimizer, learning-rate schedule and weight decay of {@code hp.training()}
 * ({@link org.lottery4j.hparams.TrainingHparams#applyTo}), replacing any updater, weight decay or
 * L2 the workload configured.
 *
 * <pre>{@code
 * Workload mlp = new Workload() {
 *     public Model createNetwork(ExperimentHparams hp) {
 *         MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
 *                 .seed(hp.training().seed()).list()
 *                 .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.RELU).build())
 *                 .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
 *                         .nIn(100).nOut(10).activation(Activation.SOFTMAX).build())
 *                 .build());
 *         net.init();
 *         return net;
 *     }
 *     public ExperimentData loadData(ExperimentHparams hp) {
 *         return ExperimentData.holdOut(trainAll, test, hp.dataset().validationExamples(), hp.training().seed());
 *     }
 * };
 * }</pre>
 */
public interface Workload {

    /**
     * A new, initialized network. The same hyperparameters must give the same initial weights: seed
     * the configuration with {@code hp.training().seed()}. Its updater need not be set.
     */
    Model createNetwork(ExperimentHparams hp);

    /** The data, with a validation split of {@code hp.dataset().validationExamples()} examples. */
    ExperimentData loadData(ExperimentHparams hp) throws IOException;
}

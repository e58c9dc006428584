package org.lottery4j.examples.mnist;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.ExperimentHparams;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * LeNet-300-100 on MNIST, as in Frankle and Carbin (2019): 784-300-100-10, ReLU, softmax, Glorot
 * (Xavier) initialization. Layers are named {@code fc1}, {@code fc2} and {@code output}.
 *
 * <pre>{@code
 * Workload lenet = new LenetWorkload(Mnist.bundled());
 * new Experiment(hparams, lenet, Path.of("out")).run();
 * }</pre>
 */
public final class LenetWorkload implements Workload {

    /** The model name in the hyperparameters. */
    public static final String MODEL = "lenet-300-100";

    private final Mnist mnist;

    public LenetWorkload(Mnist mnist) {
        this.mnist = mnist;
    }

    @Override
    public Model createNetwork(ExperimentHparams hp) {
        if (!hp.model().name().equals(MODEL)) {
            throw new IllegalArgumentException("this workload builds " + MODEL + ", not " + hp.model().name());
        }
        // the experiment gives it the optimizer, schedule and weight decay of hp.training()
        return network(hp.training().seed(), new Sgd());
    }

    /** An initialized LeNet-300-100 (input {@code [n, 784]}) with this updater. */
    public static MultiLayerNetwork network(long seed, IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(784).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nIn(100).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Override
    public ExperimentData loadData(ExperimentHparams hp) {
        return ExperimentData.holdOut(mnist.train(), mnist.test(), hp.dataset().validationExamples(), hp.training().seed());
    }
}

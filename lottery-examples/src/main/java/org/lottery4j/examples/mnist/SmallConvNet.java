package org.lottery4j.examples.mnist;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.lottery4j.examples.conv.ConvNets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small convolutional network for MNIST, fast on a CPU: {@code conv1} 5x5 1->8, ReLU, {@code pool1}
 * max 2x2; {@code conv2} 5x5 8->16, ReLU, {@code pool2} max 2x2; {@code fc} 256->64 ReLU;
 * {@code output} 64->10 softmax. It reads flat digits {@code [n, 784]} like LeNet-300-100.
 *
 * <p>Every weight except {@code conv1}'s has a reduction dimension (input channels for a
 * convolution, inputs for a dense layer) that is a multiple of 4, so 2:4 groups tile it;
 * {@code conv1} has one input channel, so N:M pruning skips it (as NVIDIA's ASP does).
 *
 * <p>Like the other convolutional examples, it runs with {@link ConvNets#CACHE_MODE}.
 *
 * <pre>{@code
 * MultiLayerNetwork net = SmallConvNet.network(42, new Adam(1.2e-3));
 * }</pre>
 */
public final class SmallConvNet {

    /** The model name in settings and output folders. */
    public static final String MODEL = "convnet";

    private SmallConvNet() {}

    /** An initialized network (Xavier initialization, seeded). */
    public static MultiLayerNetwork network(long seed, IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .cacheMode(ConvNets.CACHE_MODE) // im2col kept for the backward pass: same numbers, faster
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool2").kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

package org.lottery4j.examples.conv;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Conv-2, Conv-4 and Conv-6 of Frankle and Carbin (2019), for any input shape: pairs of 3x3
 * convolutions (padding "same", ReLU) with 64, then 128, then 256 filters, each pair followed by
 * 2x2 max-pooling (stride 2, an odd size rounded down), then dense layers of 256 and 256 units
 * (ReLU) and a softmax output of 10, with Gaussian Glorot (Xavier) initialization as in the paper.
 * Layers are named {@code conv1..conv6}, {@code pool1..pool3}, {@code fc1}, {@code fc2} and
 * {@code output}. The input is flat images ({@link ImageShape}).
 *
 * <p>The networks cache each convolution's unfolded input (im2col) from the forward pass for the
 * backward pass ({@link #CACHE_MODE}): the same numbers, about a third less time per step on a CPU
 * (BENCHMARKS.md, {@code ConvBenchmark}), for memory of the unfolded input of each convolution.
 *
 * <p>The networks carry a placeholder updater: an experiment sets the optimizer, schedule and
 * weight decay of its hyperparameters on every layer.
 *
 * <pre>{@code
 * MultiLayerNetwork conv4 = ConvNets.network(2, ImageShape.CIFAR10, 42);   // 2 pairs: Conv-4
 * }</pre>
 */
public final class ConvNets {

    private static final int[] FILTERS = {64, 128, 256};

    /**
     * The cache mode of the convolutional examples: {@code DEVICE} keeps each convolution's im2col
     * buffer from the forward pass for the backward pass instead of unfolding the input again,
     * which gives the same parameters bit for bit and was the fastest configuration measured
     * (BENCHMARKS.md).
     */
    public static final CacheMode CACHE_MODE = CacheMode.DEVICE;

    private ConvNets() {}

    /**
     * An initialized Conv-{@code 2 * pairs} network.
     *
     * @param pairs pairs of convolutions, 1 to 3 (Conv-2, Conv-4, Conv-6)
     * @param shape the input images
     * @param seed seed of the initialization
     */
    public static MultiLayerNetwork network(int pairs, ImageShape shape, long seed) {
        if (pairs < 1 || pairs > FILTERS.length) {
            throw new IllegalArgumentException("Conv-2, Conv-4 and Conv-6 have 1 to 3 pairs of convolutions, got " + pairs);
        }
        int side = Math.min(shape.height(), shape.width());
        if (side >> pairs < 1) {
            throw new IllegalArgumentException("images of shape " + shape + " are too small for Conv-" + 2 * pairs
                    + ": its " + pairs + " poolings need at least " + (1 << pairs) + " pixels on each side");
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Sgd())
                .convolutionMode(ConvolutionMode.Same)
                .cacheMode(CACHE_MODE)
                .list();
        for (int p = 0; p < pairs; p++) {
            for (int k = 1; k <= 2; k++) {
                list.layer(new ConvolutionLayer.Builder(3, 3).name("conv" + (2 * p + k)).nOut(FILTERS[p])
                        .activation(Activation.RELU).build());
            }
            list.layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool" + (p + 1)).kernelSize(2, 2).stride(2, 2)
                    .convolutionMode(ConvolutionMode.Truncate).build());
        }
        list.layer(new DenseLayer.Builder().name("fc1").nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels()));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }
}

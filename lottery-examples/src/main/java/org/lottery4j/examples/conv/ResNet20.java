package org.lottery4j.examples.conv;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * ResNet-20 for CIFAR-10 (He et al. 2016, section 4.2) as a {@code ComputationGraph}, for any input
 * shape: a 3x3 convolution with 16 filters, three stages of 3 basic blocks (two 3x3 convolutions)
 * with 16, 32 and 64 filters, global average pooling and a dense softmax output of 10. Every
 * convolution is followed by batch normalization and has no bias (the normalization's shift takes
 * its place); He (Kaiming) normal initialization.
 *
 * <p>The first block of stages 2 and 3 halves the resolution with stride 2, and its shortcut is a
 * projection: a 1x1 convolution with stride 2 and batch normalization (the paper's option B). The
 * paper's own CIFAR networks use option A (subsampling and zero channels, no parameters); the
 * projection is what open_lth's {@code cifar_resnet_20} uses, the network of the rewinding papers
 * (Frankle et al. 2020, Renda et al. 2020) whose figures these tickets are compared with, at
 * 2,560 more weights. Both projection kernels are convolution weights, so they are pruned like
 * the others; batch-normalization parameters are never pruned (the default pruning scope leaves
 * them out).
 *
 * <p>Vertices: {@code input}; {@code conv1}, {@code bn1}, {@code relu1}; for each stage {@code s}
 * (1-3) and block {@code b} (1-3), {@code s<s>b<b>_conv1}, {@code _bn1}, {@code _relu1},
 * {@code _conv2}, {@code _bn2}, at a stage's start {@code _proj} and {@code _proj_bn}, then
 * {@code _add} and {@code _relu}; {@code pool}; {@code output}. The network carries a placeholder
 * updater: an experiment sets the optimizer, schedule and weight decay of its hyperparameters.
 *
 * <pre>{@code
 * ComputationGraph resnet = ResNet20.network(ImageShape.MNIST, 42);   // the first convolution takes 1 channel
 * }</pre>
 */
public final class ResNet20 {

    private static final int[] FILTERS = {16, 32, 64};
    private static final int BLOCKS = 3;

    private ResNet20() {}

    /** An initialized ResNet-20 for images of {@code shape}, its weights drawn from {@code seed}. */
    public static ComputationGraph network(ImageShape shape, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.RELU)
                .updater(new Sgd())
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels()));
        String last = convBn(g, "conv1", "bn1", "input", FILTERS[0], 3, 1);
        g.addLayer("relu1", new ActivationLayer(Activation.RELU), last);
        last = "relu1";
        for (int s = 0; s < FILTERS.length; s++) {
            for (int b = 0; b < BLOCKS; b++) {
                last = block(g, "s" + (s + 1) + "b" + (b + 1), last, FILTERS[s], s > 0 && b == 0);
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("output");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /** A basic block: conv-bn-relu, conv-bn, plus the shortcut, relu; returns the last vertex's name. */
    private static String block(ComputationGraphConfiguration.GraphBuilder g, String p, String in, int filters,
            boolean downsample) {
        int stride = downsample ? 2 : 1;
        g.addLayer(p + "_relu1", new ActivationLayer(Activation.RELU), convBn(g, p + "_conv1", p + "_bn1", in, filters, 3, stride));
        String residual = convBn(g, p + "_conv2", p + "_bn2", p + "_relu1", filters, 3, 1);
        String shortcut = downsample ? convBn(g, p + "_proj", p + "_proj_bn", in, filters, 1, 2) : in;
        g.addVertex(p + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), residual, shortcut);
        g.addLayer(p + "_relu", new ActivationLayer(Activation.RELU), p + "_add");
        return p + "_relu";
    }

    /** A convolution without bias followed by batch normalization; returns the normalization's name. */
    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, String conv, String bn, String in,
            int filters, int kernel, int stride) {
        g.addLayer(conv, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters).hasBias(false)
                .activation(Activation.IDENTITY).build(), in);
        g.addLayer(bn, new BatchNormalization.Builder().build(), conv);
        return bn;
    }
}

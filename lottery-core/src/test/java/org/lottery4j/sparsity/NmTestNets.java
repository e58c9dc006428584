package org.lottery4j.sparsity;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Networks for the N:M and export tests. */
public final class NmTestNets {

    private NmTestNets() {}

    /** conv 3x3 (4 -> 8 channels) -> dense (128 -> 8) -> output (8 -> 3), on 4x6x6 inputs. */
    public static MultiLayerNetwork conv(long seed) {
        MultiLayerConfiguration conf = Nets.base(seed).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(8).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 4))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** dense (10 -> 8, nIn not a multiple of 4) -> dense (8 -> 4) -> output (4 -> 3). */
    public static MultiLayerNetwork oddInput(long seed) {
        MultiLayerConfiguration conf = Nets.base(seed).list()
                .layer(new DenseLayer.Builder().name("odd").nIn(10).nOut(8).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("even").nIn(8).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

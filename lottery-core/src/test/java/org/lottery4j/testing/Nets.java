package org.lottery4j.testing;

import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks and data for tests: a 12-16-8-3 MLP as MultiLayerNetwork or ComputationGraph. */
public final class Nets {

    public static final int IN = 12;
    public static final int CLASSES = 3;

    private Nets() {}

    /** The kinds of network lottery4j supports. */
    public enum Kind {
        MULTI_LAYER,
        GRAPH
    }

    /** A configured builder: seed, Adam(1e-2) unless the caller changes the updater. */
    public static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-2));
    }

    /** The MLP with default settings. */
    public static Model mlp(Kind kind, long seed) {
        return mlp(kind, base(seed));
    }

    /** The MLP 12-16-8-3 (ReLU, softmax) with layers named dense0, dense1, output. */
    public static Model mlp(Kind kind, NeuralNetConfiguration.Builder builder) {
        DenseLayer d0 = new DenseLayer.Builder().name("dense0").nIn(IN).nOut(16).activation(Activation.RELU).build();
        DenseLayer d1 = new DenseLayer.Builder().name("dense1").nIn(16).nOut(8).activation(Activation.RELU).build();
        OutputLayer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                .nIn(8).nOut(CLASSES).activation(Activation.SOFTMAX).build();
        if (kind == Kind.MULTI_LAYER) {
            MultiLayerConfiguration conf = builder.list().layer(d0).layer(d1).layer(out).build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return net;
        }
        ComputationGraphConfiguration conf = builder.graphBuilder()
                .addInputs("in")
                .addLayer("dense0", d0, "in")
                .addLayer("dense1", d1, "dense0")
                .addLayer("output", out, "dense1")
                .setOutputs("output")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** A 200-300-10 MLP: 63,000 weights, for size measurements. */
    public static MultiLayerNetwork wide(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new DenseLayer.Builder().nIn(200).nOut(300).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(300).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Conv 3x3 -> batch norm -> pool -> dense with layer norm -> output, on 2x8x8 inputs. */
    public static MultiLayerNetwork convNet(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(8).hasLayerNorm(true).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** LSTM(5 -> 6) -> RNN output, on sequences of 5 features. */
    public static MultiLayerNetwork lstmNet(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new LSTM.Builder().nIn(5).nOut(6).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** {@code n} examples of a learnable 3-class problem, in batches of {@code batch}. */
    public static DataSetIterator data(int n, int batch, long seed) {
        return new ListDataSetIterator<>(dataSet(n, seed).asList(), batch);
    }

    /** {@code n} examples of a learnable 3-class problem, as one data set. */
    public static DataSet dataSet(int n, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][IN];
        float[][] y = new float[n][CLASSES];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < IN; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][x[i][0] + x[i][1] > 0.5 ? 0 : (x[i][2] - x[i][3] > 0 ? 1 : 2)] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /** Trains either kind of network for some epochs. */
    public static void fit(Model net, DataSetIterator data, int epochs) {
        if (net instanceof MultiLayerNetwork mln) {
            mln.fit(data, epochs);
        } else {
            ((ComputationGraph) net).fit(data, epochs);
        }
    }

    /** A copy of the network's flat parameters as floats. */
    public static float[] params(Model model) {
        return model.params().toFloatVector();
    }

    /** Bit patterns of the values, to compare floats exactly. */
    public static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToIntBits(values[i]);
        }
        return out;
    }

    /** Bit patterns of an array's values. */
    public static int[] bits(INDArray a) {
        return bits(a.toFloatVector());
    }

    /** LeNet-300-100 (fc1, fc2, output; ReLU, softmax) on 784 inputs. */
    public static MultiLayerNetwork lenet(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(784).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A small MNIST convnet: conv1 5x5x8, pool1, conv2 5x5x16 (then bn2 and relu2 if asked), pool2, fc1 64, output. */
    public static MultiLayerNetwork mnistConvNet(long seed, boolean batchNorm) {
        NeuralNetConfiguration.ListBuilder list = base(seed).list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nIn(1).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16)
                        .activation(batchNorm ? Activation.IDENTITY : Activation.RELU).build());
        if (batchNorm) {
            list.layer(new BatchNormalization.Builder().name("bn2").build())
                    .layer(new ActivationLayer.Builder().name("relu2").activation(Activation.RELU).build());
        }
        MultiLayerConfiguration conf = list
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A convnet of every supported setting on 2x13x11 inputs: Same mode with stride (odd total
     * padding: DL4J pads one pixel more at the bottom and right), dilation with explicit padding and
     * no bias, average and max pooling, tanh, leaky relu, sigmoid, 2-D batch norm, dropout, identity.
     */
    public static MultiLayerNetwork mixedConvNet(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new ConvolutionLayer.Builder(4, 4).name("same").nOut(4).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(3, 2).name("dilated").nOut(5).dilation(2, 1).padding(1, 2)
                        .hasBias(false).activation(Activation.LEAKYRELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).name("avg").kernelSize(2, 2)
                        .stride(1, 1).padding(1, 0).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("maxsame").kernelSize(3, 3)
                        .stride(2, 2).convolutionMode(ConvolutionMode.Same).build())
                .layer(new DenseLayer.Builder().name("fc").nOut(7).activation(Activation.SIGMOID).build())
                .layer(new BatchNormalization.Builder().name("bn").build())
                .layer(new DropoutLayer.Builder(0.5).name("drop").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(13, 11, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A 3x3 stride-2 average pooling of 2x7x8 inputs (Truncate mode with padding 1, or Same) and a 3-way output. */
    public static MultiLayerNetwork averagePooling(ConvolutionMode mode, boolean includePad) {
        SubsamplingLayer.Builder pool = new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).name("avg")
                .kernelSize(3, 3).stride(2, 2).convolutionMode(mode).avgPoolIncludePadInDivisor(includePad);
        if (mode == ConvolutionMode.Truncate) {
            pool.padding(1, 1); // Same mode computes its own
        }
        MultiLayerConfiguration conf = base(2).list()
                .layer(pool.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(7, 8, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A Same-mode 2x4 convolution (4 filters, relu) and a softmax output on NCHW input of 2x7x9 with
     * no input preprocessor: the network's input height and width are not in its configuration.
     */
    public static MultiLayerNetwork nchwConvNet(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new ConvolutionLayer.Builder(2, 4).name("conv").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(7, 9, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

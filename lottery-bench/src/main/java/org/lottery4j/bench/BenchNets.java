package org.lottery4j.bench;

import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.conv.ImageShape;
import org.lottery4j.training.Batches;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The networks and batches the benchmarks share. */
final class BenchNets {

    private BenchNets() {}

    /** LeNet-300-100 as in Frankle and Carbin (2019): 784-300-100-10, ReLU, softmax, Adam 1.2e-3. */
    static MultiLayerNetwork lenet300100(long seed) {
        return mlp(seed, 784, 10, 300, 100);
    }

    /** A ReLU MLP {@code nIn - hidden... - nOut} with a softmax output, Adam 1.2e-3. */
    static MultiLayerNetwork mlp(long seed, int nIn, int nOut, int... hidden) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1.2e-3))
                .list();
        int in = nIn;
        for (int h : hidden) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
            in = h;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(nOut)
                .activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * An MLP of about {@code weights} weights: four square hidden layers and a 10-way output, the
     * shape of a large fully connected model.
     */
    static MultiLayerNetwork squareMlp(long weights) {
        int width = (int) Math.round(Math.sqrt(weights / 4.0));
        return mlp(1, width, 10, width, width, width, width);
    }

    /**
     * The networks of the inference benchmarks, initialized and not pruned: {@code lenet}
     * (784-300-100-10), {@code mlp4096} (4096-4096-4096-10), {@code conv2} (the examples' Conv-2 for
     * MNIST digits, 1x28x28) and {@code resnet20} (the examples' ResNet-20 for CIFAR-10, 3x32x32).
     * Every one takes flat inputs, {@code [batch, features]}: the convolutional ones reshape them to
     * NCHW in their first layer, as the examples feed them.
     */
    static Model inferenceNet(String name) {
        return switch (name) {
            case "lenet" -> lenet300100(1);
            case "mlp4096" -> mlp(1, 4096, 10, 4096, 4096);
            case "conv2" -> ImageModel.CONV2.network(ImageShape.MNIST, 1);
            case "resnet20" -> ImageModel.RESNET20.network(ImageShape.CIFAR10, 1);
            default -> throw new IllegalArgumentException("no inference network '" + name
                    + "': lenet, mlp4096, conv2 or resnet20");
        };
    }

    /**
     * {@link #inferenceNet}'s network {@code name} pruned at random to {@code sparsity}
     * ({@link #pruneAtRandom}, seed 7), its batch normalization then set from 32 random examples
     * ({@link #calibrateBatchNorm}, seed 11): for a given name and sparsity, the same weights in
     * every call and every benchmark.
     */
    static Model prunedInferenceNet(String name, double sparsity) {
        Model net = inferenceNet(name);
        pruneAtRandom(net, sparsity, new Random(7));
        if (net instanceof ComputationGraph g) {
            Nd4j.getRandom().setSeed(11);
            calibrateBatchNorm(g, Nd4j.rand(DataType.FLOAT, 32, inferenceFeatures(name)));
        }
        return net;
    }

    /** Values per example of {@link #inferenceNet}'s network {@code name}: 784, 4096, 784 (1x28x28) or 3072 (3x32x32). */
    static int inferenceFeatures(String name) {
        return switch (name) {
            case "lenet" -> 784;
            case "mlp4096" -> 4096;
            case "conv2" -> ImageShape.MNIST.size();
            case "resnet20" -> ImageShape.CIFAR10.size();
            default -> throw new IllegalArgumentException("no inference network '" + name
                    + "': lenet, mlp4096, conv2 or resnet20");
        };
    }

    /**
     * Zeroes exactly {@code round(sparsity * n)} of the {@code n} weights of every weight matrix
     * and convolution kernel ({@code W}), layer by layer, chosen by one {@code random}; biases and
     * batch-normalization parameters keep their values, as the examples' pruning scopes leave them.
     */
    static void pruneAtRandom(Model net, double sparsity, Random random) {
        Layer[] layers = net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
        for (Layer layer : layers) {
            INDArray w = layer.paramTable().get("W");
            if (w == null) {
                continue; // pooling, activation, batch normalization
            }
            float[] values = w.dup('c').data().asFloat();
            int[] order = Batches.permutation(values.length, random);
            for (int i = 0; i < Math.round(sparsity * values.length); i++) {
                values[order[i]] = 0f;
            }
            w.assign(Nd4j.create(values, w.shape(), 'c'));
        }
    }

    /**
     * Sets every batch normalization's running mean and variance to the per-channel mean and
     * variance of its input over {@code data}, layer by layer in the order they run, as training
     * would have (roughly) left them. An initialized network has mean 0 and variance 1 everywhere,
     * and ResNet-20's activations then grow through its residual sums until the softmax saturates
     * (one class at 1.0, the others below 1e-9), where a parity check of the outputs would see
     * almost nothing.
     */
    static void calibrateBatchNorm(ComputationGraph net, INDArray data) {
        for (int i : net.topologicalSortOrder()) {
            GraphVertex v = net.getVertices()[i];
            if (!v.hasLayer() || !(v.getLayer() instanceof BatchNormalization bn)) {
                continue;
            }
            String in = net.getConfiguration().getVertexInputs().get(v.getVertexName()).get(0);
            INDArray x = net.feedForward(data, false).get(in); // [n, channels, height, width]
            INDArray mean = x.mean(0, 2, 3);
            INDArray variance = x.var(false, 0, 2, 3);
            set(bn, BatchNormalizationParamInitializer.GLOBAL_MEAN, mean);
            if (bn.paramTable().containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                // DL4J's default keeps log10 of the standard deviation instead of the variance
                set(bn, BatchNormalizationParamInitializer.GLOBAL_LOG_STD,
                        Transforms.log(Transforms.sqrt(variance, true), 10, false));
            } else {
                set(bn, BatchNormalizationParamInitializer.GLOBAL_VAR, variance);
            }
        }
    }

    private static void set(BatchNormalization bn, String key, INDArray values) {
        INDArray param = bn.getParam(key);
        param.assign(values.reshape(param.shape()));
    }

    /** The inference benchmarks' input: {@code batch} examples of {@code features} uniform values in [0, 1), seed 3. */
    static INDArray inferenceInput(int batch, long features) {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(DataType.FLOAT, batch, features);
    }

    /** A batch of random inputs with one-hot labels cycling through the classes. */
    static DataSet batch(int size, int nIn, int classes) {
        DataSet batch = new DataSet(Nd4j.rand(size, nIn), Nd4j.zeros(size, classes));
        for (int i = 0; i < size; i++) {
            batch.getLabels().putScalar(i, i % classes, 1.0);
        }
        return batch;
    }
}

package org.lottery4j.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

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

    /** A batch of random inputs with one-hot labels cycling through the classes. */
    static DataSet batch(int size, int nIn, int classes) {
        DataSet batch = new DataSet(Nd4j.rand(size, nIn), Nd4j.zeros(size, classes));
        for (int i = 0; i < size; i++) {
            batch.getLabels().putScalar(i, i % classes, 1.0);
        }
        return batch;
    }
}

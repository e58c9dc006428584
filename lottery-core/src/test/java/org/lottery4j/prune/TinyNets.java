package org.lottery4j.prune;

import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny DOUBLE networks for checking the pruning-at-initialization scores against hand and finite-difference values. */
final class TinyNets {

    static final ParamKey HIDDEN = ParamKey.of("hidden", "W");
    static final ParamKey OUT = ParamKey.of("out", "W");

    private TinyNets() {}

    /** 2-3-2, tanh (smooth, for second differences), softmax with cross-entropy; layers hidden and out. */
    static MultiLayerNetwork smooth(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(2).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** An MLP of these widths, no biases, the given hidden activation, a softmax output; layers l0, l1, ... */
    static MultiLayerNetwork chain(long seed, Activation hidden, boolean biases, int... widths) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list();
        for (int i = 0; i + 2 < widths.length; i++) {
            list.layer(new DenseLayer.Builder().name("l" + i).nIn(widths[i]).nOut(widths[i + 1]).hasBias(biases)
                    .activation(hidden).build());
        }
        int last = widths.length - 2;
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("l" + last).nIn(widths[last])
                .nOut(widths[last + 1]).hasBias(biases).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** {@code n} examples of 2 features and 2 one-hot classes. */
    static DataSet data(int n, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[n][2];
        double[][] y = new double[n][2];
        for (int i = 0; i < n; i++) {
            x[i][0] = random.nextGaussian();
            x[i][1] = random.nextGaussian();
            y[i][x[i][0] * x[i][1] > 0 ? 0 : 1] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /** The scores a prepared method gives the whole parameter. */
    static float[] scores(PruningMethod prepared, NetworkView view, ParamKey key) {
        ParamInfo p = view.param(key).orElseThrow();
        float[] out = new float[(int) p.length()];
        prepared.score(key, 0, view.read(p), out, out.length);
        return out;
    }

    /** The loss of the network with its flat parameters set to {@code w}, then set back. */
    static double loss(MultiLayerNetwork net, double[] w, DataSet batch) {
        double[] saved = net.params().toDoubleVector();
        net.params().assign(Nd4j.createFromArray(w).reshape(net.params().shape()));
        double score = net.score(batch);
        net.params().assign(Nd4j.createFromArray(saved).reshape(net.params().shape()));
        return score;
    }

    /** dL/dw by central differences of the loss. */
    static double[] gradientByDifferences(MultiLayerNetwork net, DataSet batch, double h) {
        double[] w = net.params().toDoubleVector();
        double[] g = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double[] plus = w.clone();
            double[] minus = w.clone();
            plus[i] += h;
            minus[i] -= h;
            g[i] = (loss(net, plus, batch) - loss(net, minus, batch)) / (2 * h);
        }
        return g;
    }
}

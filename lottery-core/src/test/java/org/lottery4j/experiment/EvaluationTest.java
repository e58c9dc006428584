package org.lottery4j.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Evaluation in chunks gives what DL4J gives on all examples at once. */
class EvaluationTest {

    @Test
    void chunkedLossAndAccuracyEqualThoseOfOnePass() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).l2(1e-2).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        int n = 2 * Evaluation.CHUNK + 321; // three chunks, the last one short
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1);
        }
        DataSet all = new DataSet(x, y);
        NetworkAdapter adapter = NetworkAdapter.of(net);

        // the regularization term counts once, as in DL4J's own score
        assertThat(Evaluation.loss(adapter, all)).isCloseTo(net.score(all), within(1e-5));
        INDArray predicted = net.output(x).argMax(1);
        double expected = predicted.eq(y.argMax(1)).castTo(DataType.INT).sumNumber().doubleValue() / n;
        assertThat(Evaluation.accuracy(adapter, all)).isEqualTo(expected);
        DataSet small = new DataSet(x.getRows(0, 1, 2), y.getRows(0, 1, 2));
        assertThat(Evaluation.loss(adapter, small)).isEqualTo(net.score(small)); // one chunk: DL4J's number
    }
}

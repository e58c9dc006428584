package org.lottery4j.stability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Graphs;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class BatchNormStatisticsTest {

    /** n random 2x8x8 images in 3 classes, for {@link Nets#convNet}. */
    private static DataSet images(int n, long seed) {
        DataSet d = Graphs.randomData(n, 2 * 8 * 8, 3, seed);
        return new DataSet(d.getFeatures().reshape(n, 2, 8, 8), d.getLabels());
    }

    private static float[] read(Model m, String layer, String param) {
        NetworkAdapter network = NetworkAdapter.of(m);
        return network.read(network.param(ParamKey.of(layer, param)).orElseThrow());
    }

    @Test
    void theMidpointsStatisticsAreThoseOfItsBatchNormInputsOverTheData() {
        Model[] pair = LinearInterpolationTest.trainedPair(Nets.convNet(3), images(64, 1), 12);
        float[] a = pair[0].params().dup().toFloatVector();
        float[] b = pair[1].params().dup().toFloatVector();
        DataSet train = images(40, 2);

        Model middle = LinearInterpolation.between(pair[0], pair[1]).withBatchNormData(train).networkAt(0.5);

        // by hand: the averaged network's convolution outputs, per channel over examples and positions
        MultiLayerNetwork averaged = (MultiLayerNetwork) LinearInterpolation.between(pair[0], pair[1]).networkAt(0.5);
        INDArray conv = averaged.feedForwardToLayer(0, train.getFeatures(), false).get(1);
        double[] mean = conv.mean(0, 2, 3).toDoubleVector();
        double[] var = conv.var(false, 0, 2, 3).toDoubleVector();
        float[] storedMean = read(middle, "layer1", "mean");
        float[] log10std = read(middle, "layer1", "log10stdev");
        for (int c = 0; c < 4; c++) {
            assertThat(storedMean[c]).as("mean of channel %d", c).isCloseTo((float) mean[c], within(1e-6f));
            assertThat(Math.pow(10, 2 * log10std[c])).as("variance of channel %d", c).isCloseTo(var[c], within(1e-5 * var[c] + 1e-12));
        }
        assertThat(storedMean).isNotEqualTo(read(averaged, "layer1", "mean")); // not the averaged running mean
        // every other parameter is the average
        float[] mid = middle.params().toFloatVector();
        for (ParamInfo p : NetworkAdapter.of(middle).params()) {
            if (!p.key().layer().equals("layer1") || p.key().param().equals("gamma") || p.key().param().equals("beta")) {
                for (long i = p.offset(); i < p.offset() + p.length(); i++) {
                    assertThat(mid[(int) i]).as("%s", p.key()).isEqualTo((a[(int) i] + b[(int) i]) / 2);
                }
            }
        }
        // the ends keep their own statistics, and neither network changed
        assertThat(LinearInterpolation.between(pair[0], pair[1]).withBatchNormData(train).networkAt(0).params()
                .toFloatVector()).containsExactly(a);
        LinearInterpolation.between(pair[0], pair[1]).withBatchNormData(train).evaluate(images(30, 5), 3);
        assertThat(pair[0].params().toFloatVector()).containsExactly(a);
        assertThat(pair[1].params().toFloatVector()).containsExactly(b);
    }

    /** dense -> batch norm (log std) -> dense -> batch norm (variance) -> output, on 12 features. */
    private static MultiLayerNetwork twoBatchNorms(long seed) {
        MultiLayerConfiguration conf = Nets.base(seed).list()
                .layer(new DenseLayer.Builder().nIn(Nets.IN).nOut(6).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(6).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new BatchNormalization.Builder().nOut(5).useLogStd(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(Nets.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void inferenceAfterwardsComputesWhatTrainingModeComputesOnAllTheDataAsOneBatch() {
        MultiLayerNetwork net = twoBatchNorms(6);
        LinearInterpolationTest.trainShuffled(net, Nets.dataSet(100, 1), 10, 1);
        INDArray x = Nets.dataSet(50, 2).getFeatures();
        INDArray trainingMode = net.clone().feedForward(x, true).get(5);

        BatchNormStatistics.recompute(net, x, 7); // chunks of 7, 50 examples: the last one short

        INDArray inference = net.output(x, false);
        assertThat(inference.sub(trainingMode).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(read(net, "layer3", "var")).hasSize(5);
    }

    @Test
    void chunksGiveTheStatisticsOfTheWhole() {
        MultiLayerNetwork net = twoBatchNorms(8);
        LinearInterpolationTest.trainShuffled(net, Nets.dataSet(100, 1), 10, 1);
        INDArray x = Nets.dataSet(50, 2).getFeatures();
        MultiLayerNetwork whole = net.clone();

        BatchNormStatistics.recompute(net, x, 7);
        BatchNormStatistics.recompute(whole, x, 50);

        float[] chunked = net.params().toFloatVector();
        float[] once = whole.params().toFloatVector();
        for (int i = 0; i < once.length; i++) {
            assertThat(chunked[i]).isCloseTo(once[i], within(1e-6f));
        }
    }

    @Test
    void aGraphsBatchNormReadsItsInputVertex() {
        ComputationGraph graph = Graphs.everyVertex(ElementWiseVertex.Op.Add, 4);
        INDArray x = Graphs.randomData(30, 7 * 9 * 2, 3, 9).getFeatures();

        BatchNormStatistics.recompute(graph, x, 8);

        INDArray in = graph.feedForward(x, false).get("a"); // [30, 4, 7, 9]
        double[] mean = in.mean(0, 2, 3).toDoubleVector();
        double[] var = in.var(false, 0, 2, 3).toDoubleVector();
        float[] storedMean = read(graph, "a_bn", "mean");
        float[] log10std = read(graph, "a_bn", "log10stdev");
        for (int c = 0; c < 4; c++) {
            assertThat(storedMean[c]).isCloseTo((float) mean[c], within(1e-6f));
            assertThat(Math.pow(10, 2 * log10std[c])).isCloseTo(var[c], within(1e-5 * var[c] + 1e-12));
        }
        assertThat(BatchNormStatistics.present(graph)).isTrue();
        assertThat(BatchNormStatistics.present(Nets.mlp(Nets.Kind.GRAPH, 1))).isFalse();
    }
}

package org.lottery4j.stability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.lottery4j.experiment.Evaluation;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class LinearInterpolationTest {

    /** Two copies of one network trained apart on different orders of the same data. */
    static Model[] trainedPair(Model net, DataSet train, int steps) {
        Model a = TrainingCopy.of(net);
        Model b = TrainingCopy.of(net);
        trainShuffled(a, train, steps, 1);
        trainShuffled(b, train, steps, 2);
        return new Model[] {a, b};
    }

    static void trainShuffled(Model net, DataSet train, int steps, long seed) {
        NetworkAdapter network = NetworkAdapter.of(net);
        List<DataSet> examples = new ArrayList<>(train.asList());
        java.util.Collections.shuffle(examples, new Random(seed));
        DataSet shuffled = DataSet.merge(examples);
        int batch = 16;
        for (int s = 0; s < steps; s++) {
            int from = (s * batch) % (shuffled.numExamples() - batch);
            network.fit((DataSet) shuffled.getRange(from, from + batch));
        }
    }

    private static float[] params(Model m) {
        return m.params().dup().toFloatVector();
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void endpointsAreTheTrainedNetworksBitForBit(Nets.Kind kind) {
        Model[] pair = trainedPair(Nets.mlp(kind, 7), Nets.dataSet(200, 1), 30);
        DataSet test = Nets.dataSet(2500, 2); // more than one chunk of 2000

        InstabilityResult r = LinearInterpolation.between(pair[0], pair[1]).evaluate(test);

        assertThat(r.alphas()).hasSize(11).startsWith(0.0, 0.1, 0.2).endsWith(0.9, 1.0);
        assertThat(r.errors().get(0)).isEqualTo(1 - Evaluation.accuracy(pair[0], test));
        assertThat(r.errors().get(10)).isEqualTo(1 - Evaluation.accuracy(pair[1], test));
        assertThat(r.losses().get(0)).isEqualTo(Evaluation.loss(pair[0], test));
        assertThat(r.losses().get(10)).isEqualTo(Evaluation.loss(pair[1], test));
        assertThat(r.errors().get(0)).isNotEqualTo(r.errors().get(10)); // two different networks
        assertThat(r.instability()).isGreaterThanOrEqualTo(0.0);
        assertThat(params(LinearInterpolation.between(pair[0], pair[1]).networkAt(0))).containsExactly(params(pair[0]));
        assertThat(params(LinearInterpolation.between(pair[0], pair[1]).networkAt(1))).containsExactly(params(pair[1]));
    }

    @Test
    void theMidpointIsTheAverageOfTheParameters() {
        Model[] pair = trainedPair(Nets.mlp(Nets.Kind.MULTI_LAYER, 3), Nets.dataSet(200, 1), 20);
        float[] a = params(pair[0]);
        float[] b = params(pair[1]);
        float[] average = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            average[i] = (a[i] + b[i]) / 2;
        }

        Model middle = LinearInterpolation.between(pair[0], pair[1]).networkAt(0.5);

        assertThat(params(middle)).containsExactly(average);
        // and the path's middle point is that network
        DataSet test = Nets.dataSet(300, 4);
        InstabilityResult r = LinearInterpolation.between(pair[0], pair[1]).evaluate(test, 3);
        assertThat(r.alphas()).containsExactly(0.0, 0.5, 1.0);
        assertThat(r.errors().get(1)).isEqualTo(1 - Evaluation.accuracy(middle, test));
        assertThat(r.losses().get(1)).isEqualTo(Evaluation.loss(middle, test));
    }

    @Test
    void aPointIsTheMixOfTheParametersRoundedOnce() {
        Model[] pair = trainedPair(Nets.mlp(Nets.Kind.GRAPH, 3), Nets.dataSet(200, 1), 20);
        float[] a = params(pair[0]);
        float[] b = params(pair[1]);
        float[] expected = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = (float) ((1 - 0.3) * a[i] + 0.3 * b[i]);
        }
        assertThat(params(LinearInterpolation.between(pair[0], pair[1]).networkAt(0.3))).containsExactly(expected);
    }

    @Test
    void identicalNetworksGiveAFlatPathAndNoInstability() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 5);
        trainShuffled(net, Nets.dataSet(200, 1), 20, 3);
        DataSet test = Nets.dataSet(300, 4);

        InstabilityResult r = LinearInterpolation.between(net, TrainingCopy.of(net)).evaluate(test);

        assertThat(r.instability()).isEqualTo(0.0);
        assertThat(r.errors()).containsOnly(1 - Evaluation.accuracy(net, test));
        assertThat(r.losses()).containsOnly(Evaluation.loss(net, test));
        assertThat(r.isStable(0)).isTrue();
        assertThat(params(LinearInterpolation.between(net, TrainingCopy.of(net)).networkAt(0.7))).containsExactly(params(net));
    }

    @Test
    void theInputNetworksAreNotChanged() {
        Model[] pair = trainedPair(Nets.mlp(Nets.Kind.GRAPH, 9), Nets.dataSet(200, 1), 20);
        float[] a = params(pair[0]);
        float[] b = params(pair[1]);
        int iterations = NetworkAdapter.of(pair[0]).iterationCount();

        LinearInterpolation path = LinearInterpolation.between(pair[0], pair[1]);
        path.evaluate(Nets.dataSet(100, 4), 5);
        path.networkAt(0.25);

        assertThat(params(pair[0])).containsExactly(a);
        assertThat(params(pair[1])).containsExactly(b);
        assertThat(NetworkAdapter.of(pair[0]).iterationCount()).isEqualTo(iterations);
    }

    @Test
    void prunedWeightsStayZeroAlongThePath() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 11);
        ParamKey key = ParamKey.of("dense0", "W");
        NetworkView view = NetworkView.of(net);
        boolean[] kept = new boolean[12 * 16];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = i % 3 != 0;
        }
        MaskSet masks = MaskSet.of(java.util.Map.of(key, Mask.of(new long[] {12, 16}, kept)));
        net.params().muli(masks.toFlat(net));
        Model a = TrainingCopy.of(net);
        Model b = TrainingCopy.of(net);
        b.params().muli(1.5); // a different network, still 0 where pruned

        Model point = LinearInterpolation.between(a, b).withMasks(masks).networkAt(0.3);

        float[] w = NetworkView.of(point).read(view.param(key).orElseThrow());
        for (int i = 0; i < kept.length; i++) {
            if (!kept[i]) {
                assertThat(w[i]).as("weight %d", i).isZero();
            }
        }
        assertThat(w[1]).isNotZero();

        b.params().putScalar(0, 0.25); // element 0 of dense0/W is pruned
        assertThatThrownBy(() -> LinearInterpolation.between(a, b).withMasks(masks))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("network B has 1 non-zero weights at pruned positions of dense0/W: "
                        + "these masks are not the ones it was trained with");
    }

    @Test
    void networksOfDifferentArchitecturesAreRefusedNamingTheDifference() {
        Model mlp = Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        assertThatThrownBy(() -> LinearInterpolation.between(mlp, Nets.mlp(Nets.Kind.GRAPH, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("networks of different architectures: A is a MultiLayerNetwork, B a ComputationGraph");
        assertThatThrownBy(() -> LinearInterpolation.between(mlp, Nets.wide(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("networks of different architectures: parameter 0 is dense0/W[12, 16]@0 (DenseLayer) in A "
                        + "but layer0/W[200, 300]@0 (DenseLayer) in B");
        assertThatThrownBy(() -> LinearInterpolation.between(mlp, tanhMlp(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("networks of different architectures: their configurations differ at confs[0].layer")
                .hasMessageContaining("activationFn").hasMessageContaining("TanH");
        // another seed is the same architecture
        assertThat(LinearInterpolation.between(mlp, Nets.mlp(Nets.Kind.MULTI_LAYER, 2))).isNotNull();
    }

    // the MLP of Nets with tanh in its first layer: the same parameters, another function
    private static MultiLayerNetwork tanhMlp(long seed) {
        MultiLayerConfiguration conf = Nets.base(seed).list()
                .layer(new DenseLayer.Builder().name("dense0").nIn(Nets.IN).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("dense1").nIn(16).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nIn(8).nOut(Nets.CLASSES).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void argumentsOutOfRangeAreRefused() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        LinearInterpolation path = LinearInterpolation.between(net, net);
        assertThatThrownBy(() -> path.networkAt(1.5)).hasMessage("alpha must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> path.networkAt(Double.NaN)).hasMessage("alpha must be in [0, 1], got NaN");
        assertThatThrownBy(() -> path.evaluate(Nets.dataSet(10, 1), 1))
                .hasMessage("a path needs at least 2 points (its ends), got 1");
    }
}

package org.lottery4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.api.ndarray.INDArray;

class NetworkViewTest {

    @Test
    void segmentsMatchEveryLayersParameterViews() {
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {Nets.convNet(1), Nets.lstmNet(1)}) {
            NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
            for (ParamInfo p : view.params()) {
                INDArray actual = net.getLayer(p.layerIndex()).getParam(p.key().param());
                assertThat(actual.shape()).isEqualTo(p.shape());
                // the segment holds the parameter's elements in its storage order
                assertThat(NetworkAdapter.segment(net.params(), p).toFloatVector())
                        .isEqualTo(actual.dup(p.order()).data().asFloat());
                // and writing through the flat vector changes the layer's parameter
                NetworkAdapter.segment(net.params(), p).putScalar(0, 42f);
                assertThat(actual.dup(p.order()).data().asFloat()[0]).isEqualTo(42f);
            }
            assertThat(view.params().stream().mapToLong(ParamInfo::length).sum()).isEqualTo(view.numParams());
        }
    }

    @Test
    void denseWeightsAreColumnMajorAndConvolutionWeightsRowMajor() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.convNet(1));
        NetworkView view = viewAdapter.view();
        ParamInfo conv = view.params().stream().filter(p -> p.layerType().equals("ConvolutionLayer") && p.weight())
                .findFirst().orElseThrow();
        ParamInfo dense = view.params().stream().filter(p -> p.layerType().equals("DenseLayer") && p.weight())
                .findFirst().orElseThrow();
        assertThat(conv.order()).isEqualTo('c');
        assertThat(conv.shape()).containsExactly(4, 2, 3, 3);
        assertThat(dense.order()).isEqualTo('f');
    }

    @Test
    void uninitializedNetworksAreRejected() {
        MultiLayerNetwork net = new MultiLayerNetwork(((MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1))
                .getLayerWiseConfigurations());
        assertThatThrownBy(() -> NetworkView.of(net))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the network is not initialized: call init() on the MultiLayerNetwork before using it with lottery4j");
        ComputationGraph graph = new ComputationGraph(((ComputationGraph) Nets.mlp(Nets.Kind.GRAPH, 1)).getConfiguration());
        assertThatThrownBy(() -> NetworkView.of(graph)).hasMessageContaining("call init() on the ComputationGraph");
    }

    @Test
    void resetTrainingStateClearsUpdaterAndCounters() {
        Model net = Nets.mlp(Nets.Kind.GRAPH, 2);
        Nets.fit(net, Nets.data(48, 12, 1), 2);
        NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
        assertThat(viewAdapter.iterationCount()).isEqualTo(8);
        assertThat(viewAdapter.epochCount()).isEqualTo(2);
        viewAdapter.resetTrainingState();
        assertThat(viewAdapter.iterationCount()).isZero();
        assertThat(viewAdapter.epochCount()).isZero();
        assertThat(viewAdapter.updaterState().amaxNumber().doubleValue()).isZero();
    }

    @Test
    void freshParamsDependOnlyOnTheSeed() {
        NetworkAdapter aAdapter = NetworkAdapter.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 1));
        NetworkView a = aAdapter.view();
        NetworkAdapter bAdapter = NetworkAdapter.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 2));
        NetworkView b = bAdapter.view();
        assertThat(aAdapter.freshParams(9).toFloatVector()).isEqualTo(bAdapter.freshParams(9).toFloatVector());
        assertThat(aAdapter.freshParams(9).toFloatVector()).isNotEqualTo(aAdapter.freshParams(10).toFloatVector());
        assertThat(Arrays.equals(aAdapter.freshParams(1).toFloatVector(), Nets.params(aAdapter.model()))).isTrue();
    }

    @Test
    void accuracyCountsTheExamplesWhoseHighestOutputIsTheLabelAcrossChunks() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.mlp(Nets.Kind.GRAPH, 3));
        NetworkView view = viewAdapter.view();
        org.nd4j.linalg.dataset.DataSet d = Nets.dataSet(4500, 5); // three chunks of at most 2,000
        INDArray predicted = viewAdapter.output(d.getFeatures());
        long correct = 0;
        for (int i = 0; i < d.numExamples(); i++) {
            correct += predicted.getRow(i).argMax().getInt(0) == d.getLabels().getRow(i).argMax().getInt(0) ? 1 : 0;
        }
        assertThat(org.lottery4j.experiment.Evaluation.accuracy(viewAdapter.model(), d)).isEqualTo((double) correct / 4500);
    }

    @Test
    void readCopiesEachParameterInTheFlatOrder() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.convNet(2));
        NetworkView view = viewAdapter.view();
        float[] flat = viewAdapter.flatParams().toFloatVector();
        for (ParamInfo p : view.params()) {
            assertThat(view.read(p)).isEqualTo(Arrays.copyOfRange(flat, (int) p.offset(), (int) (p.offset() + p.length())));
        }
    }

    @Test
    void aCopyLeavesTheOriginalsListenersAndHasNoneOfItsOwn() {
        for (Nets.Kind kind : Nets.Kind.values()) {
            Model net = Nets.mlp(kind, 1);
            org.deeplearning4j.optimize.api.TrainingListener listener = new org.deeplearning4j.optimize.listeners.ScoreIterationListener(1000);
            NetworkAdapter.of(net).addListener(listener);
            for (org.nd4j.linalg.api.buffer.DataType type : new org.nd4j.linalg.api.buffer.DataType[] {
                    org.nd4j.linalg.api.buffer.DataType.FLOAT, org.nd4j.linalg.api.buffer.DataType.DOUBLE}) {
                Model copy = NetworkView.of(net).copy(type);
                assertThat(NetworkAdapter.of(net).listeners()).as("%s %s", kind, type).containsExactly(listener);
                assertThat(NetworkAdapter.of(copy).listeners()).as("%s %s", kind, type).isEmpty();
            }
        }
    }
}

package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;

class SynflowTest {

    /** Weights of layer l as [nIn][nOut] from the flat 'f' order. */
    private static double[][] matrix(NetworkView view, ParamKey key) {
        ParamInfo p = view.param(key).orElseThrow();
        long[] shape = p.shape();
        float[] flat = view.read(p);
        double[][] m = new double[(int) shape[0]][(int) shape[1]];
        for (int j = 0; j < shape[1]; j++) {
            for (int i = 0; i < shape[0]; i++) {
                m[i][j] = flat[i + j * (int) shape[0]];
            }
        }
        return m;
    }

    @Test
    void scoresAreAbsoluteWeightTimesPathsInAndOutByHand() {
        // a linear chain 4-5-3-2 without biases: R = 1' |W0| |W1| |W2| 1, and w's flow is |w| x (paths into
        // its input unit) x (paths out of its output unit)
        MultiLayerNetwork net = TinyNets.chain(11, Activation.IDENTITY, false, 4, 5, 3, 2);
        NetworkView view = NetworkView.of(net);
        PruningMethod prepared = PruningMethod.synflow().prepare(view);
        List<double[][]> w = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            double[][] m = matrix(view, ParamKey.of("l" + l, "W"));
            for (double[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.abs(row[j]);
                }
            }
            w.add(m);
        }
        // into[l][i]: paths from the ones input into unit i of layer l's input; out[l][j]: paths from layer l's output unit j on
        double[][] into = new double[3][];
        into[0] = new double[] {1, 1, 1, 1};
        for (int l = 1; l < 3; l++) {
            into[l] = new double[w.get(l).length];
            for (int j = 0; j < into[l].length; j++) {
                for (int i = 0; i < into[l - 1].length; i++) {
                    into[l][j] += into[l - 1][i] * w.get(l - 1)[i][j];
                }
            }
        }
        double[][] out = new double[3][];
        out[2] = new double[] {1, 1};
        for (int l = 1; l >= 0; l--) {
            out[l] = new double[w.get(l)[0].length];
            for (int i = 0; i < out[l].length; i++) {
                for (int j = 0; j < out[l + 1].length; j++) {
                    out[l][i] += w.get(l + 1)[i][j] * out[l + 1][j];
                }
            }
        }
        double max = 0;
        List<double[][]> expected = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            double[][] e = new double[w.get(l).length][w.get(l)[0].length];
            for (int i = 0; i < e.length; i++) {
                for (int j = 0; j < e[i].length; j++) {
                    e[i][j] = w.get(l)[i][j] * into[l][i] * out[l][j];
                    max = Math.max(max, e[i][j]);
                }
            }
            expected.add(e);
        }
        for (int l = 0; l < 3; l++) {
            ParamKey key = ParamKey.of("l" + l, "W");
            float[] s = TinyNets.scores(prepared, view, key);
            double[][] e = expected.get(l);
            for (int j = 0; j < e[0].length; j++) {
                for (int i = 0; i < e.length; i++) {
                    assertThat((double) s[i + j * e.length]).as(key + "[" + i + "][" + j + "]")
                            .isCloseTo(e[i][j] / max, within(1e-6)); // scores divided by the largest
                }
            }
        }
    }

    @Test
    void synapticFlowIsConservedAcrossTheLayersOfALinearChain() {
        MultiLayerNetwork net = TinyNets.chain(5, Activation.IDENTITY, false, 6, 8, 7, 5, 3);
        NetworkView view = NetworkView.of(net);
        PruningMethod prepared = PruningMethod.synflow().prepare(view);
        double[] sums = new double[4];
        for (int l = 0; l < 4; l++) {
            for (float s : TinyNets.scores(prepared, view, ParamKey.of("l" + l, "W"))) {
                sums[l] += s;
            }
        }
        assertThat(sums[0]).isGreaterThan(1); // at least the largest score, 1
        for (int l = 1; l < 4; l++) {
            assertThat(sums[l]).as("layer l" + l).isCloseTo(sums[0], within(1e-5 * sums[0]));
        }
    }

    @Test
    void prunedWeightsCarryNoFlow() {
        MultiLayerNetwork net = TinyNets.chain(5, Activation.RELU, true, 6, 8, 3);
        NetworkView view = NetworkView.of(net);
        ParamKey l0 = ParamKey.of("l0", "W");
        boolean[] kept = new boolean[48];
        for (int i = 0; i < 48; i++) {
            kept[i] = i % 3 != 0;
        }
        MaskSet masks = MaskSet.of(java.util.Map.of(l0, Mask.of(new long[] {6, 8}, kept)));
        float[] s = TinyNets.scores(PruningMethod.synflow().prepare(view, masks), view, l0);
        for (int i = 0; i < 48; i++) {
            assertThat(s[i] == 0).as("l0/W[" + i + "]").isEqualTo(!kept[i]);
        }
    }

    /**
     * Layer collapse: a narrow middle layer with weights a hundred times smaller. Global magnitude
     * pruning to 99.5% removes all of them, disconnecting the network; SynFlow keeps weights in every layer.
     */
    @Test
    void synflowAvoidsTheLayerCollapseThatGlobalMagnitudePruningCauses() {
        MultiLayerNetwork net = TinyNets.chain(3, Activation.RELU, true, 20, 100, 4, 100, 10);
        ParamInfo narrow = NetworkView.of(net).param(ParamKey.of("l1", "W")).orElseThrow();
        org.lottery4j.internal.NetworkAdapter.segment(net.params(), narrow).muli(0.01);
        NetworkView view = NetworkView.of(net);
        int[] before = Nets.bits(net.params());
        assertThat(view.read(narrow)[7]).isEqualTo((float) (0.01 * TinyNets.chain(3, Activation.RELU, true, 20, 100, 4, 100, 10)
                .params().getDouble(narrow.offset() + 7)));

        Pruner magnitude = new Pruner(PruningMethod.magnitude(), PruningScope.global());
        MaskSet byMagnitude = magnitude.prune(view, magnitude.initialMasks(view), 0.995).masks();
        assertThat(byMagnitude.get(ParamKey.of("l1", "W")).countKept()).isZero();

        Pruner synflow = new Pruner(PruningMethod.synflow(), PruningScope.global());
        MaskSet bySynflow = synflow.prune(view, synflow.initialMasks(view), 0.995).masks();
        assertThat(bySynflow.sparsity().fractionRemaining()).isCloseTo(19.0 / 3800, within(1e-12)); // round(0.005 x 3800) kept
        for (ParamKey key : bySynflow.keys()) {
            assertThat(bySynflow.get(key).countKept()).as(key.toString()).isPositive();
        }
        assertThat(Nets.bits(net.params())).isEqualTo(before); // 100 steps later, the network is as it was
    }

    @Test
    void aMultiLayerNetworkAndTheSameGraphScoreAlike() {
        NetworkView a = NetworkView.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 5));
        NetworkView b = NetworkView.of(Nets.mlp(Nets.Kind.GRAPH, 5));
        Pruner pruner = new Pruner(PruningMethod.synflow(20), PruningScope.global());
        assertThat(pruner.prune(b, pruner.initialMasks(b), 0.9).masks())
                .isEqualTo(pruner.prune(a, pruner.initialMasks(a), 0.9).masks());
    }

    @Test
    void theInputShapeComesFromTheDataWhenTheNetworkDoesNotSayIt() {
        NetworkView conv = NetworkView.of(Nets.nchwConvNet(3));
        assertThatThrownBy(() -> PruningMethod.synflow().prepare(conv))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("synflow(iterations=100) cannot tell the input shape of a network whose first layer is 'conv' "
                        + "(ConvolutionLayer): call withTrainingData(train, seed) so that it reads one example's shape");
        PruningMethod withShape = PruningMethod.synflow(3).withTrainingData(
                new org.nd4j.linalg.dataset.DataSet(Nd4j.rand(5, 2, 7, 9), Nd4j.zeros(5, 3)), 0);
        assertThat(withShape.describe()).isEqualTo("synflow(iterations=3)");
        Pruner pruner = new Pruner(withShape, PruningScope.layerwise());
        MaskSet masks = pruner.prune(conv, pruner.initialMasks(conv), 0.5).masks();
        assertThat(masks.get(ParamKey.of("conv", "W")).countPruned()).isEqualTo(Math.round(0.5 * 2 * 4 * 2 * 4));
    }

    @Test
    void batchNormalizationIsRefusedNamingTheLayer() {
        NetworkView view = NetworkView.of(Nets.mnistConvNet(1, true));
        assertThatThrownBy(() -> PruningMethod.synflow().prepare(view))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch normalization (layer 'bn2')");
    }
}

package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.dataset.DataSet;

class GraspTest {

    private static final DataSet TRAIN = TinyNets.data(20, 1);

    /**
     * Hg by second differences of the loss alone, independent of DL4J's gradients: g by central
     * differences, then (Hg)_i = d2L/(dw_i dt) along w + t g by a mixed difference.
     */
    private static double[] hessianTimesGradientByLossDifferences(MultiLayerNetwork net, DataSet batch) {
        double[] w = net.params().toDoubleVector();
        double[] g = TinyNets.gradientByDifferences(net, batch, 1e-5);
        double h = 1e-4;
        double t = 1e-4;
        double[] hg = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double sum = 0;
            for (int si = -1; si <= 1; si += 2) {
                for (int st = -1; st <= 1; st += 2) {
                    double[] x = w.clone();
                    for (int j = 0; j < x.length; j++) {
                        x[j] += st * t * g[j];
                    }
                    x[i] += si * h;
                    sum += si * st * TinyNets.loss(net, x, batch);
                }
            }
            hg[i] = sum / (4 * h * t);
        }
        return hg;
    }

    @Test
    void hessianTimesGradientMatchesSecondDifferencesOfTheLossAndTheWeightsAreRestoredBitForBit() {
        MultiLayerNetwork net = TinyNets.smooth(3);
        DataSet batch = TrainingBatch.choose(TRAIN, 8, 4);
        WorkingCopy copy = WorkingCopy.of(NetworkView.of(net));
        double[] w = copy.params();
        double[] hg = GraspPruning.hessianTimesGradient(copy, w, batch);
        double[] expected = hessianTimesGradientByLossDifferences(net, batch);

        double scale = Arrays.stream(expected).map(Math::abs).max().orElseThrow();
        assertThat(scale).isGreaterThan(1e-3); // not a vacuous comparison of zeros
        for (int i = 0; i < hg.length; i++) {
            assertThat(hg[i]).as("Hg[" + i + "]").isCloseTo(expected[i], within(1e-4 * scale));
        }
        // the working copy's weights are w again, bit for bit, after the two moved gradients
        assertThat(Arrays.stream(copy.params()).mapToLong(Double::doubleToRawLongBits).toArray())
                .isEqualTo(Arrays.stream(w).mapToLong(Double::doubleToRawLongBits).toArray());
    }

    @Test
    void itRemovesTheWeightsOfHighestPaperScoreMinusWeightTimesHg() {
        MultiLayerNetwork net = TinyNets.smooth(3);
        NetworkView view = NetworkView.of(net);
        long[] before = Arrays.stream(net.params().toDoubleVector()).mapToLong(Double::doubleToRawLongBits).toArray();
        PruningMethod grasp = PruningMethod.grasp(8).withTrainingData(TRAIN, 4);
        Pruner pruner = new Pruner(grasp, PruningScope.layerwise());
        MaskSet masks = pruner.prune(view, pruner.initialMasks(view), 0.5).masks();

        double[] w = net.params().toDoubleVector();
        double[] hg = hessianTimesGradientByLossDifferences(net, TrainingBatch.choose(TRAIN, 8, 4));
        for (ParamKey key : new ParamKey[] {TinyNets.HIDDEN, TinyNets.OUT}) {
            ParamInfo p = view.param(key).orElseThrow();
            int off = (int) p.offset();
            boolean[] kept = new boolean[6];
            Arrays.fill(kept, true);
            // the paper's S = -w Hg: its top half goes
            IntStream.range(0, 6).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -w[off + i] * hg[off + i]).reversed())
                    .limit(3).forEach(i -> kept[i] = false);
            assertThat(masks.get(key)).as(key.toString()).isEqualTo(Mask.of(p.shape(), kept));
        }
        // the network itself is untouched
        assertThat(Arrays.stream(net.params().toDoubleVector()).mapToLong(Double::doubleToRawLongBits).toArray())
                .isEqualTo(before);
    }

    @Test
    void itWorksOnAGraphAsOnTheSameMultiLayerNetwork() {
        PruningMethod grasp = PruningMethod.grasp(30).withTrainingData(Nets.dataSet(60, 2), 3);
        NetworkView a = NetworkView.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 5));
        NetworkView b = NetworkView.of(Nets.mlp(Nets.Kind.GRAPH, 5));
        Pruner pruner = new Pruner(grasp, PruningScope.global());
        assertThat(pruner.prune(b, pruner.initialMasks(b), 0.6).masks())
                .isEqualTo(pruner.prune(a, pruner.initialMasks(a), 0.6).masks());
    }

    @Test
    void withoutDataItSaysToCallWithTrainingData() {
        NetworkView view = NetworkView.of(TinyNets.smooth(3));
        assertThatThrownBy(() -> PruningMethod.grasp(50).prepare(view))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("grasp(batch=50) scores weights from gradients on training data and has none");
    }
}

package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.dataset.DataSet;

class SnipTest {

    @Test
    void scoresAreWeightTimesTheGradientOfTheMeanLossOnTheSeededBatch() {
        MultiLayerNetwork net = TinyNets.smooth(3);
        DataSet train = TinyNets.data(20, 1);
        DataSet batch = TrainingBatch.choose(train, 6, 9);
        NetworkView view = NetworkView.of(net);
        PruningMethod prepared = PruningMethod.snip(6).withTrainingData(train, 9).prepare(view);

        double[] g = TinyNets.gradientByDifferences(net, batch, 1e-6);
        for (ParamInfo p : view.params()) {
            float[] scores = TinyNets.scores(prepared, view, p.key());
            double[] w = net.params().toDoubleVector();
            for (int i = 0; i < scores.length; i++) {
                int at = (int) p.offset() + i;
                assertThat((double) scores[i]).as(p.key() + "[" + i + "]")
                        .isCloseTo(Math.abs(w[at] * g[at]), within(1e-7 + 1e-5 * Math.abs(w[at] * g[at])));
            }
        }
    }

    @Test
    void masksKeepTheWeightsOfHighestSensitivity() {
        MultiLayerNetwork net = TinyNets.smooth(3);
        DataSet train = TinyNets.data(20, 1);
        NetworkView view = NetworkView.of(net);
        Pruner pruner = new Pruner(PruningMethod.snip(6).withTrainingData(train, 9), PruningScope.layerwise());
        MaskSet masks = pruner.prune(view, pruner.initialMasks(view), 0.5).masks();

        double[] g = TinyNets.gradientByDifferences(net, TrainingBatch.choose(train, 6, 9), 1e-6);
        double[] w = net.params().toDoubleVector();
        for (ParamKey key : new ParamKey[] {TinyNets.HIDDEN, TinyNets.OUT}) {
            ParamInfo p = view.param(key).orElseThrow();
            int off = (int) p.offset();
            // the 3 of 6 weights of lowest |w g|, by the independent gradient
            boolean[] kept = new boolean[6];
            Arrays.fill(kept, true);
            IntStream.range(0, 6).boxed().sorted(Comparator.comparingDouble(i -> Math.abs(w[off + i] * g[off + i])))
                    .limit(3).forEach(i -> kept[i] = false);
            assertThat(masks.get(key)).as(key.toString()).isEqualTo(Mask.of(p.shape(), kept));
        }
    }

    @Test
    void theSameSeedDrawsTheSameBatchAndAnotherSeedAnother() {
        DataSet train = TinyNets.data(50, 1);
        assertThat(TrainingBatch.choose(train, 10, 4).getFeatures()).isEqualTo(TrainingBatch.choose(train, 10, 4).getFeatures());
        assertThat(TrainingBatch.choose(train, 10, 4).getFeatures()).isNotEqualTo(TrainingBatch.choose(train, 10, 5).getFeatures());
        assertThat(TrainingBatch.choose(train, 10, 4).numExamples()).isEqualTo(10);
        assertThat(TrainingBatch.choose(train, 100, 4).numExamples()).isEqualTo(50); // all of them when fewer
    }

    @Test
    void aMultiLayerNetworkAndTheSameGraphScoreAlike() {
        Model mln = Nets.mlp(Nets.Kind.MULTI_LAYER, 5);
        Model graph = Nets.mlp(Nets.Kind.GRAPH, 5);
        assertThat(Nets.bits(graph.params())).isEqualTo(Nets.bits(mln.params()));
        PruningMethod snip = PruningMethod.snip(30).withTrainingData(Nets.dataSet(60, 2), 3);
        NetworkView a = NetworkView.of(mln);
        NetworkView b = NetworkView.of(graph);
        PruningMethod pa = snip.prepare(a);
        PruningMethod pb = snip.prepare(b);
        for (ParamInfo p : a.params()) {
            float[] sa = TinyNets.scores(pa, a, p.key());
            float[] sb = TinyNets.scores(pb, b, p.key());
            for (int i = 0; i < sa.length; i++) {
                assertThat(sb[i]).as(p.key() + "[" + i + "]").isCloseTo(sa[i], within(1e-6f * (1 + sa[i])));
            }
        }
        assertThat(Arrays.stream(a.params().toArray(ParamInfo[]::new)).mapToDouble(p -> TinyNets.scores(pa, a, p.key())[0]).sum())
                .isPositive();
    }

    @Test
    void withoutDataItSaysToCallWithTrainingData() {
        NetworkView view = NetworkView.of(TinyNets.smooth(3));
        Pruner pruner = new Pruner(PruningMethod.snip(100), PruningScope.global());
        assertThat(PruningMethod.snip(100).needsTrainingData()).isTrue();
        assertThatThrownBy(() -> pruner.prune(view, pruner.initialMasks(view), 0.5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("snip(batch=100) scores weights from gradients on training data and has none: "
                        + "call withTrainingData(train, seed) on the method before pruning with it");
        assertThatThrownBy(() -> PruningMethod.snip(0)).hasMessage("snip batch must be at least 1, got 0");
    }

    @Test
    void theDescriptionLeavesTheDataOut() {
        PruningMethod snip = PruningMethod.snip(7).withTrainingData(TinyNets.data(10, 1), 3);
        assertThat(snip.describe()).isEqualTo("snip(batch=7)");
        assertThat(snip).isEqualTo(PruningMethod.snip(7));
    }

    @Test
    void neitherPreparingNorPruningChangesTheNetwork() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 5);
        int[] before = Nets.bits(net.params());
        NetworkView view = NetworkView.of(net);
        for (PruningMethod m : new PruningMethod[] {PruningMethod.snip(20), PruningMethod.grasp(20)}) {
            Pruner pruner = new Pruner(m.withTrainingData(Nets.dataSet(40, 1), 2), PruningScope.global());
            pruner.prune(view, pruner.initialMasks(view), 0.7);
        }
        assertThat(Nets.bits(net.params())).isEqualTo(before);
        assertThat(((MultiLayerNetwork) net).getInput()).isNull();
    }
}

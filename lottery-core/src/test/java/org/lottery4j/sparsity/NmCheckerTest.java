package org.lottery4j.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.Pruned;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.api.ndarray.INDArray;

class NmCheckerTest {

    private final NmChecker checker = new NmChecker(NmPattern.TWO_FOUR);

    @Test
    void countsViolatingGroupsOfAHandMadeMatrix() {
        float[] w = {
            1, 0, 2, 0, /**/ 1, 2, 3, 0, /**/ 0, 0, 0, 0, // row 0: one group with 3 non-zeros
            1, 1, 1, 1, /**/ -0f, 5, 0, 6, /**/ 1e-30f, 1e-30f, 1e-30f, 0, // row 1: 4 non-zeros, ok, tiny but non-zero
        };
        NmReport.Entry e = checker.checkMatrix("hand", w, 2, 12);
        assertThat(e).isEqualTo(new NmReport.Entry("hand", 6, 3));
        assertThat(e.satisfied()).isFalse();
        assertThat(new NmChecker(new NmPattern(3, 4)).checkMatrix("hand", w, 2, 12).violatingGroups()).isEqualTo(1);
        assertThat(new NmChecker(new NmPattern(2, 6)).checkMatrix("hand", w, 2, 12).violatingGroups()).isEqualTo(3);
    }

    @Test
    void checksTheNetworkBeforeAndAfterPruning() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(NmTestNets.conv(8));
        NetworkView view = viewAdapter.view();
        NmReport dense = checker.check(view);
        assertThat(dense.satisfied()).isFalse();
        assertThat(dense.entries()).extracting(NmReport.Entry::name).containsExactly("conv/W", "dense/W", "output/W");
        // random weights are never zero: every group violates
        assertThat(dense.entries()).allSatisfy(e -> assertThat(e.violatingGroups()).isEqualTo(e.groups()));
        assertThat(dense.entries().get(0).groups()).isEqualTo(8 * 9 * (4 / 4));
        assertThat(dense.entries().get(1).groups()).isEqualTo(8 * (128 / 4));

        MaskSet masks = new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0).masks();
        viewAdapter.flatParams().muli(masks.toFlat(viewAdapter.model()));
        NmReport pruned = checker.check(view);
        assertThat(pruned.satisfied()).isTrue();
        assertThat(pruned.violating()).isEmpty();
        assertThat(pruned.toString()).contains("conv/W", "0 violating");
    }

    @Test
    void convGroupsRunAlongInputChannels() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(NmTestNets.conv(8));
        NetworkView view = viewAdapter.view();
        ParamInfo conv = view.param(ParamKey.of("conv", "W")).orElseThrow();
        INDArray w = viewAdapter.flatParams();
        for (long i = 0; i < conv.length(); i++) {
            w.putScalar(conv.offset() + i, 0.0);
        }
        // three channels non-zero at output 2, kernel position (1, 2): one violating group
        for (int c = 0; c < 3; c++) {
            w.putScalar(conv.offset() + ((2 * 4 + c) * 3 + 1) * 3 + 2, 1.0);
        }
        // four neighbouring kernel positions of one channel: contiguous in memory but in four groups
        for (int x = 0; x < 3; x++) {
            w.putScalar(conv.offset() + ((5 * 4 + 1) * 3) * 3 + x, 1.0);
        }
        assertThat(checker.check(view).entries().get(0)).isEqualTo(new NmReport.Entry("conv/W", 72, 1));
    }

    @Test
    void skippedLayersAreListed() {
        NmReport r = checker.check(NetworkView.of(NmTestNets.oddInput(1)));
        assertThat(r.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("nIn=10"));
        assertThat(r.entries()).extracting(NmReport.Entry::name).containsExactly("even/W", "output/W");
        assertThat(r.toString()).contains("odd/W", "skipped");
        assertThat(checker.check(NetworkView.of(Nets.lstmNet(1))).skipped()).extracting(Pruned.Skipped::name)
                .containsExactly("layer0/W", "layer0/RW", "layer1/W"); // LSTM, and the output nIn=6
    }

    @Test
    void checksTensorsInPyTorchLayout() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("fc.weight", new long[] {2, 4});       // Linear [out, in]
        shapes.put("fc.bias", new long[] {2});            // not a weight: left out
        shapes.put("conv.weight", new long[] {1, 4, 1, 2}); // Conv [out, in, kH, kW]: groups of stride 2
        shapes.put("odd.weight", new long[] {3, 6});
        Map<String, float[]> values = Map.of(
                "fc.weight", new float[] {1, 1, 0, 0, 1, 1, 1, 0},
                "conv.weight", new float[] {1, 0, 1, 0, 1, 0, 0, 7});
        NmReport r = checker.checkTorch(shapes, values::get);
        assertThat(r.entries()).containsExactly(
                new NmReport.Entry("fc.weight", 2, 1), new NmReport.Entry("conv.weight", 2, 1));
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("odd.weight");
            assertThat(s.reason()).contains("in=6");
        });
        assertThatThrownBy(() -> checker.checkTorch(Map.of("fc.weight", new long[] {2, 8}), n -> new float[3]))
                .hasMessageContaining("fc.weight").hasMessageContaining("[2, 8]").hasMessageContaining("16");
    }

    @Test
    void wrongSizesAreNamed() {
        assertThatThrownBy(() -> checker.checkMatrix("m", new float[5], 2, 4))
                .hasMessageContaining("m:").hasMessageContaining("[2, 4]").hasMessageContaining("5 values");
        assertThatThrownBy(() -> checker.checkMatrix("m", new float[6], 1, 6))
                .hasMessageContaining("6 is not a multiple of 4");
    }
}

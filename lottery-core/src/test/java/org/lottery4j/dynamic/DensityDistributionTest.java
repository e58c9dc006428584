package org.lottery4j.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;

class DensityDistributionTest {

    // MLP 12-16-8-3: weights [12,16] (192, dims sum 28), [16,8] (128, 24), [8,3] (24, 11); 344 in all
    private static final NetworkView MLP = NetworkView.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 1));
    // conv [4,2,3,3] (72, dims sum 12), dense [36,8] (288, 44), output [8,3] (24, 11); 384 in all
    private static final NetworkView CONV = NetworkView.of(Nets.convNet(1));

    private static final ParamKey D0 = ParamKey.of("dense0", "W");
    private static final ParamKey D1 = ParamKey.of("dense1", "W");
    private static final ParamKey OUT = ParamKey.of("output", "W");

    @Test
    void erkCapsTheOutputLayerOfTheMlpAndScalesTheOthers() {
        // density 0.5 keeps 172: first eps = 172 / (28 + 24 + 11); the output's 11/24 x eps = 1.25 > 1, so it is
        // dense; then eps = (96 + 64 - 12) / (28 + 24) = 148 / 52: shares 28 eps = 79.69 and 24 eps = 68.31,
        // floors 79 + 68 + 24 = 171, the one left to the largest fraction (dense0)
        assertThat(DensityDistribution.ERK.keptCounts(MLP, 0.5)).containsExactly(
                Map.entry(D0, 80L), Map.entry(D1, 68L), Map.entry(OUT, 24L));
    }

    @Test
    void erkOnTheConvNetWithAndWithoutACap() {
        ParamKey conv = ParamKey.of("layer0", "W");
        ParamKey dense = ParamKey.of("layer3", "W");
        ParamKey out = ParamKey.of("layer4", "W");
        // density 0.25 keeps 96: eps = 96 / 67, no density above 1 (output 11/24 x 96/67 = 0.66); shares
        // 12 eps = 17.19, 44 eps = 63.04, 11 eps = 15.76: floors 95, the one left to the output (fraction .76)
        assertThat(DensityDistribution.ERK.keptCounts(CONV, 0.25)).containsExactly(
                Map.entry(conv, 17L), Map.entry(dense, 63L), Map.entry(out, 16L));
        // density 0.6 keeps round(230.4) = 230: the output is capped (1.58), then eps = (43.2 + 172.8 - 9.6) / 56:
        // shares 12 eps = 44.23, 44 eps = 162.17, 24: floors sum to 230 already
        assertThat(DensityDistribution.ERK.keptCounts(CONV, 0.6)).containsExactly(
                Map.entry(conv, 44L), Map.entry(dense, 162L), Map.entry(out, 24L));
    }

    @Test
    void uniformGivesEachLayerTheFloorOrCeilingOfItsShareAndTheTotalIsRounded() {
        // 0.1 x (192, 128, 24) = 19.2, 12.8, 2.4; round(34.4) = 34 = 33 floors + 1 to dense1 (fraction .8)
        assertThat(DensityDistribution.UNIFORM.keptCounts(MLP, 0.1)).containsExactly(
                Map.entry(D0, 19L), Map.entry(D1, 13L), Map.entry(OUT, 2L));
        assertThat(DensityDistribution.UNIFORM.keptCounts(MLP, 1.0)).containsExactly(
                Map.entry(D0, 192L), Map.entry(D1, 128L), Map.entry(OUT, 24L));
        assertThat(DensityDistribution.ERK.keptCounts(MLP, 1.0)).containsExactly(
                Map.entry(D0, 192L), Map.entry(D1, 128L), Map.entry(OUT, 24L));
    }

    @Test
    void totalKeptIsTheRoundedDensityOfAllPrunableWeights() {
        for (DensityDistribution d : DensityDistribution.values()) {
            for (double density : new double[] {0.01, 0.05, 0.1, 0.2, 0.3333, 0.5, 0.8, 0.95}) {
                long mlp = d.keptCounts(MLP, density).values().stream().mapToLong(Long::longValue).sum();
                long conv = d.keptCounts(CONV, density).values().stream().mapToLong(Long::longValue).sum();
                assertThat(mlp).as("%s at %s on the MLP", d, density).isEqualTo(Math.round(density * 344));
                assertThat(conv).as("%s at %s on the conv net", d, density).isEqualTo(Math.round(density * 384));
            }
        }
    }

    @Test
    void randomMasksKeepExactlyTheCountsAndDependOnTheSeed() {
        MaskSet a = DensityDistribution.ERK.randomMasks(CONV, 0.25, 7);
        assertThat(a.keys()).containsExactly(ParamKey.of("layer0", "W"), ParamKey.of("layer3", "W"),
                ParamKey.of("layer4", "W"));
        DensityDistribution.ERK.keptCounts(CONV, 0.25).forEach((key, kept) ->
                assertThat(a.get(key).countKept()).as("%s", key).isEqualTo(kept));
        assertThat(DensityDistribution.ERK.randomMasks(CONV, 0.25, 7)).isEqualTo(a);
        assertThat(DensityDistribution.ERK.randomMasks(CONV, 0.25, 8)).isNotEqualTo(a);
    }

    @Test
    void describesAndParsesItsTextForms() {
        for (DensityDistribution d : DensityDistribution.values()) {
            assertThat(DensityDistribution.parse(d.describe())).isEqualTo(d);
        }
        assertThat(DensityDistribution.ERK.describe()).isEqualTo("erk");
        assertThat(DensityDistribution.parse("  Uniform ")).isEqualTo(DensityDistribution.UNIFORM);
        assertThat(DensityDistribution.parse("ERK")).isEqualTo(DensityDistribution.ERK);
        assertThatThrownBy(() -> DensityDistribution.parse("er"))
                .hasMessage("not a density distribution: 'er'; expected uniform or erk");
    }

    @Test
    void rejectsADensityOutsideZeroToOne() {
        assertThatThrownBy(() -> DensityDistribution.ERK.keptCounts(MLP, 0))
                .hasMessage("density must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> DensityDistribution.UNIFORM.randomMasks(MLP, 1.5, 1))
                .hasMessage("density must be in (0, 1], got 1.5");
    }
}

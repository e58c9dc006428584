package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.network.TestNetworks;
import org.lottery4j.testing.Nets;

class PrunerTest {

    private static final ParamKey D0 = ParamKey.of("dense0", "W"); // 12 x 16 = 192
    private static final ParamKey D1 = ParamKey.of("dense1", "W"); // 16 x 8 = 128
    private static final ParamKey OUT = ParamKey.of("output", "W"); // 8 x 3 = 24

    private static NetworkView view(Nets.Kind kind) {
        return NetworkView.of(Nets.mlp(kind, 5));
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void layerwisePruningRemovesExactlyRoundedFractionOfSurvivorsPerLayer(Nets.Kind kind) {
        NetworkView view = view(kind);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        MaskSet m = pruner.initialMasks(view);
        assertThat(m.keys()).containsExactly(D0, D1, OUT);

        m = pruner.prune(view, m, 0.2).masks();
        assertThat(m.get(D0).countPruned()).isEqualTo(Math.round(0.2 * 192)); // 38
        assertThat(m.get(D1).countPruned()).isEqualTo(Math.round(0.2 * 128)); // 26
        assertThat(m.get(OUT).countPruned()).isEqualTo(Math.round(0.2 * 24)); // 5

        // the second round counts only survivors: 0.2 x 154 = 30.8 -> 31 more
        MaskSet second = pruner.prune(view, m, 0.2).masks();
        assertThat(second.get(D0).countPruned()).isEqualTo(38 + 31);
        assertThat(second.get(D1).countPruned()).isEqualTo(26 + Math.round(0.2 * 102));
        assertThat(second.get(OUT).countPruned()).isEqualTo(5 + Math.round(0.2 * 19));
        m.checkShrinksTo(second);
    }

    @Test
    void magnitudePruningRemovesTheSmallestSurvivors() {
        NetworkView view = view(Nets.Kind.MULTI_LAYER);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        MaskSet m = pruner.prune(view, pruner.initialMasks(view), 0.5).masks();
        for (ParamKey key : m.keys()) {
            float[] w = view.read(view.param(key).orElseThrow());
            float maxPruned = 0;
            float minKept = Float.MAX_VALUE;
            for (int i = 0; i < w.length; i++) {
                if (m.get(key).isKept(i)) {
                    minKept = Math.min(minKept, Math.abs(w[i]));
                } else {
                    maxPruned = Math.max(maxPruned, Math.abs(w[i]));
                }
            }
            assertThat(maxPruned).as(key.toString()).isLessThanOrEqualTo(minKept);
        }
    }

    @Test
    void halfwayCountsRoundHalfUp() {
        Mask five = Mask.allKept(new long[] {5});
        Mask next = LowestImportance.prune(new float[][] {new float[] {5, 4, 3, 2, 1}}, new Mask[] {five}, 0.5)[0];
        assertThat(next.countPruned()).isEqualTo(3); // round(2.5) = 3
        assertThat(next.toBooleans()).containsExactly(true, true, false, false, false);
    }

    @Test
    void tiesAreBrokenByElementOrder() {
        Mask m = Mask.allKept(new long[] {8});
        float[] equal = {1, 1, 1, 1, 1, 1, 1, 1};
        Mask next = LowestImportance.prune(new float[][] {equal}, new Mask[] {m}, 0.25)[0];
        assertThat(next.toBooleans()).containsExactly(false, false, true, true, true, true, true, true);
        // already-pruned elements are skipped, the next equal ones go
        assertThat(LowestImportance.prune(new float[][] {equal}, new Mask[] {next}, 0.5)[0].toBooleans())
                .containsExactly(false, false, false, false, false, true, true, true);
    }

    @Test
    void alreadyPrunedWeightsAreNeverCountedAgain() {
        Mask m = Mask.of(new long[] {6}, new boolean[] {false, false, true, true, true, true});
        // the pruned elements have the highest scores: they must not be "pruned again" and counted
        Mask next = LowestImportance.prune(new float[][] {new float[] {9, 9, 1, 2, 3, 4}}, new Mask[] {m}, 0.5)[0];
        assertThat(next.toBooleans()).containsExactly(false, false, false, false, true, true);
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void globalPruningRemovesExactlyTheFractionOverallAndMoreFromSmallLayers(Nets.Kind kind) {
        NetworkView view = view(kind);
        // make dense1's weights ten times smaller than the rest
        NetworkAdapter.segment(TestNetworks.adapter(view).flatParams(), view.param(D1).orElseThrow()).muli(0.1);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.global());
        MaskSet m = pruner.prune(view, pruner.initialMasks(view), 0.3).masks();
        long total = 192 + 128 + 24;
        assertThat(m.sparsity().pruned()).isEqualTo(Math.round(0.3 * total));
        assertThat(m.get(D1).fractionKept()).isLessThan(m.get(D0).fractionKept());
        assertThat(m.get(D1).countPruned()).isGreaterThan(Math.round(0.3 * 128));

        MaskSet second = pruner.prune(view, m, 0.3).masks();
        long survivors = total - m.sparsity().pruned();
        assertThat(second.sparsity().pruned()).isEqualTo(m.sparsity().pruned() + Math.round(0.3 * survivors));
    }

    @Test
    void globalScopePrunesLayersWithTheirOwnFractionOutsideTheRanking() {
        NetworkView view = view(Nets.Kind.MULTI_LAYER);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.global().withLayerFraction("output", 0.1));
        MaskSet m = pruner.prune(view, pruner.initialMasks(view), 0.5).masks();
        assertThat(m.get(OUT).countPruned()).isEqualTo(Math.round(0.1 * 24));
        assertThat(m.get(D0).countPruned() + m.get(D1).countPruned()).isEqualTo(Math.round(0.5 * (192 + 128)));
    }

    @Test
    void layerFractionsAndExclusionsByNameOrIndex() {
        NetworkView view = view(Nets.Kind.MULTI_LAYER);
        PruningScope scope = PruningScope.layerwise().exclude(0).withLayerFraction("output", 0.1);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), scope);
        MaskSet m = pruner.prune(view, pruner.initialMasks(view), 0.2).masks();
        assertThat(m.keys()).containsExactly(D1, OUT);
        assertThat(m.get(D1).countPruned()).isEqualTo(26);
        assertThat(m.get(OUT).countPruned()).isEqualTo(2); // round(2.4)

        PruningScope byName = PruningScope.layerwise().exclude("dense0").withLayerFraction(2, 0.1);
        assertThat(new Pruner(PruningMethod.magnitude(), byName).prune(view, pruner.initialMasks(view), 0.2).masks())
                .isEqualTo(m);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void randomPruningIsExactAndReproducible(long seed) {
        NetworkView view = view(Nets.Kind.MULTI_LAYER);
        Pruner pruner = new Pruner(PruningMethod.random(seed), PruningScope.layerwise());
        MaskSet a = pruner.prune(view, pruner.initialMasks(view), 0.4).masks();
        MaskSet b = pruner.prune(view, pruner.initialMasks(view), 0.4).masks();
        assertThat(a).isEqualTo(b);
        assertThat(a.get(D0).countPruned()).isEqualTo(Math.round(0.4 * 192));
        MaskSet other = new Pruner(PruningMethod.random(seed + 10), PruningScope.layerwise())
                .prune(view, pruner.initialMasks(view), 0.4).masks();
        assertThat(other).isNotEqualTo(a);
        // random pruning ignores magnitudes: it keeps some of the weights magnitude pruning removes
        MaskSet byMagnitude = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise())
                .prune(view, pruner.initialMasks(view), 0.4).masks();
        assertThat(a.get(D0)).isNotEqualTo(byMagnitude.get(D0));
    }

    @Test
    void masksNeverGrowOverManyRounds() {
        NetworkView view = view(Nets.Kind.MULTI_LAYER);
        for (PruningMethod method : List.of(PruningMethod.magnitude(), PruningMethod.random(3))) {
            for (PruningScope scope : List.of(PruningScope.layerwise(), PruningScope.global())) {
                Pruner pruner = new Pruner(method, scope);
                MaskSet m = pruner.initialMasks(view);
                for (int round = 0; round < 8; round++) {
                    // perturb the weights between rounds, as training would
                    TestNetworks.adapter(view).flatParams().addi(org.nd4j.linalg.factory.Nd4j.randn(42L + round, TestNetworks.adapter(view).flatParams().shape())
                            .muli(0.05));
                    MaskSet next = pruner.prune(view, m, 0.3).masks();
                    m.checkShrinksTo(next);
                    assertThat(next.sparsity().pruned()).isGreaterThan(m.sparsity().pruned());
                    m = next;
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void fractionsOutsideZeroToOneAreRejectedWithTheValue(double bad) {
        NetworkView view = view(Nets.Kind.MULTI_LAYER);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        assertThatThrownBy(() -> pruner.prune(view, pruner.initialMasks(view), bad).masks())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pruning fraction must be in [0, 1), got " + bad);
        assertThatThrownBy(() -> PruningScope.layerwise().withLayerFraction("output", bad))
                .hasMessage("pruning fraction must be in [0, 1), got " + bad + " for layer 'output'");
    }

    @Test
    void zeroFractionChangesNothing() {
        NetworkView view = view(Nets.Kind.MULTI_LAYER);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.global());
        assertThat(pruner.prune(view, pruner.initialMasks(view), 0.0).masks()).isEqualTo(pruner.initialMasks(view));
    }

    @Test
    void nonFiniteWeightsAreRejectedNamingTheParameter() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 5);
        NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
        ParamInfo p = view.param(D1).orElseThrow();
        NetworkAdapter.segment(TestNetworks.adapter(view).flatParams(), p).putScalar(7, Float.NaN);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        assertThatThrownBy(() -> pruner.prune(view, pruner.initialMasks(view), 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter dense1/W holds a non-finite weight (NaN) at element 7");
        NetworkAdapter.segment(TestNetworks.adapter(view).flatParams(), p).putScalar(7, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> pruner.prune(view, pruner.initialMasks(view), 0.2))
                .hasMessageContaining("(-Infinity) at element 7");
    }

    @Test
    void unknownLayersAreErrorsListingTheKnownOnes() {
        NetworkView view = view(Nets.Kind.GRAPH);
        assertThatThrownBy(() -> PruningScope.layerwise().exclude("dense9").resolve(view))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown layer 'dense9' in pruning scope; the network's layers are [dense0, dense1, output]");
        assertThatThrownBy(() -> PruningScope.global().withLayerFraction(3, 0.1).resolve(view))
                .hasMessage("layer index 3 is out of range: the network has 3 layers [dense0, dense1, output]");
    }

    @Test
    void namingALayerWithoutWeightsIsAnError() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.convNet(1));
        NetworkView view = viewAdapter.view();
        assertThatThrownBy(() -> PruningScope.layerwise().exclude("layer1").resolve(view))
                .hasMessageContaining("layer 'layer1' (BatchNormalization) has no prunable weights")
                .hasMessageContaining("[layer0, layer3, layer4]");
    }

    @Test
    void defaultScopePrunesOnlyDenseConvolutionOutputAndLstmWeights() {
        assertThat(keys(NetworkView.of(Nets.convNet(1)))).containsExactly(
                ParamKey.of("layer0", "W"), ParamKey.of("layer3", "W"), ParamKey.of("layer4", "W"));
        assertThat(keys(NetworkView.of(Nets.lstmNet(1)))).containsExactly(
                ParamKey.of("layer0", "W"), ParamKey.of("layer0", "RW"), ParamKey.of("layer1", "W"));
    }

    private static List<ParamKey> keys(NetworkView view) {
        return PruningScope.layerwise().resolve(view).stream().map(t -> t.param().key()).toList();
    }

    @Test
    void scopesAndMethodsParseWhatTheyDescribe() {
        for (PruningScope s : List.of(PruningScope.layerwise(), PruningScope.global(),
                PruningScope.global().exclude("a").exclude(3).withLayerFraction("out", 0.1).withLayerFraction(0, 0.25))) {
            assertThat(PruningScope.parse(s.describe())).isEqualTo(s);
        }
        assertThat(PruningScope.global().exclude(3).withLayerFraction("out", 0.1).describe())
                .isEqualTo("global exclude=[#3] fractions={out=0.1}");
        for (PruningMethod m : List.of(PruningMethod.magnitude(), PruningMethod.random(-7))) {
            assertThat(PruningMethod.parse(m.describe())).isEqualTo(m);
        }
        assertThatThrownBy(() -> PruningScope.parse("everything")).hasMessageContaining("not a pruning scope: 'everything'");
        assertThatThrownBy(() -> PruningMethod.parse("snap")).hasMessageContaining("not a pruning method: 'snap'");
        assertThatThrownBy(() -> PruningScope.layerwise().exclude("a,b")).hasMessageContaining("layer name 'a,b'");
    }

    @Test
    void radixSelectionRemovesWhatASortWouldAcrossSegments() {
        java.util.Random random = new java.util.Random(9);
        for (int trial = 0; trial < 200; trial++) {
            int segments = 1 + random.nextInt(3);
            float[][] scores = new float[segments][];
            Mask[] masks = new Mask[segments];
            java.util.List<long[]> survivors = new java.util.ArrayList<>(); // {segment, index}
            for (int s = 0; s < segments; s++) {
                int n = 1 + random.nextInt(300);
                scores[s] = new float[n];
                boolean[] kept = new boolean[n];
                for (int i = 0; i < n; i++) {
                    // duplicates, negatives, -0.0 (ties with 0.0) and values in one radix bucket
                    scores[s][i] = switch (random.nextInt(4)) {
                        case 0 -> random.nextInt(20) - 5;
                        case 1 -> random.nextBoolean() ? -0.0f : 0.0f;
                        case 2 -> 1 + random.nextInt(1000) * 1e-7f;
                        default -> (float) random.nextGaussian();
                    };
                    kept[i] = random.nextInt(5) > 0;
                    if (kept[i]) {
                        survivors.add(new long[] {s, i});
                    }
                }
                masks[s] = Mask.of(new long[] {n}, kept);
            }
            double fraction = random.nextDouble() * 0.99;
            // reference: a stable sort of the survivors by score, positions in order for ties
            survivors.sort(java.util.Comparator.comparingDouble(w -> scores[(int) w[0]][(int) w[1]] + 0.0f));
            long toRemove = Math.round(fraction * survivors.size());
            boolean[][] expected = new boolean[segments][];
            for (int s = 0; s < segments; s++) {
                expected[s] = masks[s].toBooleans();
            }
            for (int r = 0; r < toRemove; r++) {
                expected[(int) survivors.get(r)[0]][(int) survivors.get(r)[1]] = false;
            }
            Mask[] actual = LowestImportance.prune(scores, masks, fraction);
            for (int s = 0; s < segments; s++) {
                assertThat(actual[s].toBooleans()).as("trial %d segment %d", trial, s).isEqualTo(expected[s]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gaussian", "ten values", "already sparse"})
    void largeInputsSelectExactlyWhatASortWould(String kind) {
        // over 2^20 survivors: the sampled one-pass selection, whose parts of 2^20 elements run in
        // parallel (three in the first segment, ending off a word boundary), or its fallback when
        // ties crowd the cut-off
        java.util.Random random = new java.util.Random(kind.hashCode());
        float[][] scores = {new float[(1 << 21) + 4321], new float[600_007]};
        boolean[][] kept = {new boolean[scores[0].length], new boolean[scores[1].length]};
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < scores[s].length; i++) {
                scores[s][i] = kind.equals("ten values") ? random.nextInt(10) : (float) random.nextGaussian();
                kept[s][i] = !kind.equals("already sparse") || random.nextInt(3) > 0;
            }
        }
        assertSelectsWhatASortWould(scores, kept, 0.2);
    }

    @Test
    void aSegmentCrowdingTheCutOffIsSelectedExactly() {
        // global ranking where one parameter's scores all sit near the cut-off: its parts hold far
        // more of the elements near the cut-off than the average the sample predicts
        java.util.Random random = new java.util.Random(11);
        float[][] scores = {new float[1_500_000], new float[1_200_000]};
        for (int i = 0; i < scores[0].length; i++) {
            scores[0][i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < scores[1].length; i++) {
            scores[1][i] = -0.5f + (float) random.nextGaussian() * 1e-3f;
        }
        boolean[][] kept = {new boolean[scores[0].length], new boolean[scores[1].length]};
        java.util.Arrays.fill(kept[0], true);
        java.util.Arrays.fill(kept[1], true);
        assertSelectsWhatASortWould(scores, kept, 0.3);
    }

    /** {@code LowestImportance.prune} against a stable sort of the survivors by score (position order among ties). */
    private static void assertSelectsWhatASortWould(float[][] scores, boolean[][] kept, double fraction) {
        Mask[] masks = new Mask[scores.length];
        int total = 0;
        for (int s = 0; s < scores.length; s++) {
            masks[s] = Mask.of(new long[] {scores[s].length}, kept[s]);
            total += scores[s].length;
        }
        long[] order = new long[total]; // survivors as (segment << 31 | index)
        int m = 0;
        for (int s = 0; s < scores.length; s++) {
            for (int i = 0; i < scores[s].length; i++) {
                if (kept[s][i]) {
                    order[m++] = ((long) s << 31) | i;
                }
            }
        }
        Long[] boxed = java.util.Arrays.stream(order, 0, m).boxed().toArray(Long[]::new);
        java.util.Arrays.sort(boxed, java.util.Comparator.comparingDouble((Long w) -> scores[(int) (w >>> 31)][(int) (w & 0x7FFF_FFFF)]));
        long toRemove = Math.round(fraction * m);
        boolean[][] expected = new boolean[scores.length][];
        for (int s = 0; s < scores.length; s++) {
            expected[s] = kept[s].clone();
        }
        for (int r = 0; r < toRemove; r++) {
            expected[(int) (boxed[r] >>> 31)][(int) (boxed[r] & 0x7FFF_FFFF)] = false;
        }
        Mask[] actual = LowestImportance.prune(scores, masks, fraction);
        for (int s = 0; s < scores.length; s++) {
            assertThat(actual[s].toBooleans()).as("segment %d", s).isEqualTo(expected[s]);
        }
    }

    @Test
    void aNaNScoreIsNamed() {
        assertThatThrownBy(() -> LowestImportance.prune(new float[][] {{1, Float.NaN, 2}},
                new Mask[] {Mask.allKept(new long[] {3})}, 0.5)).hasMessage("importance score of element 1 is NaN");
    }
}

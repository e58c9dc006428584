package org.lottery4j.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.Pruned;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.testing.Nets;

class NmPrunerTest {

    /** Flat indices of every dense group: W [nIn, nOut] in 'f' order, element (in, out) at in + nIn * out. */
    static List<int[]> denseGroups(ParamInfo p, int m) {
        long[] s = p.shape();
        int nIn = (int) s[0];
        int nOut = (int) s[1];
        List<int[]> groups = new ArrayList<>();
        for (int out = 0; out < nOut; out++) {
            for (int g = 0; g < nIn / m; g++) {
                int[] idx = new int[m];
                for (int t = 0; t < m; t++) {
                    idx[t] = (g * m + t) + nIn * out;
                }
                groups.add(idx);
            }
        }
        return groups;
    }

    /** Conv W [nOut, nIn, kH, kW] in 'c' order: groups along input channels per (out, y, x). */
    static List<int[]> convGroups(ParamInfo p, int m) {
        long[] s = p.shape();
        int nOut = (int) s[0];
        int nIn = (int) s[1];
        int kH = (int) s[2];
        int kW = (int) s[3];
        List<int[]> groups = new ArrayList<>();
        for (int o = 0; o < nOut; o++) {
            for (int y = 0; y < kH; y++) {
                for (int x = 0; x < kW; x++) {
                    for (int g = 0; g < nIn / m; g++) {
                        int[] idx = new int[m];
                        for (int t = 0; t < m; t++) {
                            int c = g * m + t;
                            idx[t] = ((o * nIn + c) * kH + y) * kW + x;
                        }
                        groups.add(idx);
                    }
                }
            }
        }
        return groups;
    }

    static List<int[]> groups(ParamInfo p, int m) {
        return p.shape().length == 4 ? convGroups(p, m) : denseGroups(p, m);
    }

    /** Every group keeps min(N, what the ticket kept) weights: the largest |w| among the ticket's, ties by index. */
    static void assertNm(NetworkView view, ParamKey key, Mask before, Mask after, NmPattern pattern) {
        ParamInfo p = view.param(key).orElseThrow();
        float[] w = view.read(p);
        assertThat(before.contains(after)).as("%s: pruned weights stay pruned", key).isTrue();
        List<int[]> groups = groups(p, pattern.m());
        assertThat((long) groups.size() * pattern.m()).isEqualTo(p.length());
        for (int[] g : groups) {
            int keptBefore = 0;
            int keptAfter = 0;
            for (int i : g) {
                keptBefore += before.isKept(i) ? 1 : 0;
                keptAfter += after.isKept(i) ? 1 : 0;
            }
            assertThat(keptAfter).as("%s group at %d", key, g[0]).isEqualTo(Math.min(pattern.n(), keptBefore));
            for (int i : g) {
                for (int j : g) {
                    if (after.isKept(i) && before.isKept(j) && !after.isKept(j)) {
                        assertThat(Math.abs(w[i])).as("%s: kept %d vs dropped %d", key, i, j)
                                .isGreaterThanOrEqualTo(Math.abs(w[j]));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void denseNetGetsExactTwoFour(Nets.Kind kind) {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.mlp(kind, 3));
        NetworkView view = viewAdapter.view();
        Pruned r = new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0);

        assertThat(r.skipped()).isEmpty();
        assertThat(r.masks().keys()).containsExactly(
                ParamKey.of("dense0", "W"), ParamKey.of("dense1", "W"), ParamKey.of("output", "W"));
        for (ParamKey key : r.masks().keys()) {
            Mask all = Mask.allKept(view.param(key).orElseThrow().shape());
            assertNm(view, key, all, r.masks().get(key), NmPattern.TWO_FOUR);
            assertThat(r.masks().get(key).fractionKept()).isEqualTo(0.5);
        }
    }

    @Test
    void convNetGroupsAlongInputChannelsPerKernelPosition() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(NmTestNets.conv(4));
        NetworkView view = viewAdapter.view();
        ParamKey conv = ParamKey.of("conv", "W");
        assertThat(view.param(conv).orElseThrow().shape()).containsExactly(8, 4, 3, 3);
        for (NmPattern pattern : List.of(NmPattern.TWO_FOUR, new NmPattern(1, 4), new NmPattern(3, 4), new NmPattern(1, 2))) {
            Pruned r = new NmPruner(pattern).prune(view, MaskSet.of(Map.of()), 0);
            assertThat(r.skipped()).isEmpty();
            for (ParamKey key : r.masks().keys()) {
                assertNm(view, key, Mask.allKept(view.param(key).orElseThrow().shape()), r.masks().get(key), pattern);
            }
        }
    }

    @Test
    void composesWithATicketMask() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(NmTestNets.conv(5));
        NetworkView view = viewAdapter.view();
        Pruner magnitude = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        MaskSet ticket = magnitude.prune(view, magnitude.initialMasks(view), 0.4).masks();

        Pruned r = new NmPruner(NmPattern.TWO_FOUR).prune(view, ticket, 0);

        ticket.checkShrinksTo(r.masks());
        for (ParamKey key : ticket.keys()) {
            assertNm(view, key, ticket.get(key), r.masks().get(key), NmPattern.TWO_FOUR);
        }
        // applying it again changes nothing: the masks already are 2:4
        assertThat(new NmPruner(NmPattern.TWO_FOUR).prune(view, r.masks(), 0).masks()).isEqualTo(r.masks());
    }

    @Test
    void layersWhoseReductionDimensionIsNotAMultipleOfMAreSkippedByName() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(NmTestNets.oddInput(6));
        NetworkView view = viewAdapter.view();
        Pruner magnitude = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        MaskSet ticket = magnitude.prune(view, magnitude.initialMasks(view), 0.2).masks();

        Pruned r = new NmPruner(NmPattern.TWO_FOUR).prune(view, ticket, 0);

        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("odd/W");
            assertThat(s.reason()).contains("layer odd", "nIn=10", "not a multiple of 4");
        });
        assertThat(r.masks().get(ParamKey.of("odd", "W"))).isEqualTo(ticket.get(ParamKey.of("odd", "W")));
        assertNm(view, ParamKey.of("even", "W"), ticket.get(ParamKey.of("even", "W")),
                r.masks().get(ParamKey.of("even", "W")), NmPattern.TWO_FOUR);
        // without a ticket the skipped layer gets no mask at all: it stays dense
        assertThat(new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0).masks().keys())
                .containsExactly(ParamKey.of("even", "W"), ParamKey.of("output", "W"));
    }

    @Test
    void lstmWeightsAreSkippedWithTheReason() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.lstmNet(1));
        NetworkView view = viewAdapter.view();
        Pruned r = new NmPruner(new NmPattern(1, 2)).prune(view, MaskSet.of(Map.of()), 0);
        assertThat(r.skipped()).extracting(Pruned.Skipped::name).contains("layer0/W", "layer0/RW");
        assertThat(r.skipped().get(0).reason()).contains("LSTM", "no known matrix-multiply layout");
    }

    @Test
    void scopeExclusionsAreHonoured() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 3));
        NetworkView view = viewAdapter.view();
        Pruned r = new NmPruner(NmPattern.TWO_FOUR, PruningScope.layerwise().exclude("output")).prune(view, MaskSet.of(Map.of()), 0);
        assertThat(r.masks().keys()).containsExactly(ParamKey.of("dense0", "W"), ParamKey.of("dense1", "W"));
    }

    @Test
    void selectKeepsTheLargestMagnitudesWithTiesToTheLowerIndex() {
        float[] w = {
            1, -3, 2, 0.5f, /**/ 1, 1, 1, 1, /**/ 0, 0, -0f, 0, /**/ -5, 5, 4, -4,
        };
        Mask m = NmPruner.select(NmPattern.TWO_FOUR, w, 2, 8, Mask.allKept(new long[] {2, 8}));
        assertThat(m.toBooleans()).containsExactly(
                false, true, true, false, /**/ true, true, false, false,
                true, true, false, false, /**/ true, true, false, false);
        // a pruned weight never comes back, even when it is the largest
        Mask ticket = Mask.allKept(new long[] {4}).withPruned(new long[] {1});
        Mask m2 = NmPruner.select(NmPattern.TWO_FOUR, new float[] {1, 9, 2, 3}, 1, 4, ticket);
        assertThat(m2.toBooleans()).containsExactly(false, false, true, true);
        // fewer than N survivors: all of them stay
        Mask ticket2 = Mask.allKept(new long[] {4}).withPruned(new long[] {0, 1, 2});
        assertThat(NmPruner.select(NmPattern.TWO_FOUR, new float[] {1, 9, 2, 3}, 1, 4, ticket2)).isEqualTo(ticket2);
    }

    @ParameterizedTest
    @CsvSource({"2,4", "1,4", "3,4", "2,8", "4,8", "1,2", "5,16"})
    void fastAndGeneralKernelsAgreeWithABruteForceReference(int n, int mm) {
        NmPattern pattern = new NmPattern(n, mm);
        Random random = new Random(n * 100 + mm);
        int rows = 7;
        int k = mm * 6;
        float[] w = new float[rows * k];
        boolean[] kept = new boolean[w.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextInt(5) == 0 ? Math.round(random.nextGaussian()) : (float) random.nextGaussian();
            kept[i] = random.nextInt(4) != 0;
        }
        Mask ticket = Mask.of(new long[] {rows, k}, kept);
        boolean[] expected = kept.clone();
        for (int g = 0; g < w.length / mm; g++) {
            for (int t = 0; t < mm; t++) {
                int i = g * mm + t;
                int rank = 0;
                for (int s = 0; s < mm; s++) {
                    int j = g * mm + s;
                    if (kept[j] && (Math.abs(w[j]) > Math.abs(w[i]) || (Math.abs(w[j]) == Math.abs(w[i]) && j < i))) {
                        rank++;
                    }
                }
                expected[i] = kept[i] && rank < n;
            }
        }
        assertThat(NmPruner.select(pattern, w, rows, k, ticket).toBooleans()).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource({"2,4", "1,4", "3,4", "2,8", "6,8"})
    void stridedConvolutionGroupsMatchTheContiguousKernelOnThePermutedMatrix(int n, int mm) {
        NmPattern pattern = new NmPattern(n, mm);
        int nOut = 3;
        int nIn = 16;
        int positions = 4; // kH = kW = 2
        Random random = new Random(31L * n + mm);
        float[] w = new float[nOut * nIn * positions];
        long[] bits = new long[(w.length + 63) / 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextInt(3) - 1 + (random.nextBoolean() ? 0 : 0.5f); // many ties
            if (random.nextInt(5) != 0) {
                bits[i >>> 6] |= 1L << i;
            }
        }
        // the same weights as a matrix [nOut * positions, nIn], row (o, pos), column c
        float[] matrix = new float[w.length];
        boolean[] keptMatrix = new boolean[w.length];
        for (int o = 0; o < nOut; o++) {
            for (int c = 0; c < nIn; c++) {
                for (int pos = 0; pos < positions; pos++) {
                    int flat = (o * nIn + c) * positions + pos;
                    int row = o * positions + pos;
                    matrix[row * nIn + c] = w[flat];
                    keptMatrix[row * nIn + c] = (bits[flat >>> 6] & (1L << flat)) != 0;
                }
            }
        }
        boolean[] expected = NmPruner.select(pattern, matrix, nOut * positions, nIn,
                Mask.of(new long[] {nOut * positions, nIn}, keptMatrix)).toBooleans();

        GroupLayout conv = new GroupLayout(nOut, positions, nIn, nIn * positions, positions);
        assertThat(NmKernels.select(pattern, w, bits, conv)).isEqualTo(-1);
        for (int o = 0; o < nOut; o++) {
            for (int c = 0; c < nIn; c++) {
                for (int pos = 0; pos < positions; pos++) {
                    int flat = (o * nIn + c) * positions + pos;
                    assertThat((bits[flat >>> 6] & (1L << flat)) != 0).as("o=%d c=%d pos=%d", o, c, pos)
                            .isEqualTo(expected[(o * positions + pos) * nIn + c]);
                }
            }
        }
    }

    @Test
    void badInputIsNamed() {
        Mask all = Mask.allKept(new long[] {1, 8});
        assertThatThrownBy(() -> NmPruner.select(NmPattern.TWO_FOUR, new float[6], 1, 6, Mask.allKept(new long[] {6})))
                .hasMessageContaining("reduction dimension 6 is not a multiple of 4");
        assertThatThrownBy(() -> NmPruner.select(NmPattern.TWO_FOUR, new float[7], 1, 8, all))
                .hasMessageContaining("[1, 8]").hasMessageContaining("7 weights");
        float[] nan = new float[8];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> NmPruner.select(NmPattern.TWO_FOUR, nan, 1, 8, all))
                .hasMessageContaining("non-finite weight (NaN) at element 5");
        assertThatThrownBy(() -> NmPruner.select(new NmPattern(3, 8), nan, 1, 8, all))
                .hasMessageContaining("non-finite weight (NaN) at element 5");
        // also when the NaN's group has nothing to rank
        assertThatThrownBy(() -> NmPruner.select(new NmPattern(2, 8), nan, 1, 8,
                        all.withPruned(new long[] {0, 1, 2, 3, 4, 6, 7})))
                .hasMessageContaining("non-finite weight (NaN) at element 5");
        // a NaN that the ticket already pruned does not matter
        assertThat(NmPruner.select(NmPattern.TWO_FOUR, nan, 1, 8, all.withPruned(new long[] {5})).countKept())
                .isEqualTo(4);

        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 3));
        NetworkView view = viewAdapter.view();
        viewAdapter.flatParams().putScalar(view.param(ParamKey.of("dense1", "W")).orElseThrow().offset() + 3, Float.NaN);
        assertThatThrownBy(() -> new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0))
                .hasMessageContaining("dense1/W").hasMessageContaining("element 3");
    }

    @Test
    void patternsParseAndValidate() {
        assertThat(NmPattern.parse(" 2:4 ")).isEqualTo(NmPattern.TWO_FOUR);
        assertThat(NmPattern.parse("1:8").toString()).isEqualTo("1:8");
        assertThat(NmPattern.TWO_FOUR.density()).isEqualTo(0.5);
        assertThatThrownBy(() -> NmPattern.parse("4:4")).hasMessageContaining("4:4").hasMessageContaining("N < M");
        assertThatThrownBy(() -> new NmPattern(3, 2)).hasMessageContaining("3:2");
        assertThatThrownBy(() -> new NmPattern(0, 4)).hasMessageContaining("0:4");
        assertThatThrownBy(() -> NmPattern.parse("2/4")).hasMessageContaining("'2/4'");
        assertThatThrownBy(() -> NmPattern.parse(null)).hasMessageContaining("not an N:M pattern");
    }
}

package org.lottery4j.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class MaskTest {

    @Test
    void packedBytesRoundTripForAnyLength() {
        Random random = new Random(1);
        for (int n : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 1000}) {
            boolean[] kept = new boolean[n];
            for (int i = 0; i < n; i++) {
                kept[i] = random.nextBoolean();
            }
            Mask m = Mask.of(new long[] {n}, kept);
            byte[] packed = m.toPackedBytes();
            assertThat(packed).hasSize((n + 7) / 8);
            assertThat(Mask.fromPackedBytes(new long[] {n}, packed)).isEqualTo(m);
            assertThat(m.toBooleans()).isEqualTo(kept);
        }
        assertThat(Mask.of(new long[] {3}, new boolean[] {true, false, true}).toPackedBytes()).containsExactly(0b101);
    }

    @Test
    void packedBytesWithStrayBitsAreRejected() {
        assertThatThrownBy(() -> Mask.fromPackedBytes(new long[] {3}, new byte[] {(byte) 0xFF}))
                .hasMessageContaining("bits set past its 3 elements");
        assertThatThrownBy(() -> Mask.fromPackedBytes(new long[] {9}, new byte[] {1}))
                .hasMessageContaining("needs 2 packed bytes, got 1");
    }

    @Test
    void wordsWithStrayBitsAreRejected() {
        assertThatThrownBy(() -> Mask.fromWords(new long[] {70}, new long[] {-1L, 1L << 6}))
                .hasMessage("mask words have bits set past its 70 elements");
        assertThatThrownBy(() -> Mask.fromWords(new long[] {70}, new long[] {-1L}))
                .hasMessageContaining("needs 2 64-bit words, got 1");
        long[] words = {-1L, (1L << 6) - 1};
        assertThat(Mask.fromWords(new long[] {70}, words).countKept()).isEqualTo(70);
        assertThat(Mask.fromWords(new long[] {64}, new long[] {-1L}).countKept()).isEqualTo(64);
    }

    @Test
    void countsAndContainment() {
        Mask all = Mask.allKept(new long[] {4, 5});
        Mask some = all.withPruned(new long[] {0, 19});
        assertThat(all.countKept()).isEqualTo(20);
        assertThat(some.countPruned()).isEqualTo(2);
        assertThat(all.contains(some)).isTrue();
        assertThat(some.contains(all)).isFalse();
        assertThat(all.and(some)).isEqualTo(some);
        assertThat(all.countRevivedBy(some)).isZero();
        assertThat(some.countRevivedBy(all)).isEqualTo(2);
    }

    @Test
    void flatMaskIsAlignedWithParams() {
        NetworkAdapter viewAdapter = NetworkAdapter.of(Nets.convNet(3));
        NetworkView view = viewAdapter.view();
        ParamKey conv = ParamKey.of("layer0", "W");
        MaskSet masks = MaskSet.allKept(view, List.of(conv));
        masks = masks.with(conv, masks.get(conv).withPruned(new long[] {0, 5}));
        INDArray flat = masks.toFlat(viewAdapter.model());
        long offset = view.param(conv).orElseThrow().offset();
        assertThat(flat.dataType()).isEqualTo(view.dataType()); // mixed-type multiplies are slow in ND4J
        float[] f = flat.castTo(DataType.FLOAT).toFloatVector();
        assertThat(f[(int) offset]).isZero();
        assertThat(f[(int) offset + 5]).isZero();
        long zeros = 0;
        for (float v : f) {
            zeros += v == 0 ? 1 : 0;
        }
        assertThat(zeros).isEqualTo(2);
    }

    @Test
    void masksFromAnotherArchitectureAreRejectedNamingTheParameter() {
        NetworkAdapter mlpAdapter = NetworkAdapter.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 1));
        NetworkView mlp = mlpAdapter.view();
        NetworkAdapter convAdapter = NetworkAdapter.of(Nets.convNet(1));
        NetworkView conv = convAdapter.view();
        MaskSet convMasks = MaskSet.allKept(conv, List.of(ParamKey.of("layer0", "W")));
        assertThatThrownBy(() -> convMasks.checkFits(mlp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masks from another architecture")
                .hasMessageContaining("no parameter layer0/W");
        MaskSet wrongShape = MaskSet.of(java.util.Map.of(ParamKey.of("dense0", "W"), Mask.allKept(new long[] {3, 4})));
        assertThatThrownBy(() -> wrongShape.checkFits(mlp))
                .hasMessageContaining("mask of dense0/W has shape [3, 4] but the parameter has shape [12, 16]");
    }

    @Test
    void growingMasksAreRejected() {
        MaskSet a = MaskSet.of(java.util.Map.of(ParamKey.of("l", "W"), Mask.allKept(new long[] {4}).withPruned(new long[] {1})));
        MaskSet b = MaskSet.of(java.util.Map.of(ParamKey.of("l", "W"), Mask.allKept(new long[] {4})));
        assertThatThrownBy(() -> a.checkShrinksTo(b))
                .hasMessage("the new mask of l/W revives 1 pruned weights: masks only ever shrink during a search");
        b.checkShrinksTo(a);
    }

    @Test
    void sparsityReportCountsPerParameterLayerAndOverall() {
        MaskSet m = MaskSet.of(new java.util.LinkedHashMap<>(java.util.Map.of(
                ParamKey.of("lstm", "W"), Mask.allKept(new long[] {10}).withPruned(new long[] {1, 2}),
                ParamKey.of("lstm", "RW"), Mask.allKept(new long[] {10}).withPruned(new long[] {3}))));
        SparsityReport r = m.sparsity();
        assertThat(r.total()).isEqualTo(20);
        assertThat(r.pruned()).isEqualTo(3);
        assertThat(r.fractionRemaining()).isEqualTo(17 / 20.0);
        assertThat(r.byLayer()).containsOnlyKeys("lstm");
        assertThat(r.byLayer().get("lstm").pruned()).isEqualTo(3);
        assertThat(r.toString()).contains("lstm/W").contains("total");
    }

    @Test
    void theDistanceBetweenMaskSetsIsTheShareOfFlagsThatDiffer() {
        ParamKey a = new ParamKey("dense0", "W");
        ParamKey b = new ParamKey("output", "W");
        // 2 of a's 6 flags differ, 1 of b's 4: 3 of 10
        MaskSet one = MaskSet.of(java.util.Map.of(a, Mask.of(new long[] {2, 3}, new boolean[] {true, true, false, false, true, true}),
                b, Mask.of(new long[] {4}, new boolean[] {true, false, true, false})));
        MaskSet two = MaskSet.of(java.util.Map.of(a, Mask.of(new long[] {2, 3}, new boolean[] {true, false, true, false, true, true}),
                b, Mask.of(new long[] {4}, new boolean[] {true, false, false, false})));
        assertThat(one.distance(two)).isEqualTo(0.3);
        assertThat(two.distance(one)).isEqualTo(0.3);
        assertThat(one.distance(one)).isZero();
        assertThat(one.get(a).countDifferent(two.get(a))).isEqualTo(2);
        // 130 elements over three words: the tail bits beyond the length never count
        Mask wide = Mask.allKept(new long[] {130});
        assertThat(wide.countDifferent(wide.withPruned(new long[] {0, 64, 129}))).isEqualTo(3);
        assertThatThrownBy(() -> one.distance(MaskSet.of(java.util.Map.of(a, one.get(a)))))
                .hasMessageContaining("the mask sets cover different parameters");
        assertThatThrownBy(() -> one.distance(MaskSet.of(java.util.Map.of(a, Mask.allKept(new long[] {6}), b, one.get(b)))))
                .hasMessage("dense0/W: mask shapes differ: [2, 3] vs [6]");
    }
}

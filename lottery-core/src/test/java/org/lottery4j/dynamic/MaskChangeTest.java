package org.lottery4j.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.Mask;

class MaskChangeTest {

    private static final long[] SHAPE = {2, 4};
    // elements 0-3 kept, 4-7 pruned
    private static final Mask OLD = Mask.of(SHAPE, new boolean[] {true, true, true, true, false, false, false, false});
    private static final float[] WEIGHTS = {0.5f, -0.1f, 0.1f, 0.3f, 0, 0, 0, 0};

    @Test
    void dropsTheSmallestMagnitudesWithTiesToTheLowerIndex() {
        float[] gradient = {9, 9, 9, 9, 0.2f, -0.9f, 0.9f, 0.05f};
        MaskChange one = MaskChange.of(OLD, WEIGHTS, gradient, 1, null);
        assertThat(one.dropped()).containsExactly(1); // |-0.1| = |0.1|: the lower index goes
        assertThat(one.grown()).containsExactly(5); // |-0.9| = |0.9|: the lower index grows
        MaskChange two = MaskChange.of(OLD, WEIGHTS, gradient, 2, null);
        assertThat(two.dropped()).containsExactly(1, 2);
        assertThat(two.grown()).containsExactly(5, 6);
        assertThat(two.mask().toBooleans()).containsExactly(true, false, false, true, false, true, true, false);
    }

    @Test
    void growsOnlyWeightsPrunedBeforeTheUpdate() {
        // the dropped weights have the largest gradients, but they were kept before the update
        float[] gradient = {0, 100, 100, 0, 1, 2, 3, 4};
        MaskChange c = MaskChange.of(OLD, WEIGHTS, gradient, 3, null);
        assertThat(c.dropped()).containsExactly(1, 2, 3);
        assertThat(c.grown()).containsExactly(5, 6, 7);
        assertThat(c.mask().countKept()).isEqualTo(4);
    }

    @Test
    void setGrowsAtRandomAmongThePrunedAsItsGeneratorSays() {
        MaskChange c = MaskChange.of(OLD, WEIGHTS, null, 2, new Random(3));
        int[] expected = MaskChange.firstShuffled(new int[] {4, 5, 6, 7}, 2, new Random(3));
        java.util.Arrays.sort(expected);
        assertThat(c.grown()).containsExactly(expected);
        assertThat(c.dropped()).containsExactly(1, 2);
        assertThat(c.mask().countKept()).isEqualTo(4);
    }

    @Test
    void dropsNothingWhenToldZeroAndRefusesMoreThanCanBeGrown() {
        assertThat(MaskChange.of(OLD, WEIGHTS, null, 0, new Random(1)).mask()).isEqualTo(OLD);
        Mask mostlyKept = Mask.allKept(SHAPE).withPruned(new long[] {7});
        assertThatThrownBy(() -> MaskChange.of(mostlyKept, WEIGHTS, null, 2, new Random(1)))
                .hasMessage("cannot drop and grow 2 of a mask keeping 7 of 8");
    }
}

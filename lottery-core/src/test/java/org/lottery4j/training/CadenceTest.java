package org.lottery4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CadenceTest {

    @Test
    void everyStepToTenThenEvenlyOnALogAxisEndingWithTheLast() {
        List<Long> steps = Cadence.logSpacedSteps(20, 10_000);
        assertThat(steps.subList(0, 10)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(steps).isSorted().doesNotHaveDuplicates().endsWith(10_000L);
        assertThat(steps.get(10)).isEqualTo(11L); // round(10^(21/20)) = 11
        // 20 per decade from 10 to 10,000: 3 decades, 60 points, the last being 10,000 itself
        assertThat(steps).hasSize(10 + 60);
        assertThat(steps).contains(100L, 1_000L);
        for (int i = 11; i < steps.size(); i++) { // ratios between neighbours stay near 10^(1/20) = 1.122
            assertThat((double) steps.get(i) / steps.get(i - 1)).isBetween(1.05, 1.2);
        }
    }

    @Test
    void shortRunsAndOddEndsKeepTheirLastStep() {
        assertThat(Cadence.logSpacedSteps(20, 3)).containsExactly(1L, 2L, 3L);
        assertThat(Cadence.logSpacedSteps(2, 250)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 32L, 100L, 250L);
        assertThatThrownBy(() -> Cadence.logSpaced(0)).hasMessage("points per decade must be at least 1, got 0");
        assertThatThrownBy(() -> Cadence.logSpacedSteps(5, 0)).hasMessage("a run has at least 1 step, got 0");
    }

    @Test
    void logSpacedEvaluatesAtZeroAndItsSteps() {
        Cadence c = Cadence.logSpaced(2);
        List<Long> at = new java.util.ArrayList<>();
        for (long i = 0; i <= 250; i++) {
            if (c.evaluatesAt(i, 250)) {
                at.add(i);
            }
        }
        assertThat(at).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 32L, 100L, 250L);
        assertThat(c.evaluatesAt(32, 31)).isFalse(); // another run's length: its own steps
    }

    @Test
    void everyNEvaluatesAtZeroItsMultiplesAndTheEnd() {
        Cadence c = Cadence.every(4);
        List<Long> at = new java.util.ArrayList<>();
        for (long i = 0; i <= 10; i++) {
            if (c.evaluatesAt(i, 10)) {
                at.add(i);
            }
        }
        assertThat(at).containsExactly(0L, 4L, 8L, 10L);
        assertThat(Cadence.never().evaluatesAt(0, 10)).isFalse();
        assertThatThrownBy(() -> Cadence.every(0)).hasMessage("evaluation interval must be >= 1, got 0");
    }
}

package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogCadenceTest {

    @Test
    void everyStepToTenThenEvenlyOnALogAxisEndingWithTheLast() {
        List<Long> steps = new LogCadence(20).steps(10_000);
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
        assertThat(new LogCadence(20).steps(3)).containsExactly(1L, 2L, 3L);
        assertThat(new LogCadence(2).steps(250)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 32L, 100L, 250L);
        assertThatThrownBy(() -> new LogCadence(0)).hasMessage("points per decade must be at least 1, got 0");
        assertThatThrownBy(() -> new LogCadence(5).steps(0)).hasMessage("a run has at least 1 step, got 0");
    }
}

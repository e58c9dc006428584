package org.lottery4j.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruned;

class NmReportTest {

    private static final Pruned.Skipped ODD = new Pruned.Skipped("odd/W", "nIn=10 is not a multiple of 4");

    @Test
    void requireSatisfiedReturnsTheReportWhenEveryCheckedParameterHoldsThePattern() {
        NmReport ok = new NmReport(NmPattern.TWO_FOUR,
                List.of(new NmReport.Entry("dense0/W", 48, 0), new NmReport.Entry("output/W", 6, 0)), List.of(ODD));
        assertThat(ok.requireSatisfied()).isSameAs(ok);
    }

    @Test
    void requireSatisfiedNamesEachViolatingParameterWithItsCounts() {
        NmReport bad = new NmReport(new NmPattern(1, 4), List.of(
                new NmReport.Entry("dense0/W", 48, 3),
                new NmReport.Entry("dense1/W", 32, 0),
                new NmReport.Entry("output/W", 6, 6)), List.of(ODD));
        assertThatThrownBy(bad::requireSatisfied)
                .isInstanceOf(NmPatternException.class)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the weights are not 1:4 sparse: dense0/W has 3 of 48 groups with more than 1 non-zeros;"
                        + " output/W has 6 of 6 groups with more than 1 non-zeros")
                .satisfies(e -> assertThat(((NmPatternException) e).report()).isSameAs(bad));
    }

    @Test
    void aNetworkCheckThatFailsThrowsWhenAskedTo() {
        NmReport dense = new NmChecker(NmPattern.TWO_FOUR).check(NetworkView.of(NmTestNets.conv(8)));
        // random weights are never zero: every group violates
        assertThatThrownBy(dense::requireSatisfied)
                .hasMessage("the weights are not 2:4 sparse: conv/W has 72 of 72 groups with more than 2 non-zeros;"
                        + " dense/W has 256 of 256 groups with more than 2 non-zeros;"
                        + " output/W has 6 of 6 groups with more than 2 non-zeros");
    }

    @Test
    void theExceptionStatesTheConsequenceAndRefusesASatisfiedReport() {
        NmReport bad = new NmReport(NmPattern.TWO_FOUR, List.of(new NmReport.Entry("w", 2, 1)), List.of());
        assertThat(new NmPatternException(bad, "nothing was written"))
                .hasMessage("the weights are not 2:4 sparse, nothing was written: w has 1 of 2 groups with more than"
                        + " 2 non-zeros");
        NmReport ok = new NmReport(NmPattern.TWO_FOUR, List.of(new NmReport.Entry("w", 2, 0)), List.of());
        assertThatThrownBy(() -> new NmPatternException(ok, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the report is satisfied: 2:4 sparsity:");
    }
}

package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lottery4j.results.CurvePoint;

class GrokkingPhasesTest {

    /** Log-spaced steps; train accuracy jumps to 1 at memorizedAt, test accuracy at generalizedAt (never if < 0). */
    static List<CurvePoint> curve(long memorizedAt, long generalizedAt) {
        List<CurvePoint> points = new ArrayList<>();
        for (long step = 1; step <= 100_000; step = Math.max(step + 1, Math.round(step * 1.2))) {
            double train = step >= memorizedAt ? 1.0 : 0.5 * step / memorizedAt;
            double test = generalizedAt >= 0 && step >= generalizedAt ? 0.995 : 0.01;
            points.add(GrokkingCurveCsvTest.point(step, train, test, 0, 0, 0));
        }
        return points;
    }

    @Test
    void findsTheFirstRecordedStepOfEachPhase() {
        List<CurvePoint> c = curve(40, 1_400);
        GrokkingPhases phases = GrokkingPhases.detect(c, GrokkingPhases.THRESHOLD);
        long firstMemorized = c.stream().filter(p -> p.iteration() >= 40).findFirst().orElseThrow().iteration();
        long firstGeneralized = c.stream().filter(p -> p.iteration() >= 1_400).findFirst().orElseThrow().iteration();
        assertThat(phases.memorization()).hasValue(firstMemorized);
        assertThat(phases.generalization()).hasValue(firstGeneralized);
        assertThat(phases.ratio()).hasValue((double) firstGeneralized / firstMemorized);
        assertThat(phases.ratio().getAsDouble()).isGreaterThan(10);
    }

    @Test
    void aRunThatNeverGeneralizesHasNoRatio() {
        GrokkingPhases phases = GrokkingPhases.detect(curve(40, -1), 0.99);
        assertThat(phases.memorization()).isPresent();
        assertThat(phases.generalization()).isEmpty();
        assertThat(phases.ratio()).isEmpty();
        // both phases at step 0: memorization counts as step 1, so the ratio is 0
        assertThat(GrokkingPhases.detect(List.of(GrokkingCurveCsvTest.point(0, 1.0, 0.6, 0, 0, 0)), 0.5).ratio()).hasValue(0.0);
    }

    @Test
    void badCurvesAndThresholdsAreRefused() {
        assertThatThrownBy(() -> GrokkingPhases.detect(List.of(GrokkingCurveCsvTest.point(5, 0, 0, 0, 0, 0),
                GrokkingCurveCsvTest.point(5, 0, 0, 0, 0, 0)), 0.99)).hasMessage("curve steps must increase: 5 after 5");
        assertThatThrownBy(() -> GrokkingPhases.detect(List.of(), 1.5)).hasMessage("threshold must be in (0, 1], got 1.5");
    }
}

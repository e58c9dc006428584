package org.lottery4j.examples.grokking;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.lottery4j.results.CurvePoint;

/**
 * The two moments of a grokking run, read from its curve: memorization, the first recorded step
 * at which training accuracy reaches the threshold (99% by default), and generalization, the
 * first at which test accuracy does. Grokking is generalization long after memorization: their
 * ratio, {@link #ratio()}, is the measure (at least 10 for a clear case).
 *
 * <pre>{@code
 * GrokkingPhases phases = GrokkingPhases.detect(curve, 0.99);
 * phases.memorization();      // OptionalLong.of(40)
 * phases.ratio();             // OptionalDouble.of(35.0): generalized at step 1,400
 * }</pre>
 *
 * @param memorization first step with training accuracy at or above the threshold, if any
 * @param generalization first step with test accuracy at or above the threshold, if any
 */
public record GrokkingPhases(OptionalLong memorization, OptionalLong generalization) {

    /** The default threshold: 99%. */
    public static final double THRESHOLD = 0.99;

    /** The phases of {@code curve} at the default threshold, 99%. */
    public static GrokkingPhases of(List<CurvePoint> curve) {
        return detect(curve, THRESHOLD);
    }

    /** Whether {@code p}'s test accuracy reaches the default threshold: the run has generalized. */
    public static boolean generalized(CurvePoint p) {
        return p.testAccuracy() >= THRESHOLD;
    }

    /**
     * The phases of {@code curve} (points in increasing step order).
     *
     * @throws IllegalArgumentException if the steps do not increase or the threshold is not in (0, 1]
     */
    public static GrokkingPhases detect(List<CurvePoint> curve, double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        OptionalLong memorized = OptionalLong.empty();
        OptionalLong generalized = OptionalLong.empty();
        long previous = Long.MIN_VALUE;
        for (CurvePoint p : curve) {
            if (p.iteration() <= previous) {
                throw new IllegalArgumentException("curve steps must increase: " + p.iteration() + " after " + previous);
            }
            previous = p.iteration();
            if (memorized.isEmpty() && p.trainAccuracy() >= threshold) {
                memorized = OptionalLong.of(p.iteration());
            }
            if (generalized.isEmpty() && p.testAccuracy() >= threshold) {
                generalized = OptionalLong.of(p.iteration());
            }
        }
        return new GrokkingPhases(memorized, generalized);
    }

    /**
     * Generalization step over memorization step, when both happened (a memorization at step 0
     * counts as step 1).
     */
    public OptionalDouble ratio() {
        if (memorization.isEmpty() || generalization.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) generalization.getAsLong() / Math.max(1, memorization.getAsLong()));
    }
}

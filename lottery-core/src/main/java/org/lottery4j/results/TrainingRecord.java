package org.lottery4j.results;

import java.util.Comparator;
import java.util.List;

/**
 * What one training run of one round produced.
 *
 * <pre>{@code
 * TrainingRecord t = arm.training();
 * t.earlyStopIteration();   // the iteration of the lowest validation loss (the paper's early stopping)
 * }</pre>
 *
 * @param iterations updates done
 * @param curve evaluations at iteration 0, every evaluation step, and at the end
 * @param finalTestAccuracy test accuracy at the end
 * @param bestTestAccuracy highest test accuracy of the curve
 * @param earlyStopIteration iteration of the lowest validation loss
 * @param testAccuracyAtEarlyStop test accuracy at that iteration
 * @param finalTrainAccuracy accuracy on the training set at the end
 * @param trainSeconds wall time of the training steps alone
 * @param wallSeconds wall time of the whole run, evaluation included
 */
public record TrainingRecord(
        long iterations,
        List<CurvePoint> curve,
        double finalTestAccuracy,
        double bestTestAccuracy,
        long earlyStopIteration,
        double testAccuracyAtEarlyStop,
        double finalTrainAccuracy,
        double trainSeconds,
        double wallSeconds) {

    public TrainingRecord {
        curve = List.copyOf(curve);
    }

    /** Summarizes a curve (which must not be empty). */
    public static TrainingRecord of(long iterations, List<CurvePoint> curve, double finalTrainAccuracy,
            double trainSeconds, double wallSeconds) {
        CurvePoint last = curve.get(curve.size() - 1);
        CurvePoint earlyStop = curve.stream().min(Comparator.comparingDouble(CurvePoint::validationLoss)
                .thenComparingLong(CurvePoint::iteration)).orElseThrow();
        double best = curve.stream().mapToDouble(CurvePoint::testAccuracy).max().orElseThrow();
        return new TrainingRecord(iterations, curve, last.testAccuracy(), best, earlyStop.iteration(),
                earlyStop.testAccuracy(), finalTrainAccuracy, trainSeconds, wallSeconds);
    }
}

package org.lottery4j.examples.grokking;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.OptionalLong;
import org.lottery4j.results.CurvePoint;

/**
 * What {@code fourier.json} of a grokking run holds: the key frequencies, and the step at which
 * each Fourier measure crossed halfway from its first value to its last
 * ({@link FourierProgress#halfway}) beside the step at which test accuracy first reached 50% - does
 * the network's reorganization show before test accuracy moves? Steps are {@code null} where a
 * measure did not move or test accuracy never reached 50%.
 *
 * @param keyFrequencies the final network's key frequencies ({@link FourierProgress#keyFrequencies}), strongest first
 * @param concentrationHalfway Fourier concentration's halfway step
 * @param topShareHalfway the top-5 power share's halfway step
 * @param restrictedTestLossHalfway the restricted test loss's halfway step
 * @param excludedTrainLossHalfway the excluded training loss's halfway step
 * @param testLossHalfway the test loss's halfway step
 * @param testAccuracy50 the first step with test accuracy at 50% or more
 * @param measureSeconds time spent copying parameters and computing the measures
 * @param runSeconds the whole run's training and recording time, measures included
 */
public record FourierSummary(
        @JsonProperty("key_frequencies") int[] keyFrequencies,
        @JsonProperty("concentration_halfway_step") Long concentrationHalfway,
        @JsonProperty("top5_share_halfway_step") Long topShareHalfway,
        @JsonProperty("restricted_test_loss_halfway_step") Long restrictedTestLossHalfway,
        @JsonProperty("excluded_train_loss_halfway_step") Long excludedTrainLossHalfway,
        @JsonProperty("test_loss_halfway_step") Long testLossHalfway,
        @JsonProperty("test_accuracy_50_step") Long testAccuracy50,
        @JsonProperty("measure_seconds") double measureSeconds,
        @JsonProperty("run_seconds") double runSeconds) {

    /** The summary of a run's curve and its Fourier points (the same steps). */
    public static FourierSummary of(int[] keys, List<CurvePoint> curve, List<FourierPoint> fourier, double measureSeconds,
            double runSeconds) {
        long[] steps = fourier.stream().mapToLong(FourierPoint::step).toArray();
        Long test50 = curve.stream().filter(p -> p.testAccuracy() >= 0.5).map(CurvePoint::iteration).findFirst()
                .orElse(null);
        return new FourierSummary(keys,
                boxed(FourierProgress.halfway(steps, fourier.stream().mapToDouble(FourierPoint::concentration).toArray())),
                boxed(FourierProgress.halfway(steps, fourier.stream().mapToDouble(FourierPoint::topShare).toArray())),
                boxed(FourierProgress.halfway(steps, fourier.stream().mapToDouble(FourierPoint::restrictedTestLoss).toArray())),
                boxed(FourierProgress.halfway(steps, fourier.stream().mapToDouble(FourierPoint::excludedTrainLoss).toArray())),
                boxed(FourierProgress.halfway(steps, curve.stream().mapToDouble(CurvePoint::testLoss).toArray())),
                test50, measureSeconds, runSeconds);
    }

    private static Long boxed(OptionalLong step) {
        return step.isPresent() ? step.getAsLong() : null;
    }
}

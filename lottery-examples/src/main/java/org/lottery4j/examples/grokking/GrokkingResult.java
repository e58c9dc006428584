package org.lottery4j.examples.grokking;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.training.TrainingLoop;

/**
 * What {@code results.json} of a grokking run holds: when it memorized and when it generalized
 * (the first recorded step with train, then test, accuracy at 99% or more; {@code null} if never
 * within the run), their ratio, and where the run ended.
 *
 * @param memorizationStep first recorded step with train accuracy >= 99%, or {@code null}
 * @param generalizationStep first recorded step with test accuracy >= 99%, or {@code null}
 * @param ratio generalization step over memorization step, or {@code null}
 * @param steps the steps trained (fewer than the budget when the run stopped once generalized)
 * @param finalTrainAccuracy train accuracy at the last step
 * @param finalTestAccuracy test accuracy at the last step
 * @param bestTestAccuracy the highest test accuracy recorded
 * @param seconds training and recording time
 */
public record GrokkingResult(
        @JsonProperty("memorization_step") Long memorizationStep,
        @JsonProperty("generalization_step") Long generalizationStep,
        @JsonProperty("ratio") Double ratio,
        @JsonProperty("steps") long steps,
        @JsonProperty("final_train_accuracy") double finalTrainAccuracy,
        @JsonProperty("final_test_accuracy") double finalTestAccuracy,
        @JsonProperty("best_test_accuracy") double bestTestAccuracy,
        @JsonProperty("seconds") double seconds) {

    /** The result of a finished training. */
    public static GrokkingResult of(TrainingLoop.Result r) {
        GrokkingPhases ph = GrokkingPhases.of(r.curve());
        CurvePoint last = r.last();
        return new GrokkingResult(
                ph.memorization().isPresent() ? ph.memorization().getAsLong() : null,
                ph.generalization().isPresent() ? ph.generalization().getAsLong() : null,
                ph.ratio().isPresent() ? ph.ratio().getAsDouble() : null,
                last.iteration(), last.trainAccuracy(), last.testAccuracy(),
                r.curve().stream().max(Comparator.comparingDouble(CurvePoint::testAccuracy)).orElseThrow().testAccuracy(),
                r.wallSeconds());
    }

    /** One line for the console and the report, such as "memorized at step 20, generalized at step 600 (30.0x later)". */
    public String describe() {
        String mem = memorizationStep == null ? "never memorized (train accuracy below 99%)"
                : "memorized at step " + memorizationStep;
        String gen = generalizationStep == null
                ? String.format(java.util.Locale.ROOT, "did not generalize within %,d steps (test accuracy %.1f%% at the end, "
                        + "%.1f%% at best)", steps, 100 * finalTestAccuracy, 100 * bestTestAccuracy)
                : String.format(java.util.Locale.ROOT, "generalized at step %,d", generalizationStep)
                        + (ratio == null ? "" : String.format(java.util.Locale.ROOT, " (%.1fx later)", ratio));
        return mem + ", " + gen;
    }
}

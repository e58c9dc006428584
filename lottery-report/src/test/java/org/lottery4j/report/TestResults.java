package org.lottery4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.TrainingRecord;

/** Experiment results made by hand: the report needs no network and no ND4J backend. */
final class TestResults {

    private TestResults() {}

    /**
     * Rounds 0..{@code rounds} at 0.8^round of the weights, each of {@code arms} beside every
     * pruned round (reinit 1 point above any other arm); the hyperparameters name no controls, as after a rerun that left them out.
     */
    static ExperimentResult of(int rounds, List<String> arms) {
        List<ArmResult> results = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
            double remaining = Math.pow(0.8, r);
            results.add(arm(r, ArmResult.TICKET, remaining, 0.97 - 0.002 * r));
            for (String arm : r == 0 ? List.<String>of() : arms) {
                results.add(arm(r, arm, remaining, (arm.equals("reinit") ? 0.95 : 0.94) - 0.01 * r));
            }
        }
        return new ExperimentResult("lottery_0123456789", Map.of("pruning.rewind", "init", "controls", "none"),
                "pruning.rounds=" + rounds, arms, results, Map.of("lottery4j", "test"));
    }

    /**
     * Evaluations at iterations 0 (untrained, 9.85%), 50 ({@code accuracy} - 0.5 points) and 100
     * (the end and the highest, {@code accuracy}); the lowest validation loss at 50 in even rounds,
     * at 100 in odd ones.
     */
    static ArmResult arm(int round, String arm, double remaining, double accuracy) {
        List<CurvePoint> curve = List.of(new CurvePoint(0, 2.3, 0.1, 0.0985),
                new CurvePoint(50, 0.3, accuracy - 0.01, accuracy - 0.005),
                new CurvePoint(100, round % 2 == 0 ? 0.35 : 0.25, accuracy, accuracy));
        return new ArmResult(round, arm, remaining, Map.of("dense0", remaining),
                TrainingRecord.of(100, curve, accuracy, 1.5 + round, 2 + round));
    }

    /** {@code result} with each run's curve replaced by {@code curve} of it (the training record summarizes it again). */
    static ExperimentResult withCurves(ExperimentResult result, Function<List<CurvePoint>, List<CurvePoint>> curve) {
        return new ExperimentResult(result.name(), result.hparams(), result.canonical(), result.arms(),
                result.results().stream().map(r -> new ArmResult(r.round(), r.arm(), r.weightsRemaining(),
                        r.layerRemaining(), TrainingRecord.of(r.training().iterations(), curve.apply(r.training().curve()),
                                r.training().finalTrainAccuracy(), r.training().trainSeconds(),
                                r.training().wallSeconds()))).toList(), result.provenance());
    }
}

package org.lottery4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
     * Evaluations at iterations 0 (untrained, 9.85%), 50 (lowest validation loss, {@code accuracy}
     * - 0.5 points) and 100 (the end and the highest, {@code accuracy}).
     */
    static ArmResult arm(int round, String arm, double remaining, double accuracy) {
        List<CurvePoint> curve = List.of(new CurvePoint(0, 2.3, 0.1, 0.0985),
                new CurvePoint(50, 0.3, accuracy - 0.01, accuracy - 0.005),
                new CurvePoint(100, 0.35, accuracy, accuracy));
        return new ArmResult(round, arm, remaining, Map.of("dense0", remaining),
                TrainingRecord.of(100, curve, accuracy, 1.5 + round, 2 + round));
    }
}

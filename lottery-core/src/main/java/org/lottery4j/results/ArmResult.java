package org.lottery4j.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lottery4j.stability.InstabilityResult;

/**
 * The result of one arm of one round: the ticket itself, or a control arm.
 *
 * <pre>{@code
 * ArmResult r = result.arm(3, "ticket").orElseThrow();
 * r.weightsRemaining();   // fraction of prunable weights left, in (0, 1]
 * }</pre>
 *
 * @param round 0 for the dense network, then one per pruning step
 * @param arm {@code ticket}, {@code reinit} or {@code random_pruning}
 * @param weightsRemaining fraction of the prunable weights that remain
 * @param layerRemaining the same per layer
 * @param training the training run
 * @param cost the training it took to produce this arm's network, its own and that of the networks its
 *     masks were drawn from; {@code null} in records written before lottery4j counted it
 * @param stability on the {@code stability} arm, the test error along the straight line between its
 *     two trained copies; {@code null} on every other arm
 */
public record ArmResult(int round, String arm, double weightsRemaining, Map<String, Double> layerRemaining,
        TrainingRecord training, TrainingCost cost, InstabilityResult stability) {

    public static final String TICKET = "ticket";

    public ArmResult {
        layerRemaining = Collections.unmodifiableMap(new LinkedHashMap<>(layerRemaining)); // layer order
    }

    /** A result without its cost. */
    public ArmResult(int round, String arm, double weightsRemaining, Map<String, Double> layerRemaining,
            TrainingRecord training) {
        this(round, arm, weightsRemaining, layerRemaining, training, null, null);
    }
}

package org.lottery4j.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
 */
public record ArmResult(int round, String arm, double weightsRemaining, Map<String, Double> layerRemaining,
        TrainingRecord training) {

    public static final String TICKET = "ticket";

    public ArmResult {
        layerRemaining = Collections.unmodifiableMap(new LinkedHashMap<>(layerRemaining)); // layer order
    }
}

package org.lottery4j.stability;

import java.util.List;
import java.util.Objects;

/**
 * Test error and loss along the straight line between two trained networks, and the path's error
 * barrier: Frankle et al. (2020)'s <em>instability</em>, the highest error on the path less the
 * mean of the two endpoints' errors. Two networks are linearly mode connected, and the training
 * that produced them stable to SGD noise, when the barrier is about 0; the paper calls a network
 * stable when it is at most {@value #DEFAULT_THRESHOLD} (2 percentage points of error).
 *
 * <p>A record, written and read by Jackson as it is; the instability is stored beside the errors
 * it is computed from, and a record whose instability does not follow from its errors is refused.
 *
 * <pre>{@code
 * MultiLayerNetwork copyA = TrainingCopy.of(net);
 * MultiLayerNetwork copyB = TrainingCopy.of(net);
 * // ... train copyA and copyB, each with its own data order
 * InstabilityResult r = LinearInterpolation.between(copyA, copyB).evaluate(test);
 * r.instability();      // max error on the path - mean(error at 0, error at 1)
 * r.isStable();         // instability <= 0.02
 * }</pre>
 *
 * @param alphas where on the path each point lies, from 0 (network A) to 1 (network B)
 * @param errors test error (1 - accuracy) at each point
 * @param losses test loss (DL4J's score: mean loss per example, regularization included) at each point
 * @param instability the error barrier: {@code max(errors) - (errors[0] + errors[last]) / 2}, never negative
 */
public record InstabilityResult(List<Double> alphas, List<Double> errors, List<Double> losses, double instability) {

    /** The paper's threshold: a network is stable when its instability is at most 2% error. */
    public static final double DEFAULT_THRESHOLD = 0.02;

    public InstabilityResult {
        alphas = List.copyOf(Objects.requireNonNull(alphas, "alphas"));
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
        losses = List.copyOf(Objects.requireNonNull(losses, "losses"));
        if (alphas.size() < 2 || errors.size() != alphas.size() || losses.size() != alphas.size()) {
            throw new IllegalArgumentException("a path needs at least 2 points with one error and one loss each, got "
                    + alphas.size() + " alphas, " + errors.size() + " errors and " + losses.size() + " losses");
        }
        double barrier = barrier(errors);
        if (Double.compare(instability, barrier) != 0) {
            throw new IllegalArgumentException("instability " + instability + " does not follow from the errors "
                    + errors + ": their barrier is " + barrier);
        }
    }

    /** The result for these points, its instability computed from the errors. */
    public static InstabilityResult of(List<Double> alphas, List<Double> errors, List<Double> losses) {
        return new InstabilityResult(alphas, errors, losses, barrier(List.copyOf(errors)));
    }

    /** Whether the instability is at most {@code threshold} (a fraction of examples: 0.02 = 2%). */
    public boolean isStable(double threshold) {
        return instability <= threshold;
    }

    /** Whether the instability is at most {@link #DEFAULT_THRESHOLD}, the paper's 2%. */
    public boolean isStable() {
        return isStable(DEFAULT_THRESHOLD);
    }

    private static double barrier(List<Double> errors) {
        double max = Double.NEGATIVE_INFINITY;
        for (double e : errors) {
            max = Math.max(max, e);
        }
        return max - (errors.get(0) + errors.get(errors.size() - 1)) / 2;
    }
}

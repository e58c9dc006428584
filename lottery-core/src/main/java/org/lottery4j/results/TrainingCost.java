package org.lottery4j.results;

/**
 * The training it took to produce a network: multiply-adds (forward and backward, counted as three
 * forward passes per example) and wall time. An arm's cost includes the trainings its masks were
 * drawn from: iterative pruning's round r pays for rounds 0 to r, pruning at initialization only
 * for its own training, an early-bird ticket for the part of the dense training before its draw.
 *
 * <pre>{@code
 * TrainingCost c = result.arm(7, "ticket").orElseThrow().cost();
 * double tera = c.multiplyAdds() / 1e12;             // with the masks (what a sparse kernel does)
 * double denseTera = c.denseMultiplyAdds() / 1e12;    // the same trainings with every weight
 * }</pre>
 *
 * @param multiplyAdds multiply-adds of the weight layers with only the kept weights (what a sparse
 *     kernel would do; every dense training counts in full)
 * @param denseMultiplyAdds the same trainings as if no weight were pruned
 * @param trainSeconds wall time of the training steps (evaluation aside)
 */
public record TrainingCost(double multiplyAdds, double denseMultiplyAdds, double trainSeconds) {

    /** Nothing: where pruning at initialization starts. */
    public static final TrainingCost NONE = new TrainingCost(0, 0, 0);

    /** Both costs together. */
    public TrainingCost plus(TrainingCost other) {
        return new TrainingCost(multiplyAdds + other.multiplyAdds, denseMultiplyAdds + other.denseMultiplyAdds,
                trainSeconds + other.trainSeconds);
    }

    /** A share of this cost, such as the part of a training before an early-bird draw. */
    public TrainingCost times(double share) {
        return new TrainingCost(multiplyAdds * share, denseMultiplyAdds * share, trainSeconds * share);
    }
}

package org.lottery4j.results;

import java.util.List;

/**
 * Where an early-bird ticket was drawn: the iteration of the dense training at which the masks at
 * one round's sparsity had stopped changing (You et al., 2020), or the end of dense training if
 * they never did.
 *
 * <pre>{@code
 * // round-00/early-bird.json of an experiment with pruning.schedule=early-bird(...) holds one per round
 * EarlyBirdDraw d = new EarlyBirdDraw(7, 300, true, List.of(0.068, 0.055, 0.052, 0.044, 0.036));
 * long dense = d.iteration();            // dense iterations the ticket needed: 300 of the round's 936
 * List<Double> moved = d.distances();    // normalized Hamming distance of each mask to the one drawn before it
 * }</pre>
 *
 * @param round the pruned round whose sparsity the masks have
 * @param iteration dense training iterations before the masks were drawn
 * @param settled whether the masks settled (else they were drawn at the end of dense training)
 * @param distances the distance of every mask drawn to the one drawn before it, in order, up to the draw
 */
public record EarlyBirdDraw(int round, long iteration, boolean settled, List<Double> distances) {
    public EarlyBirdDraw {
        distances = List.copyOf(distances);
    }
}

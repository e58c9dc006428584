package org.lottery4j.results;

import java.util.List;

/**
 * Where an early-bird ticket was drawn: the iteration of the dense training at which the masks at
 * one round's sparsity had stopped changing (You et al., 2020), or the end of dense training if
 * they never did.
 *
 * <pre>{@code
 * EarlyBirdDraw d = result.earlyBird().get(0);
 * d.iteration();       // dense iterations the ticket needed, e.g. 600 of 1300
 * d.distances();       // normalized Hamming distance of each drawn mask to the one before it
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

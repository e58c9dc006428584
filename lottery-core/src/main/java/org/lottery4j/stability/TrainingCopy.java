package org.lottery4j.stability;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.internal.NetworkAdapter;

/**
 * An independent copy of a network to train apart from it: instability analysis trains two copies
 * of one network (from initialization, or rewound to iteration k) with different data orders.
 *
 * <p>The copy has the same configuration, parameters, updater state (Adam moments, momentum) and
 * iteration and epoch counters, and no training listeners. DL4J's own {@code clone()} is not quite
 * that: {@code ComputationGraph.clone()} sets the iteration counter back to 0 (which restarts
 * learning-rate schedules and Adam's bias correction) and shares the original's collection of
 * listeners, so that a listener added to the copy is added to the original too.
 * Listeners are left out because they hold state of one network: attach the masks (a
 * {@code LotteryTicket}'s enforcement) to each copy again.
 *
 * <pre>{@code
 * MultiLayerNetwork copyA = TrainingCopy.of(net);
 * MultiLayerNetwork copyB = TrainingCopy.of(net);
 * // train copyA and copyB with different data orders, then:
 * InstabilityResult r = LinearInterpolation.between(copyA, copyB).evaluate(test);
 * }</pre>
 */
public final class TrainingCopy {

    private TrainingCopy() {}

    /**
     * A copy of an initialized {@code MultiLayerNetwork} or {@code ComputationGraph}; {@code model}
     * is not changed.
     *
     * @throws IllegalArgumentException for any other model type
     */
    @SuppressWarnings("unchecked")
    public static <M extends Model> M of(M model) {
        NetworkAdapter original = NetworkAdapter.of(model);
        return (M) original.copy(original.dataType());
    }
}

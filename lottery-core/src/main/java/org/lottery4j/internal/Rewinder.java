package org.lottery4j.internal;

import org.lottery4j.internal.MaskEnforcer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Restores a network to a {@link RewindPoint}: copies the snapshot into every parameter (surviving
 * weights, biases, normalization parameters) bit for bit, zeroes the pruned weights, clears the
 * updater state and the iteration and epoch counters, and moves the learning-rate schedule to the
 * point's {@link RewindPoint#scheduleStart position}.
 *
 * <pre>{@code
 * Rewinder.rewind(view, RewindPoint.init(), snapshots, enforcer);
 * }</pre>
 */
public final class Rewinder {

    private Rewinder() {}

    /**
     * @throws IllegalStateException if the snapshot this point needs was not recorded
     */
    public static void rewind(NetworkAdapter view, RewindPoint point, RewindSnapshots snapshots, MaskEnforcer enforcer) {
        long trainingEnd = Optimizers.schedulePosition(view.model()); // before the counter is zeroed
        INDArray source = null;
        if (point instanceof RewindPoint.Iteration it) {
            source = snapshots.at(it.iteration()).orElseThrow(() -> new IllegalStateException(
                    "cannot rewind to " + it.describe() + ": no snapshot of the weights after " + it.iteration()
                            + " updates was recorded (snapshots exist for iterations " + snapshots.asMap().keySet()
                            + "; recording starts when the ticket is built, so build it right after init() and "
                            + "train at least " + it.iteration() + " iterations)"));
        } else if (point instanceof RewindPoint.RandomReinit r) {
            source = view.freshParams(r.seed());
        }
        if (source != null) {
            INDArray params = view.flatParams();
            params.assign(source.reshape(params.shape()));
        }
        enforcer.applyToParams();
        view.resetTrainingState();
        Optimizers.startScheduleAt(view.model(), point.scheduleStart(trainingEnd));
    }
}

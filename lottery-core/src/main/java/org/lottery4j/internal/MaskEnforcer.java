package org.lottery4j.internal;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps every pruned weight exactly 0.0 while DL4J trains the network, with any updater.
 *
 * <p>It is a training listener that does one fused multiply per step: the flat gradient by the
 * flat mask in {@code onGradientCalculation}, which DL4J calls before the updater runs. When
 * masks change, it zeroes the pruned weights and their updater state (Adam moments, momentum), so
 * from then on a pruned weight has zero gradient and zero state, and every DL4J updater, with L1,
 * L2 or weight decay, moves it by exactly 0. Layer constraints are not used: DL4J 1.0.0-M2.1
 * applies them twice per parameter and writes them into the configuration JSON.
 *
 * <pre>{@code
 * MaskEnforcer enforcer = MaskEnforcer.attach(NetworkAdapter.of(net), masks);
 * net.fit(trainData);                  // pruned weights stay 0.0
 * enforcer.update(smallerMasks);       // prunes the network at once, and from now on
 * enforcer.detach();
 * }</pre>
 */
public final class MaskEnforcer extends BaseTrainingListener {

    private final NetworkAdapter network;
    private MaskSet masks;
    private INDArray flatMask;

    private MaskEnforcer(NetworkAdapter network) {
        this.network = network;
    }

    /** Applies {@code masks} to the network now and keeps them applied through every {@code fit}. */
    public static MaskEnforcer attach(NetworkAdapter network, MaskSet masks) {
        MaskEnforcer enforcer = new MaskEnforcer(network);
        enforcer.update(masks);
        network.addListener(enforcer);
        return enforcer;
    }

    /** Replaces the masks and zeroes the newly pruned weights and their updater state at once. */
    public void update(MaskSet newMasks) {
        INDArray flat = newMasks.toFlat(network.model());
        this.masks = newMasks;
        this.flatMask = flat;
        applyToParams();
        network.maskUpdaterState(flat);
    }

    /** The masks being enforced. */
    public MaskSet masks() {
        return masks;
    }

    /**
     * Multiplies the network's parameters by the masks, so every pruned weight is +0.0 (all bits
     * zero: a negative weight times 0 would leave -0.0, which sparse formats should not see).
     */
    public void applyToParams() {
        INDArray params = network.flatParams();
        multiply(params);
        params.addi(0.0); // -0.0 + 0.0 == +0.0; every other value is unchanged
    }

    /** Stops enforcing; the weights keep their current values. */
    public void detach() {
        network.removeListener(this);
    }

    private void multiply(INDArray target) {
        if (target == null) {
            return;
        }
        INDArray m = flatMask;
        if (!Arrays.equals(target.shape(), m.shape())) {
            m = m.reshape(target.shape());
        }
        target.muli(m);
    }

    @Override
    public void onGradientCalculation(Model model) {
        multiply(network.flatGradients());
    }
}

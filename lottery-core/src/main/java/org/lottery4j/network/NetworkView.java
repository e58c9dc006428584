package org.lottery4j.network;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A read-only view of a {@code MultiLayerNetwork} or {@code ComputationGraph}: its layers, its
 * parameters with where each sits in the flat {@code params()} vector, and their current values.
 * Nothing here changes the network or its training state; {@code LotteryTicket.view()} hands this
 * out, so user code cannot detach mask enforcement by accident.
 *
 * <pre>{@code
 * NetworkView view = NetworkView.of(net);          // net.init() must have been called
 * for (ParamInfo p : view.params()) {
 *     float[] values = view.read(p);              // a copy, in the flat vector's element order
 * }
 * }</pre>
 */
public final class NetworkView {

    private final NetworkAdapter network;

    private NetworkView(NetworkAdapter network) {
        this.network = network;
    }

    /**
     * A view of an initialized {@code MultiLayerNetwork} or {@code ComputationGraph}.
     *
     * @throws IllegalArgumentException for any other model type
     * @throws IllegalStateException if {@code init()} has not been called
     */
    public static NetworkView of(Model model) {
        return new NetworkView(NetworkAdapter.of(model));
    }

    /** {@code MultiLayerNetwork} or {@code ComputationGraph}. */
    public String networkType() {
        return network.model().getClass().getSimpleName();
    }

    /** Layer names, indexed by layer index. */
    public List<String> layerNames() {
        return network.layerNames();
    }

    /** Every parameter of the network, in flat-vector order. */
    public List<ParamInfo> params() {
        return network.params();
    }

    /** The parameter with this key, if the network has it. */
    public Optional<ParamInfo> param(ParamKey key) {
        return network.param(key);
    }

    /** Total number of parameters. */
    public long numParams() {
        return network.numParams();
    }

    /** Floating-point type of the parameters. */
    public DataType dataType() {
        return network.dataType();
    }

    /** A copy of one parameter's values, in the flat vector's element order. */
    public float[] read(ParamInfo p) {
        return network.read(p);
    }

    /**
     * One parameter's live values where they lie in native memory, read-only, element 0 of the
     * parameter at index 0; empty unless the parameters are FLOAT in one contiguous buffer. Lets
     * a pass over many weights read them in chunks instead of copying them all first. The buffer
     * is valid while the network's parameter array is.
     */
    public Optional<FloatBuffer> floats(ParamInfo p) {
        return network.floats(p);
    }

    /**
     * The same memory as {@link #floats(ParamInfo)} as IEEE bits, read-only: a pass that only
     * compares magnitudes reads them as ints, without converting each float.
     */
    public Optional<IntBuffer> floatBits(ParamInfo p) {
        return network.floatBits(p);
    }

    /** The network's seed, from its configuration. */
    public long seed() {
        return network.seed();
    }

    /** Number of parameter updates done since initialization or the last rewind. */
    public int iterationCount() {
        return network.iterationCount();
    }

    /**
     * An independent copy of the network, its configuration and current parameters (converted to
     * {@code dataType}: {@code DOUBLE} for finite differences) without its listeners, for code that
     * must run the network without changing it, such as a pruning method that needs gradients or a
     * forward pass. Changing the copy never changes this network.
     */
    public Model copy(DataType dataType) {
        return network.copy(dataType);
    }

    /** The adapter behind this view: for tests in this package, never handed out. */
    NetworkAdapter adapter() {
        return network;
    }

    @Override
    public String toString() {
        return networkType() + params();
    }
}

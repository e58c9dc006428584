package org.lottery4j.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What one example's forward pass through a network costs in multiply-adds, per layer and in
 * total, dense (every weight) or sparse (kept weights only), and what training on a number of
 * examples costs: the compute axis of sparse-training comparisons.
 *
 * <p>Counted: every weight of dense and output layers once per example ({@code nIn x nOut}), and
 * every weight of a 2-D convolution once per output position ({@code nOut x nIn x kH x kW x outH x
 * outW}; with masks, kept weights x output positions, so weights that meet padding at the borders
 * count as if they did not). Not counted: biases (additions), batch norm, layer norm, pooling,
 * activations, element-wise and merge vertices, softmax, the loss; each costs in proportion to the
 * activations, not to the weights, and is small beside the layers counted. A layer of another kind
 * with weights (recurrent, attention, embedding, 1-D, 3-D, depthwise, separable and transposed
 * convolutions) is refused, so that no count silently leaves it out.
 *
 * <p>Output positions come from one forward pass of one example in inference mode (its first row),
 * which is exact whatever the padding, stride and dilation.
 *
 * <p>Training: one step costs {@value #TRAINING_FACTOR} forward passes per example (the forward
 * pass, the backward pass to the activations, and the one to the weights, each about as costly as
 * the forward pass), the convention of sparse-training papers such as RigL (Evci et al. 2020); a
 * sparse network's backward passes are counted as sparse as its forward pass.
 *
 * <p>This package does not read masks (masks are built on it): the sparse count takes the number
 * of weights each masked parameter keeps, {@code Mask.countKept()}.
 *
 * <pre>{@code
 * MultiplyAdds dense = MultiplyAdds.of(net, test.getFeatures());
 * Map<ParamKey, Long> kept = new java.util.HashMap<>();
 * masks.asMap().forEach((key, mask) -> kept.put(key, mask.countKept()));
 * MultiplyAdds sparse = dense.withKeptWeights(kept);
 * long perExample = sparse.perExample();
 * long trainingCost = sparse.trainingMultiplyAdds(60_000L * 50);   // 50 epochs of MNIST
 * }</pre>
 */
public final class MultiplyAdds {

    /** Forward passes' worth of multiply-adds in one training step, per example. */
    public static final int TRAINING_FACTOR = 3;

    private static final Set<LayerKind> COUNTED = Set.of(LayerKind.DENSE, LayerKind.OUTPUT, LayerKind.CONVOLUTION);

    /**
     * The count of one layer.
     *
     * @param layer the layer's name
     * @param kind what the layer computes
     * @param weights weights counted (all of them, or those kept)
     * @param positions how many times each weight is used per example: 1 for dense layers, the
     *     output height x width for convolutions
     */
    public record LayerCount(String layer, LayerKind kind, long weights, long positions) {
        /** Multiply-adds per example: {@code weights x positions}. */
        public long multiplyAdds() {
            return Math.multiplyExact(weights, positions);
        }
    }

    // per counted layer: its weight parameters and the positions, for withKeptWeights
    private record Site(String layer, LayerKind kind, List<ParamInfo> weights, long positions) {}

    private final List<Site> sites;
    private final List<LayerCount> layers;

    private MultiplyAdds(List<Site> sites, List<LayerCount> layers) {
        this.sites = sites;
        this.layers = Collections.unmodifiableList(layers);
    }

    /**
     * The dense count of an initialized {@code MultiLayerNetwork} or single-input
     * {@code ComputationGraph}, with output sizes from a forward pass of the first example of
     * {@code examples} (features as the network takes them).
     *
     * @throws IllegalArgumentException for a layer with weights of a kind not counted, naming it
     */
    public static MultiplyAdds of(Model model, INDArray examples) {
        Objects.requireNonNull(examples, "examples");
        NetworkAdapter network = NetworkAdapter.of(model);
        Map<String, INDArray> outputs = outputs(model, network, first(examples));
        List<Site> sites = new ArrayList<>();
        Layer[] all = network.layers();
        for (int i = 0; i < all.length; i++) {
            int index = i;
            List<ParamInfo> weights = network.params().stream().filter(p -> p.layerIndex() == index && p.weight()).toList();
            if (weights.isEmpty()) {
                continue;
            }
            String name = network.layerNames().get(i);
            LayerKind kind = weights.get(0).layerKind();
            if (!COUNTED.contains(kind)) {
                throw new IllegalArgumentException("layer " + name + " (" + weights.get(0).layerType() + ", " + kind
                        + ") has weights but its multiply-adds are not counted: only dense, output and 2-D convolution layers are");
            }
            INDArray out = outputs.get(name);
            long nOut = ((FeedForwardLayer) all[i].conf().getLayer()).getNOut();
            if (out == null || out.size(0) != 1 || out.length() % nOut != 0) {
                throw new IllegalStateException("layer " + name + " gave an output of shape "
                        + (out == null ? "none" : Arrays.toString(out.shape())) + " for one example, not a multiple of its "
                        + nOut + " outputs");
            }
            sites.add(new Site(name, kind, weights, out.length() / nOut)); // per output channel: positions
        }
        List<LayerCount> layers = new ArrayList<>();
        for (Site s : sites) {
            layers.add(new LayerCount(s.layer(), s.kind(), s.weights().stream().mapToLong(ParamInfo::length).sum(), s.positions()));
        }
        return new MultiplyAdds(sites, layers);
    }

    /**
     * The sparse count: each parameter named in {@code kept} counts that many weights (a mask's
     * {@code countKept()}); the others count all of theirs.
     *
     * @throws IllegalArgumentException for a parameter this network has no such counted weight of,
     *     or a count outside [0, its length]
     */
    public MultiplyAdds withKeptWeights(Map<ParamKey, Long> kept) {
        Map<ParamKey, ParamInfo> counted = new java.util.HashMap<>();
        sites.forEach(s -> s.weights().forEach(p -> counted.put(p.key(), p)));
        kept.forEach((key, n) -> {
            ParamInfo p = counted.get(key);
            if (p == null) {
                throw new IllegalArgumentException("no counted weight " + key + "; the weights counted are "
                        + counted.keySet().stream().sorted().toList());
            }
            if (n == null || n < 0 || n > p.length()) {
                throw new IllegalArgumentException(key + " keeps " + n + " weights, not in [0, " + p.length() + "]");
            }
        });
        List<LayerCount> layers = new ArrayList<>();
        for (Site s : sites) {
            long weights = s.weights().stream().mapToLong(p -> kept.getOrDefault(p.key(), p.length())).sum();
            layers.add(new LayerCount(s.layer(), s.kind(), weights, s.positions()));
        }
        return new MultiplyAdds(sites, layers);
    }

    /** The counted layers, in the network's layer order. */
    public List<LayerCount> layers() {
        return layers;
    }

    /** Multiply-adds of one example's forward pass. */
    public long perExample() {
        long total = 0;
        for (LayerCount l : layers) {
            total = Math.addExact(total, l.multiplyAdds());
        }
        return total;
    }

    /** Multiply-adds of training on {@code examples} examples: {@value #TRAINING_FACTOR} x {@link #perExample()} each. */
    public long trainingMultiplyAdds(long examples) {
        if (examples < 0) {
            throw new IllegalArgumentException("examples must be >= 0, got " + examples);
        }
        return Math.multiplyExact(Math.multiplyExact(TRAINING_FACTOR, perExample()), examples);
    }

    private static INDArray first(INDArray examples) {
        if (examples.rank() == 0 || examples.size(0) == 0) {
            throw new IllegalArgumentException("one example is needed, got an array of shape " + Arrays.toString(examples.shape()));
        }
        INDArrayIndex[] index = new INDArrayIndex[examples.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[0] = NDArrayIndex.interval(0, 1);
        return examples.get(index);
    }

    // each layer's output for x, by layer name
    private static Map<String, INDArray> outputs(Model model, NetworkAdapter network, INDArray x) {
        if (model instanceof ComputationGraph graph) {
            if (graph.getNumInputArrays() != 1) {
                throw new IllegalArgumentException("a ComputationGraph with one input is needed, this one has "
                        + graph.getNumInputArrays());
            }
            return graph.feedForward(x, false); // keyed by vertex name, which is the layer name
        }
        List<INDArray> activations = ((MultiLayerNetwork) model).feedForward(x, false); // [0] is x
        Map<String, INDArray> out = new java.util.HashMap<>();
        for (int i = 0; i < network.layerNames().size(); i++) {
            out.put(network.layerNames().get(i), activations.get(i + 1));
        }
        return out;
    }
}

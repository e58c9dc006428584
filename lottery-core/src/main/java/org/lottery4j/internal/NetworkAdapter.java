package org.lottery4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.lottery4j.network.LayerKind;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * lottery4j's one adapter over DL4J's two network kinds, chosen once by {@link #of}: the flat
 * parameter and gradient vectors with named segments, the updater state, the iteration counters,
 * training, inference and listeners. Every other class goes through it and never asks which kind
 * of network it has.
 *
 * <p>This is the library's plumbing, public so that its packages (masks, rewinding, experiments,
 * ticket files) can share it; it changes the network and its training state. User code gets the
 * read-only {@link NetworkView} instead.
 *
 * <p>DL4J keeps every parameter array as a view into one flat {@code params()} vector, and the
 * gradient arrays as views into one flat gradient vector with the same layout; the adapter records
 * where each parameter sits so that masks can be applied with one fused multiply.
 *
 * <pre>{@code
 * NetworkAdapter network = NetworkAdapter.of(net);
 * network.fit(batch);
 * INDArray flat = network.flatParams();            // live: writes change the network
 * }</pre>
 */
public abstract sealed class NetworkAdapter permits MultiLayerAdapter, GraphAdapter {

    private final Model model;
    private final List<String> layerNames;
    private final List<ParamInfo> params;
    private final Map<ParamKey, ParamInfo> byKey;
    private NetworkView view; // made on first use: a view reads the same live parameters through an adapter of its own

    public NetworkAdapter(Model model, Layer[] layers) {
        this.model = model;
        INDArray flat = model.params();
        if (layers == null || flat == null) {
            throw new IllegalStateException("the network is not initialized: call init() on the "
                    + model.getClass().getSimpleName() + " before using it with lottery4j");
        }
        List<String> names = new ArrayList<>();
        List<ParamInfo> infos = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            String layerName = conf.getLayerName() != null ? conf.getLayerName() : "layer" + i;
            names.add(layerName);
            LayerKind kind = LayerKind.of(conf);
            for (Map.Entry<String, INDArray> e : layers[i].paramTable().entrySet()) {
                INDArray p = e.getValue();
                infos.add(new ParamInfo(ParamKey.of(layerName, e.getKey()), i, kind, conf.getClass().getSimpleName(),
                        p.shape(), p.ordering(), p.offset() - flat.offset(),
                        isWeight(conf, e.getKey())));
            }
        }
        infos.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        checkTiling(infos, flat.length());
        this.layerNames = List.copyOf(names);
        this.params = List.copyOf(infos);
        Map<ParamKey, ParamInfo> map = new LinkedHashMap<>();
        for (ParamInfo p : infos) {
            map.put(p.key(), p);
        }
        this.byKey = Collections.unmodifiableMap(map);
    }

    // DL4J's answer, less layer-norm gains: DL4J counts them as weights (to regularize them), but
    // they are one scale per unit, not connections
    private static boolean isWeight(org.deeplearning4j.nn.conf.layers.Layer conf, String param) {
        return conf.initializer().isWeightParam(conf, param)
                && !(conf.initializer() instanceof DefaultParamInitializer && param.equals(DefaultParamInitializer.GAIN_KEY));
    }

    // Masks rely on every parameter being a view into params(): the segments must tile it exactly.
    private static void checkTiling(List<ParamInfo> infos, long total) {
        long next = 0;
        for (ParamInfo p : infos) {
            if (p.offset() != next) {
                throw new IllegalStateException("parameter " + p.key() + " starts at " + p.offset()
                        + " of the flat params() vector, expected " + next + ": it is not a view of params()");
            }
            next += p.length();
        }
        if (next != total) {
            throw new IllegalStateException(
                    "parameters cover " + next + " of the " + total + " elements of the flat params() vector");
        }
    }

    /**
     * The adapter of an initialized {@link MultiLayerNetwork} or {@link ComputationGraph}.
     *
     * @throws IllegalArgumentException for any other model type
     * @throws IllegalStateException if {@code init()} has not been called
     */
    public static NetworkAdapter of(Model model) {
        Objects.requireNonNull(model, "model");
        if (model instanceof MultiLayerNetwork mln) {
            return new MultiLayerAdapter(mln);
        }
        if (model instanceof ComputationGraph graph) {
            return new GraphAdapter(graph);
        }
        throw new IllegalArgumentException("lottery4j supports MultiLayerNetwork and ComputationGraph, not "
                + model.getClass().getName());
    }

    /** The wrapped network. */
    public Model model() {
        return model;
    }

    /** The read-only view of this network. */
    public synchronized NetworkView view() {
        if (view == null) {
            view = NetworkView.of(model());
        }
        return view;
    }

    /** Layer names, indexed by layer index. */
    public List<String> layerNames() {
        return layerNames;
    }

    /** Every parameter of the network, in flat-vector order. */
    public List<ParamInfo> params() {
        return params;
    }

    /** The parameter with this key, if the network has it. */
    public Optional<ParamInfo> param(ParamKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Total number of parameters. */
    public long numParams() {
        return model.params().length();
    }

    /** Floating-point type of the parameters. */
    public DataType dataType() {
        return model.params().dataType();
    }

    /** The live flat parameter vector (a view: writes change the network). */
    public INDArray flatParams() {
        return model.params();
    }

    /** The live flat gradient vector, in the same element order as {@link #flatParams()}. */
    public INDArray flatGradients() {
        return model.getGradientsViewArray();
    }

    /** A copy of one parameter's values, in the flat vector's element order. */
    public float[] read(ParamInfo p) {
        Optional<FloatBuffer> buffer = floats(p);
        if (buffer.isPresent()) {
            // one bulk copy from the native buffer: a view's toFloatVector() goes element by element
            float[] out = new float[(int) p.length()];
            buffer.get().get(0, out);
            return out;
        }
        return segment(model.params(), p).toFloatVector();
    }

    /** See {@link NetworkView#floats(ParamInfo)}. */
    public Optional<FloatBuffer> floats(ParamInfo p) {
        return bytes(p).map(ByteBuffer::asFloatBuffer);
    }

    /** See {@link NetworkView#floatBits(ParamInfo)}. */
    public Optional<IntBuffer> floatBits(ParamInfo p) {
        return bytes(p).map(ByteBuffer::asIntBuffer);
    }

    private Optional<ByteBuffer> bytes(ParamInfo p) {
        INDArray flat = model.params();
        // a ByteBuffer is indexed by int bytes
        if (flat.dataType() != DataType.FLOAT || flat.elementWiseStride() != 1
                || (flat.offset() + p.offset() + p.length()) * Float.BYTES > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        int from = Math.toIntExact(flat.offset() + p.offset());
        ByteBuffer all = flat.data().asNio();
        return Optional.of(all.slice(from * Float.BYTES, (int) p.length() * Float.BYTES)
                .asReadOnlyBuffer().order(ByteOrder.nativeOrder()));
    }

    /** The part of a flat vector (params, gradients or a snapshot) that holds {@code p}, as a 1-D view. */
    public static INDArray segment(INDArray flat, ParamInfo p) {
        INDArray row = flat.reshape(flat.length());
        return row.get(NDArrayIndex.interval(p.offset(), p.offset() + p.length()));
    }

    /** The network's layers, in parameter order. */
    public abstract Layer[] layers();

    /**
     * Every layer configuration, with whether its layer has parameters: first those of the live
     * layers, then those the network's configuration holds that were not among them (in DL4J
     * 1.0.0-M2.1 both are the same objects; a saved network records the configuration's).
     */
    public Map<org.deeplearning4j.nn.conf.layers.Layer, Boolean> layerConfigurations() {
        Map<org.deeplearning4j.nn.conf.layers.Layer, Boolean> out = new java.util.IdentityHashMap<>();
        Map<org.deeplearning4j.nn.conf.layers.Layer, Boolean> ordered = new LinkedHashMap<>();
        for (Layer layer : layers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (out.put(conf, layer.numParams() > 0) == null) {
                ordered.put(conf, layer.numParams() > 0);
            }
        }
        for (org.deeplearning4j.nn.conf.layers.Layer conf : configuredLayers()) {
            if (out.put(conf, false) == null) {
                ordered.put(conf, false);
            }
        }
        return Collections.unmodifiableMap(ordered);
    }

    public abstract List<org.deeplearning4j.nn.conf.layers.Layer> configuredLayers();

    /**
     * Builds the updater again from the layers' configurations, if DL4J has built one already
     * (it does so lazily, at the first fit): after a change of updater or regularization.
     */
    public abstract void rebuildUpdater();

    /** The network's seed, from its configuration. */
    public abstract long seed();

    /** Number of parameter updates done since initialization or the last {@link #resetTrainingState()}. */
    public abstract int iterationCount();

    /** Number of epochs done since initialization or the last {@link #resetTrainingState()}. */
    public abstract int epochCount();

    /** Sets the network's and every layer's iteration and epoch counters. */
    public void setCounters(int iteration, int epoch) {
        for (Layer layer : layers()) {
            layer.conf().setIterationCount(iteration);
            layer.conf().setEpochCount(epoch);
        }
        setNetworkCounters(iteration, epoch);
    }

    public abstract void setNetworkCounters(int iteration, int epoch);

    /** The updater, or {@code null} before the first fit. */
    public abstract Updater updater();

    /** The configuration as JSON, as DL4J's {@code toJson()} writes it. */
    public abstract String configurationJson();

    /** A new, initialized network of the same architecture whose configuration has this seed. */
    public abstract Model freshCopy(long seed);

    /** One training step on one batch. */
    public abstract void fit(DataSet batch);

    /** The loss on these examples (mean over examples, regularization included), without training. */
    public abstract double score(DataSet examples);

    /** The network's output for these inputs, in inference mode (single-output networks). */
    public abstract INDArray output(INDArray features);

    /**
     * An independent copy of the network: its configuration, current parameters (converted to
     * {@code dataType} if they are of another type) and iteration and epoch counters, and, in the
     * same type, its updater state; without its listeners, and sharing none with this network (a
     * listener added to the copy never acts here). Changing the copy never changes this network.
     */
    public abstract Model copy(DataType dataType);

    /**
     * The gradient of the loss on {@code batch} (single-output networks), as DL4J's
     * {@code computeGradientAndScore} computes it in training mode, copied out of the flat gradient
     * vector (which the next computation overwrites), in {@link #flatParams()}'s element order.
     * The parameters are not changed; the network's input and labels are set to the batch's.
     */
    public abstract INDArray gradient(DataSet batch);

    public abstract Collection<TrainingListener> listeners();

    public abstract void setListeners(List<TrainingListener> listeners);

    /** The updater's state (Adam moments, momentum...), or {@code null} before the first fit. */
    public INDArray updaterState() {
        Updater updater = updater();
        return updater == null ? null : updater.getStateViewArray();
    }

    /**
     * Multiplies the updater's state (Adam moments, momentum...) by {@code flatMask}, a 0/1 array
     * aligned with {@link #flatParams()}, so that pruned weights carry no state from before they
     * were pruned: with a zero gradient and zero state every DL4J updater then leaves them at 0.
     * Does nothing before the first fit, when there is no state yet.
     */
    public void maskUpdaterState(INDArray flatMask) {
        if (!(updater() instanceof BaseMultiLayerUpdater<?> layered)) {
            return;
        }
        INDArray mask = flatMask.reshape(flatMask.length());
        // each block updates params [start, end) and keeps its state arrays in that order
        for (UpdaterBlock block : layered.getUpdaterBlocks()) {
            GradientUpdater<?> gradientUpdater = block.getGradientUpdater();
            Map<String, INDArray> states = gradientUpdater == null ? null : gradientUpdater.getState();
            if (states == null) {
                continue;
            }
            INDArray segment = mask.get(NDArrayIndex.interval(block.getParamOffsetStart(), block.getParamOffsetEnd()));
            for (INDArray state : states.values()) {
                state.muli(segment.reshape(state.shape()));
            }
        }
    }

    /**
     * Starts training afresh: zeroes the updater state (Adam moments, momentum) and sets the
     * iteration and epoch counters to 0, so Adam's bias correction starts again as at
     * initialization.
     */
    public void resetTrainingState() {
        INDArray state = updaterState();
        if (state != null) {
            state.assign(0);
        }
        setCounters(0, 0);
    }

    /**
     * Parameters of a fresh initialization of the same architecture with another seed, in this
     * network's flat order. The network itself is not changed. Note that DL4J reseeds ND4J's global
     * random generator when it initializes a network.
     */
    public INDArray freshParams(long seed) {
        Model fresh = freshCopy(seed);
        if (!NetworkAdapter.of(fresh).params.equals(params)) {
            throw new IllegalStateException("re-initialization produced a different parameter layout");
        }
        return fresh.params();
    }

    /** Adds a training listener, keeping the network's other listeners. */
    public void addListener(TrainingListener listener) {
        model.addListeners(listener);
    }

    /** Removes a training listener added with {@link #addListener}. */
    public void removeListener(TrainingListener listener) {
        Collection<TrainingListener> current = listeners();
        List<TrainingListener> kept = new ArrayList<>(current == null ? List.of() : current);
        kept.remove(listener);
        setListeners(kept);
    }
}

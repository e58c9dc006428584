package org.lottery4j.network;

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
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.lottery4j.mask.ParamKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The one place where lottery4j touches DL4J internals: a {@link MultiLayerNetwork} or
 * {@link ComputationGraph} seen as a flat parameter vector with named parameter segments, a
 * flat gradient vector in the same element order, an updater state and iteration counters.
 *
 * <p>DL4J keeps every parameter array as a view into one flat {@code params()} vector, and the
 * gradient arrays as views into one flat gradient vector with the same layout; this class records
 * where each parameter sits so that masks can be applied with one fused multiply.
 *
 * <pre>{@code
 * NetworkView view = NetworkView.of(net);          // net.init() must have been called
 * for (ParamInfo p : view.params()) {
 *     float[] values = view.read(p);              // a copy, in the flat vector's element order
 * }
 * }</pre>
 */
public final class NetworkView {

    private final Model model;
    private final List<String> layerNames;
    private final List<ParamInfo> params;
    private final Map<ParamKey, ParamInfo> byKey;

    private NetworkView(Model model) {
        this.model = model;
        Layer[] layers = layersOf(model);
        INDArray flat = model.params();
        if (layers == null || flat == null) {
            throw new IllegalStateException(
                    "the network is not initialized: call init() on the "
                            + model.getClass().getSimpleName()
                            + " before using it with lottery4j");
        }
        List<String> names = new ArrayList<>();
        List<ParamInfo> infos = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            String layerName = conf.getLayerName() != null ? conf.getLayerName() : "layer" + i;
            names.add(layerName);
            for (Map.Entry<String, INDArray> e : layers[i].paramTable().entrySet()) {
                INDArray p = e.getValue();
                long offset = p.offset() - flat.offset();
                infos.add(new ParamInfo(
                        ParamKey.of(layerName, e.getKey()),
                        i,
                        conf.getClass().getSimpleName(),
                        p.shape(),
                        p.ordering(),
                        offset,
                        isPrunableWeight(conf, e.getKey())));
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
     * Wraps an initialized {@link MultiLayerNetwork} or {@link ComputationGraph}.
     *
     * @throws IllegalArgumentException for any other model type
     * @throws IllegalStateException if {@code init()} has not been called
     */
    public static NetworkView of(Model model) {
        Objects.requireNonNull(model, "model");
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("lottery4j supports MultiLayerNetwork and ComputationGraph, not "
                    + model.getClass().getName());
        }
        return new NetworkView(model);
    }

    private static Layer[] layersOf(Model model) {
        return model instanceof MultiLayerNetwork mln ? mln.getLayers() : ((ComputationGraph) model).getLayers();
    }

    // Dense, output, convolution (1D/2D) and LSTM weights; biases ("b"), batch-norm parameters and
    // layer-norm gains ("g") are never pruned by default.
    private static boolean isPrunableWeight(org.deeplearning4j.nn.conf.layers.Layer conf, String param) {
        boolean weightLayer = conf instanceof DenseLayer
                || conf instanceof BaseOutputLayer
                || conf instanceof ConvolutionLayer
                || conf instanceof AbstractLSTM;
        return weightLayer && (param.equals("W") || param.equals("RW"));
    }

    /** The wrapped network. */
    public Model model() {
        return model;
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

    /**
     * One parameter's live values where they lie in native memory, read-only, element 0 of the
     * parameter at index 0; empty unless the parameters are FLOAT in one contiguous buffer. Lets
     * a pass over many weights read them in chunks instead of copying them all first. The buffer
     * is valid while the network's parameter array is.
     */
    public Optional<FloatBuffer> floats(ParamInfo p) {
        return bytes(p).map(ByteBuffer::asFloatBuffer);
    }

    /**
     * The same memory as {@link #floats(ParamInfo)} as IEEE bits, read-only: a pass that only
     * compares magnitudes reads them as ints, without converting each float.
     */
    public Optional<IntBuffer> floatBits(ParamInfo p) {
        return bytes(p).map(ByteBuffer::asIntBuffer);
    }

    private Optional<ByteBuffer> bytes(ParamInfo p) {
        INDArray flat = model.params();
        if (flat.dataType() != DataType.FLOAT || flat.elementWiseStride() != 1 || p.offset() + p.length() > Integer.MAX_VALUE) {
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

    /** The network's seed, from its configuration. */
    public long seed() {
        return model instanceof MultiLayerNetwork mln
                ? mln.getDefaultConfiguration().getSeed()
                : ((ComputationGraph) model).getConfiguration().getDefaultConfiguration().getSeed();
    }

    /** Number of parameter updates done since initialization or the last {@link #resetTrainingState()}. */
    public int iterationCount() {
        return model instanceof MultiLayerNetwork mln
                ? mln.getIterationCount()
                : ((ComputationGraph) model).getIterationCount();
    }

    /** Number of epochs done since initialization or the last {@link #resetTrainingState()}. */
    public int epochCount() {
        return model instanceof MultiLayerNetwork mln
                ? mln.getEpochCount()
                : ((ComputationGraph) model).getEpochCount();
    }

    /** The updater's state (Adam moments, momentum...), or {@code null} before the first fit. */
    public INDArray updaterState() {
        return model instanceof MultiLayerNetwork mln
                ? (mln.getUpdater(false) == null ? null : mln.getUpdater(false).getStateViewArray())
                : (((ComputationGraph) model).getUpdater(false) == null
                        ? null
                        : ((ComputationGraph) model).getUpdater(false).getStateViewArray());
    }

    /**
     * Multiplies the updater's state (Adam moments, momentum...) by {@code flatMask}, a 0/1 array
     * aligned with {@link #flatParams()}, so that pruned weights carry no state from before they
     * were pruned: with a zero gradient and zero state every DL4J updater then leaves them at 0.
     * Does nothing before the first fit, when there is no state yet.
     */
    public void maskUpdaterState(INDArray flatMask) {
        org.deeplearning4j.nn.api.Updater updater = model instanceof MultiLayerNetwork mln
                ? mln.getUpdater(false)
                : ((ComputationGraph) model).getUpdater(false);
        if (!(updater instanceof org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?> layered)) {
            return;
        }
        INDArray mask = flatMask.reshape(flatMask.length());
        // each block updates params [start, end) and keeps its state arrays in that order
        for (org.deeplearning4j.nn.updater.UpdaterBlock block : layered.getUpdaterBlocks()) {
            org.nd4j.linalg.learning.GradientUpdater<?> gradientUpdater = block.getGradientUpdater();
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
     * iteration and epoch counters to 0, so learning-rate schedules and Adam's bias correction
     * start again as at initialization.
     */
    public void resetTrainingState() {
        INDArray state = updaterState();
        if (state != null) {
            state.assign(0);
        }
        if (model instanceof MultiLayerNetwork mln) {
            mln.getLayerWiseConfigurations().setIterationCount(0);
            mln.getLayerWiseConfigurations().setEpochCount(0);
        } else {
            ComputationGraphConfiguration conf = ((ComputationGraph) model).getConfiguration();
            conf.setIterationCount(0);
            conf.setEpochCount(0);
        }
        for (Layer layer : layersOf(model)) {
            layer.conf().setIterationCount(0);
            layer.conf().setEpochCount(0);
        }
    }

    /**
     * Parameters of a fresh initialization of the same architecture with another seed, in this
     * network's flat order. The network itself is not changed. Note that DL4J reseeds ND4J's global
     * random generator when it initializes a network.
     */
    public INDArray freshParams(long seed) {
        Model fresh;
        if (model instanceof MultiLayerNetwork mln) {
            MultiLayerConfiguration conf = mln.getLayerWiseConfigurations().clone();
            for (NeuralNetConfiguration c : conf.getConfs()) {
                c.setSeed(seed);
            }
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            fresh = net;
        } else {
            ComputationGraphConfiguration conf = ((ComputationGraph) model).getConfiguration().clone();
            conf.getDefaultConfiguration().setSeed(seed);
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init();
            fresh = graph;
        }
        if (!NetworkView.of(fresh).params.equals(params)) {
            throw new IllegalStateException("re-initialization produced a different parameter layout");
        }
        return fresh.params();
    }

    /** One training step on one batch. */
    public void fit(DataSet batch) {
        if (model instanceof MultiLayerNetwork mln) {
            mln.fit(batch);
        } else {
            ((ComputationGraph) model).fit(batch);
        }
    }

    /** The loss on these examples (mean over examples, regularization included), without training. */
    public double score(DataSet examples) {
        return model instanceof MultiLayerNetwork mln
                ? mln.score(examples)
                : ((ComputationGraph) model).score(examples);
    }

    /**
     * The fraction of {@code examples} whose highest output is the labelled class (one-hot labels),
     * in inference mode, evaluated 2,000 examples at a time to bound the activations' memory.
     */
    public double accuracy(DataSet examples) {
        long correct = 0;
        int n = examples.numExamples();
        for (int from = 0; from < n; from += 2000) {
            INDArrayIndex rows = NDArrayIndex.interval(from, Math.min(n, from + 2000));
            INDArray predicted = output(examples.getFeatures().get(rows, NDArrayIndex.all())).argMax(1);
            INDArray labels = examples.getLabels().get(rows, NDArrayIndex.all()).argMax(1);
            correct += predicted.eq(labels).castTo(DataType.INT).sumNumber().longValue();
        }
        return (double) correct / n;
    }

    /** The network's output for these inputs, in inference mode (single-output networks). */
    public INDArray output(INDArray features) {
        return model instanceof MultiLayerNetwork mln
                ? mln.output(features, false)
                : ((ComputationGraph) model).outputSingle(false, features);
    }

    /** Adds a training listener, keeping the network's other listeners. */
    public void addListener(TrainingListener listener) {
        if (model instanceof MultiLayerNetwork mln) {
            mln.addListeners(listener);
        } else {
            ((ComputationGraph) model).addListeners(listener);
        }
    }

    /** Removes a training listener added with {@link #addListener}. */
    public void removeListener(TrainingListener listener) {
        Collection<TrainingListener> current = model instanceof MultiLayerNetwork mln
                ? mln.getListeners()
                : ((ComputationGraph) model).getListeners();
        List<TrainingListener> kept = new ArrayList<>(current == null ? List.of() : current);
        kept.remove(listener);
        if (model instanceof MultiLayerNetwork mln) {
            mln.setListeners(kept);
        } else {
            ((ComputationGraph) model).setListeners(kept);
        }
    }

    /** Whether this network has the same parameters (names, shapes, order) as {@code other}. */
    public boolean sameLayoutAs(NetworkView other) {
        return params.equals(other.params);
    }
}

package org.lottery4j.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import onnx.Onnx.AttributeProto;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.lottery4j.export.OnnxModel.Attribute;
import org.lottery4j.network.LayerKind;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.sparsity.TorchLayout;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * Translates a network's layers, in the order DL4J runs them, into ONNX nodes. Layer
 * configurations come from DL4J's configuration API; parameter values come through
 * {@link NetworkView}, in the flat vector's element order, and are rearranged here into the
 * row-major layouts ONNX (and PyTorch) use.
 */
final class NetworkTranslator {

    static final String INPUT = "input";
    static final String OUTPUT = "output";
    private static final long UNKNOWN = -1;
    /** The end of a zero padding's output name, which only its Pad node's output has. */
    private static final String PAD = "/Pad";

    /**
     * The layers this translator covers, the one list that the translation and its messages read:
     * dense and convolution layers by their {@link LayerKind}, the others by their exact class
     * (subclasses such as RnnOutputLayer compute something else).
     */
    private enum Translation {
        DENSE(null, "DenseLayer"), OUTPUT(OutputLayer.class, "OutputLayer"), LOSS(LossLayer.class, "LossLayer"),
        CONVOLUTION(null, "ConvolutionLayer"), POOLING(SubsamplingLayer.class, "SubsamplingLayer (max, avg)"),
        BATCH_NORM(BatchNormalization.class, "BatchNormalization"), ACTIVATION(ActivationLayer.class, "ActivationLayer"),
        DROPOUT(DropoutLayer.class, "DropoutLayer"),
        GLOBAL_POOLING(GlobalPoolingLayer.class, "GlobalPoolingLayer (avg, max, sum)"),
        ZERO_PADDING(ZeroPaddingLayer.class, "ZeroPaddingLayer");

        private final Class<? extends Layer> type;
        private final String text;

        Translation(Class<? extends Layer> type, String text) {
            this.type = type;
            this.text = text;
        }

        /** The translation of {@code layer}, or null if it has none. */
        static Translation of(Layer layer) {
            LayerKind kind = LayerKind.of(layer);
            if (kind == LayerKind.DENSE) {
                return DENSE;
            } else if (kind == LayerKind.CONVOLUTION) {
                return CONVOLUTION;
            }
            return Arrays.stream(values()).filter(t -> t.type == layer.getClass()).findFirst().orElse(null);
        }

        static String list() {
            return Arrays.stream(values()).map(t -> t.text).collect(Collectors.joining(", "));
        }
    }

    /** The graph vertices this translator covers besides layers, the one list its messages read. */
    private enum VertexTranslation {
        ELEMENT_WISE(ElementWiseVertex.class), MERGE(MergeVertex.class), SCALE(ScaleVertex.class),
        SHIFT(ShiftVertex.class), SUBSET(SubsetVertex.class), PREPROCESSOR(PreprocessorVertex.class);

        private final Class<? extends GraphVertex> type;

        VertexTranslation(Class<? extends GraphVertex> type) {
            this.type = type;
        }

        static VertexTranslation of(GraphVertex vertex) {
            return Arrays.stream(values()).filter(t -> t.type == vertex.getClass()).findFirst().orElse(null);
        }

        static String list() {
            return Arrays.stream(values()).map(t -> t.type.getSimpleName()).collect(Collectors.joining(", "));
        }
    }

    /** A value flowing between nodes: its ONNX name and shape, batch first; -1 is a size known only at run time. */
    private record Value(String name, long[] shape) {
        boolean isCnn() {
            return shape.length == 4;
        }
    }

    /**
     * One layer or vertex to translate: its index (the layer's, or the graph vertex's), name,
     * configuration (a layer, or {@code vertex} for a vertex without one), input preprocessor and
     * the values that feed it.
     */
    private record Step(int index, String name, Layer layer, GraphVertex vertex, InputPreProcessor preProcessor,
            List<String> from) {

        static Step ofLayer(int index, String name, Layer layer, InputPreProcessor preProcessor, String from) {
            return new Step(index, name, layer, null, preProcessor, List.of(from));
        }

        String type() {
            return (layer != null ? layer : vertex).getClass().getSimpleName();
        }
    }

    private final NetworkView view;
    private final OnnxModel onnx = new OnnxModel();

    private NetworkTranslator(NetworkView view) {
        this.view = view;
    }

    /** The ONNX graph of this network. */
    static OnnxModel translate(Model model) {
        NetworkView view = NetworkView.of(model);
        NetworkTranslator t = new NetworkTranslator(view);
        if (model instanceof MultiLayerNetwork mln) {
            List<Step> steps = steps(mln, view);
            t.run(steps, steps.isEmpty() ? INPUT : steps.get(steps.size() - 1).name());
        } else {
            ComputationGraph graph = (ComputationGraph) model;
            t.run(steps(graph), graph.getConfiguration().getNetworkOutputs().get(0));
        }
        return t.onnx;
    }

    private static List<Step> steps(MultiLayerNetwork mln, NetworkView view) {
        MultiLayerConfiguration conf = mln.getLayerWiseConfigurations();
        List<Step> steps = new ArrayList<>();
        String from = INPUT;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            String name = view.layerNames().get(i);
            steps.add(Step.ofLayer(i, name, conf.getConf(i).getLayer(), conf.getInputPreProcess(i), from));
            from = name;
        }
        return steps;
    }

    // A graph is exported in DL4J's topological order: one input, one output, layers and the vertices of VertexTranslation.
    private static List<Step> steps(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("cannot export a ComputationGraph with inputs " + conf.getNetworkInputs()
                    + " and outputs " + conf.getNetworkOutputs() + " to ONNX: exactly one of each is supported");
        }
        String networkInput = conf.getNetworkInputs().get(0);
        List<Step> steps = new ArrayList<>();
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = graph.getVertices();
        for (int v : graph.topologicalSortOrder()) {
            String name = vertices[v].getVertexName();
            if (name.equals(networkInput)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> from = conf.getVertexInputs().get(name).stream().map(in -> in.equals(networkInput) ? INPUT : in)
                    .toList();
            if (vertex instanceof LayerVertex lv) {
                if (from.size() != 1) {
                    throw new IllegalArgumentException("cannot export layer vertex '" + name + "' with inputs " + from
                            + " to ONNX: a layer takes one input (merge them with a MergeVertex)");
                }
                steps.add(Step.ofLayer(vertices[v].getLayer().getIndex(), name, lv.getLayerConf().getLayer(),
                        lv.getPreProcessor(), from.get(0)));
            } else if (VertexTranslation.of(vertex) == null) {
                throw new IllegalArgumentException("cannot export vertex '" + name + "' (" + vertex.getClass().getSimpleName()
                        + ", inputs " + from + ") to ONNX: supported vertices are layers, " + VertexTranslation.list());
            } else {
                steps.add(new Step(v, name, null, vertex, null, from));
            }
        }
        return steps;
    }

    private void run(List<Step> steps, String outputLayer) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("cannot export a network without layers to ONNX");
        }
        // the first step that reads the input tells its shape (a graph's configuration keeps no input type)
        Value input = networkInput(steps.stream().filter(st -> st.from().contains(INPUT)).findFirst().orElseThrow());
        onnx.input(INPUT, dims(input.shape(), true));
        Map<String, Value> values = new HashMap<>();
        values.put(INPUT, input);
        for (Step step : steps) {
            List<Value> xs = new ArrayList<>();
            for (String from : step.from()) {
                Value x = values.get(from);
                if (x == null) {
                    throw new IllegalStateException("'" + step.name() + "' is fed by '" + from + "', which has not been"
                            + " translated");
                }
                xs.add(x);
            }
            if (step.layer() == null) {
                values.put(step.name(), vertex(step, xs));
                continue;
            }
            Value x = xs.get(0);
            if (step.preProcessor() != null) {
                x = preProcess(step, x);
            }
            values.put(step.name(), layer(step, x));
        }
        Value out = values.get(outputLayer);
        if (out.name().equals(INPUT)) {
            onnx.node("Identity", "output/Identity", List.of(INPUT), OUTPUT);
        } else {
            onnx.rename(out.name(), OUTPUT);
        }
        onnx.output(OUTPUT, dims(out.shape(), false));
    }

    // The network's input, as DL4J takes it: what the first layer's preprocessor or the first layer reads.
    private Value networkInput(Step first) {
        if (first.preProcessor() instanceof FeedForwardToCnnPreProcessor p) {
            return new Value(INPUT, new long[] {UNKNOWN, p.getNumChannels() * p.getInputHeight() * p.getInputWidth()});
        }
        if (first.preProcessor() instanceof CnnToFeedForwardPreProcessor p) {
            return new Value(INPUT, new long[] {UNKNOWN, p.getNumChannels(), p.getInputHeight(), p.getInputWidth()});
        }
        Layer layer = first.layer();
        if (layer == null) {
            // a graph's configuration keeps no input type (setInputTypes only adds the layers' preprocessors)
            throw fail(first, "cannot tell the network's input shape from a vertex; let a layer read the input first");
        }
        return switch (translation(first)) {
            case CONVOLUTION -> new Value(INPUT, new long[] {UNKNOWN, ((ConvolutionLayer) layer).getNIn(), UNKNOWN, UNKNOWN});
            case ZERO_PADDING, POOLING -> new Value(INPUT, new long[] {UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN});
            case DENSE, OUTPUT, BATCH_NORM -> new Value(INPUT,
                    new long[] {UNKNOWN, ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer).getNIn()});
            default -> throw fail(first, "cannot tell the network's input shape from its first layer; start with a dense"
                    + " or convolution layer, or build the configuration with setInputType(...)");
        };
    }

    private Value preProcess(Step step, Value x) {
        return preProcess(step, step.preProcessor(), x);
    }

    private Value preProcess(Step step, InputPreProcessor preProcessor, Value x) {
        String name = step.name();
        if (preProcessor instanceof FeedForwardToCnnPreProcessor p) {
            long c = p.getNumChannels();
            long h = p.getInputHeight();
            long w = p.getInputWidth();
            if (x.isCnn()) {
                return x; // DL4J passes 4-D activations through unchanged
            }
            // DL4J reshapes each row in 'c' order to [channels, height, width]: the same as ONNX Reshape
            String shape = name + "/input_shape";
            onnx.node("Constant", shape, List.of(), shape, Attribute.int64Tensor("value", -1, c, h, w));
            String out = name + "/Reshape";
            onnx.node("Reshape", out, List.of(x.name(), shape), out);
            return new Value(out, new long[] {UNKNOWN, c, h, w});
        }
        if (preProcessor instanceof CnnToFeedForwardPreProcessor p) {
            if (p.getFormat() != CNN2DFormat.NCHW) {
                throw fail(step, "input preprocessor CnnToFeedForwardPreProcessor with format " + p.getFormat()
                        + " is not supported (NCHW only)");
            }
            if (!x.isCnn()) {
                return x;
            }
            // DL4J flattens NCHW activations in 'c' order over [C, H, W], as ONNX Flatten(axis=1) does
            String out = name + "/Flatten";
            onnx.node("Flatten", out, List.of(x.name()), out, Attribute.integer("axis", 1));
            return new Value(out, new long[] {UNKNOWN, p.getNumChannels() * p.getInputHeight() * p.getInputWidth()});
        }
        throw fail(step, "input preprocessor " + preProcessor.getClass().getSimpleName() + " is not supported"
                + " (FeedForwardToCnnPreProcessor and CnnToFeedForwardPreProcessor are)");
    }

    private Value layer(Step step, Value x) {
        Layer layer = step.layer();
        return switch (translation(step)) {
            case DENSE, OUTPUT -> {
                if (layer instanceof DenseLayer dense && dense.hasLayerNorm()) {
                    throw fail(step, "layer normalization (hasLayerNorm) is not supported");
                }
                yield activation(step, dense(step, x, (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer));
            }
            case CONVOLUTION -> activation(step, convolution(step, x, (ConvolutionLayer) layer));
            case POOLING -> pooling(step, x, (SubsamplingLayer) layer);
            // DL4J's batch-norm layer never applies its activation (it inherits the default, sigmoid, unused)
            case BATCH_NORM -> batchNorm(step, x, (BatchNormalization) layer);
            case ACTIVATION, LOSS -> activation(step, x);
            case DROPOUT -> x; // dropout does nothing at inference
            case GLOBAL_POOLING -> globalPooling(step, x, (GlobalPoolingLayer) layer);
            case ZERO_PADDING -> zeroPadding(step, x, (ZeroPaddingLayer) layer);
        };
    }

    private Value vertex(Step step, List<Value> xs) {
        GraphVertex vertex = step.vertex();
        return switch (VertexTranslation.of(vertex)) {
            case ELEMENT_WISE -> elementWise(step, xs, ((ElementWiseVertex) vertex).getOp());
            case MERGE -> merge(step, xs, ((MergeVertex) vertex).getMergeAxis());
            case SCALE -> withScalar(step, xs, "Mul", ((ScaleVertex) vertex).getScaleFactor());
            case SHIFT -> withScalar(step, xs, "Add", ((ShiftVertex) vertex).getShiftFactor());
            case SUBSET -> subset(step, xs, (SubsetVertex) vertex);
            case PREPROCESSOR -> preProcess(step, ((PreprocessorVertex) vertex).getPreProcessor(), single(step, xs));
        };
    }

    // DL4J requires equal shapes (no broadcasting): Add, Average and Max take any number of inputs, as ONNX's Sum, Mean, Max
    private Value elementWise(Step step, List<Value> xs, ElementWiseVertex.Op op) {
        for (Value x : xs) {
            if (!Arrays.equals(x.shape(), xs.get(0).shape())) {
                throw fail(step, "inputs of shapes " + xs.stream().map(v -> Arrays.toString(v.shape())).toList()
                        + " differ");
            }
        }
        List<String> names = xs.stream().map(Value::name).toList();
        String out;
        switch (op) {
            case Add -> onnx.node("Sum", out = step.name() + "/Sum", names, out);
            case Average -> onnx.node("Mean", out = step.name() + "/Mean", names, out);
            case Max -> onnx.node("Max", out = step.name() + "/Max", names, out);
            case Subtract -> {
                if (names.size() != 2) {
                    throw fail(step, "subtract takes 2 inputs, got " + names.size());
                }
                onnx.node("Sub", out = step.name() + "/Sub", names, out);
            }
            case Product -> {
                out = names.get(0);
                for (int i = 1; i < names.size(); i++) {
                    String next = step.name() + "/Mul" + (i == names.size() - 1 ? "" : "_" + i);
                    onnx.node("Mul", next, List.of(out, names.get(i)), next);
                    out = next;
                }
            }
            default -> throw fail(step, "element-wise operation " + op + " is not supported");
        }
        return new Value(out, xs.get(0).shape());
    }

    // Concatenation along the channels (4-D) or features (2-D), DL4J's merge axis 1
    private Value merge(Step step, List<Value> xs, int axis) {
        if (axis != 1) {
            throw fail(step, "merge axis " + axis + " is not supported (1, the channels or features, is)");
        }
        long[] shape = xs.get(0).shape().clone();
        long size = 0;
        for (Value x : xs) {
            if (x.shape().length != shape.length) {
                throw fail(step, "inputs of ranks " + xs.stream().map(v -> v.shape().length).toList() + " differ");
            }
            size = size == UNKNOWN || x.shape()[1] == UNKNOWN ? UNKNOWN : size + x.shape()[1];
        }
        shape[1] = size;
        String out = step.name() + "/Concat";
        onnx.node("Concat", out, xs.stream().map(Value::name).toList(), out, Attribute.integer("axis", 1));
        return new Value(out, shape);
    }

    private Value withScalar(Step step, List<Value> xs, String op, double value) {
        Value x = single(step, xs);
        String constant = step.name() + "/value";
        onnx.node("Constant", constant, List.of(), constant, Attribute.floatTensor("value", (float) value));
        String out = step.name() + "/" + op;
        onnx.node(op, out, List.of(x.name(), constant), out);
        return new Value(out, x.shape());
    }

    // DL4J's subset keeps channels (4-D) or features (2-D) from..to, both included
    private Value subset(Step step, List<Value> xs, SubsetVertex subset) {
        Value x = single(step, xs);
        String prefix = step.name() + "/";
        onnx.node("Constant", prefix + "starts", List.of(), prefix + "starts", Attribute.int64Tensor("value", subset.getFrom()));
        onnx.node("Constant", prefix + "ends", List.of(), prefix + "ends", Attribute.int64Tensor("value", subset.getTo() + 1L));
        onnx.node("Constant", prefix + "axes", List.of(), prefix + "axes", Attribute.int64Tensor("value", 1));
        String out = prefix + "Slice";
        onnx.node("Slice", out, List.of(x.name(), prefix + "starts", prefix + "ends", prefix + "axes"), out);
        long[] shape = x.shape().clone();
        shape[1] = subset.getTo() - subset.getFrom() + 1L;
        return new Value(out, shape);
    }

    private Value globalPooling(Step step, Value x, GlobalPoolingLayer pool) {
        requireCnn(step, x, CNN2DFormat.NCHW);
        int[] dims = pool.getPoolingDimensions();
        if (dims != null && !(dims.length == 2 && dims[0] == 2 && dims[1] == 3)) {
            throw fail(step, "pooling dimensions " + Arrays.toString(dims) + " are not supported (height and width,"
                    + " [2, 3], are)");
        }
        String op = switch (pool.getPoolingType()) {
            case AVG -> "GlobalAveragePool";
            case MAX -> "GlobalMaxPool";
            case SUM -> "ReduceSum";
            default -> throw fail(step, "pooling type " + pool.getPoolingType() + " is not supported (AVG, MAX and SUM are)");
        };
        String out = step.name() + "/" + op;
        if (op.equals("ReduceSum")) {
            String axes = step.name() + "/axes";
            onnx.node("Constant", axes, List.of(), axes, Attribute.int64Tensor("value", 2, 3));
            onnx.node(op, out, List.of(x.name(), axes), out, Attribute.integer("keepdims", 1));
        } else {
            onnx.node(op, out, List.of(x.name()), out);
        }
        if (!pool.isCollapseDimensions()) {
            return new Value(out, new long[] {UNKNOWN, x.shape()[1], 1, 1});
        }
        String flat = step.name() + "/Flatten";
        onnx.node("Flatten", flat, List.of(out), flat, Attribute.integer("axis", 1));
        return new Value(flat, new long[] {UNKNOWN, x.shape()[1]});
    }

    // DL4J's padding is {top, bottom, left, right}; ONNX's pads are all the starts, then all the ends
    private Value zeroPadding(Step step, Value x, ZeroPaddingLayer pad) {
        requireCnn(step, x, pad.getDataFormat());
        int[] p = pad.getPadding();
        String pads = step.name() + "/pads";
        onnx.node("Constant", pads, List.of(), pads, Attribute.int64Tensor("value", 0, 0, p[0], p[2], 0, 0, p[1], p[3]));
        String out = step.name() + PAD;
        onnx.node("Pad", out, List.of(x.name(), pads), out, Attribute.text("mode", "constant"));
        long h = x.shape()[2];
        long w = x.shape()[3];
        return new Value(out, new long[] {UNKNOWN, x.shape()[1], h == UNKNOWN ? UNKNOWN : h + p[0] + p[1],
                w == UNKNOWN ? UNKNOWN : w + p[2] + p[3]});
    }

    private static Value single(Step step, List<Value> xs) {
        if (xs.size() != 1) {
            throw fail(step, "takes one input, got " + xs.size());
        }
        return xs.get(0);
    }

    private static Translation translation(Step step) {
        Translation t = Translation.of(step.layer());
        if (t == null) {
            throw fail(step, "layer type " + step.layer().getClass().getSimpleName() + " is not supported; supported: "
                    + Translation.list());
        }
        return t;
    }

    private Value dense(Step step, Value x, org.deeplearning4j.nn.conf.layers.FeedForwardLayer layer) {
        if (x.isCnn()) {
            throw fail(step, "a dense layer needs 2-D input but gets " + Arrays.toString(x.shape())
                    + " without a CnnToFeedForwardPreProcessor");
        }
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        // DL4J's W is [nIn, nOut]; ONNX gets W^T as [nOut, nIn] (PyTorch's Linear layout: the reduction
        // dimension contiguous, as N:M sparse kernels want), and Gemm multiplies by its transpose
        ParamInfo p = param(step, "W");
        float[] w = TorchLayout.weightValues(p, view.read(p));
        String weight = step.name() + ".weight";
        onnx.initializer(weight, new long[] {nOut, nIn}, w);
        List<String> inputs = new ArrayList<>(List.of(x.name(), weight));
        if (hasParam(step, "b")) {
            String bias = step.name() + ".bias";
            onnx.initializer(bias, new long[] {nOut}, rowMajor(step, "b"));
            inputs.add(bias);
        }
        String out = step.name() + "/Gemm";
        onnx.node("Gemm", out, inputs, out, Attribute.integer("transB", 1));
        return new Value(out, new long[] {UNKNOWN, nOut});
    }

    private Value convolution(Step step, Value x, ConvolutionLayer conv) {
        requireCnn(step, x, conv.getCnn2dDataFormat());
        int[] k = conv.getKernelSize();
        int[] s = conv.getStride();
        int[] d = conv.getDilation();
        long nIn = conv.getNIn();
        long nOut = conv.getNOut();
        String weight = step.name() + ".weight";
        // DL4J's convolution weights are [nOut, nIn, kH, kW], as in ONNX and PyTorch
        onnx.initializer(weight, new long[] {nOut, nIn, k[0], k[1]}, rowMajor(step, "W"));
        List<String> inputs = new ArrayList<>(List.of(x.name(), weight));
        if (conv.hasBias()) {
            String bias = step.name() + ".bias";
            onnx.initializer(bias, new long[] {nOut}, rowMajor(step, "b"));
            inputs.add(bias);
        }
        List<AttributeProto> attrs = new ArrayList<>(List.of(
                Attribute.ints("kernel_shape", k[0], k[1]),
                Attribute.ints("strides", s[0], s[1]),
                Attribute.ints("dilations", d[0], d[1])));
        long[] spatial = padding(step, x, conv.getConvolutionMode(), k, s, d, conv.getPadding(), attrs);
        String out = step.name() + "/Conv";
        onnx.node("Conv", out, inputs, out, attrs.toArray(AttributeProto[]::new));
        return new Value(out, new long[] {UNKNOWN, nOut, spatial[0], spatial[1]});
    }

    private Value pooling(Step step, Value x, SubsamplingLayer pool) {
        requireCnn(step, x, pool.getCnn2dDataFormat());
        int[] k = pool.getKernelSize();
        int[] s = pool.getStride();
        int[] d = pool.getDilation();
        if (d != null && (d[0] != 1 || d[1] != 1)) {
            throw fail(step, "pooling dilation " + Arrays.toString(d) + " is not supported (only 1)");
        }
        List<AttributeProto> attrs = new ArrayList<>(List.of(
                Attribute.ints("kernel_shape", k[0], k[1]), Attribute.ints("strides", s[0], s[1])));
        long[] spatial = padding(step, x, pool.getConvolutionMode(), k, s, new int[] {1, 1}, pool.getPadding(), attrs);
        String op;
        if (pool.getPoolingType() == PoolingType.MAX) {
            op = "MaxPool";
        } else if (pool.getPoolingType() == PoolingType.AVG) {
            op = "AveragePool";
            attrs.add(Attribute.integer("count_include_pad", pool.isAvgPoolIncludePadInDivisor() ? 1 : 0));
        } else {
            throw fail(step, "pooling type " + pool.getPoolingType() + " is not supported (MAX and AVG are)");
        }
        String out = step.name() + "/" + op;
        if (op.equals("MaxPool") && x.name().endsWith(PAD)) { // fed by a zero padding (dropout hands it through)
            // ONNX Runtime (1.19) fuses a Pad into the MaxPool after it, then refuses fused pads as large as the
            // kernel (and pads MaxPool with -inf, not zeros); it leaves a MaxPool that also outputs its Indices alone
            onnx.nodeWithExtraOutput(op, out, List.of(x.name()), out, out + "_indices", attrs.toArray(AttributeProto[]::new));
        } else {
            onnx.node(op, out, List.of(x.name()), out, attrs.toArray(AttributeProto[]::new));
        }
        return new Value(out, new long[] {UNKNOWN, x.shape()[1], spatial[0], spatial[1]});
    }

    /**
     * Adds the padding attributes for a convolution or pooling and returns the output's height and
     * width (-1 where unknown). Truncate and Strict use the layer's symmetric padding; Same pads so
     * that the output is ceil(input / stride), with the odd pixel at the bottom and right as DL4J
     * does: explicit pads when the input size is known, auto_pad SAME_UPPER otherwise.
     */
    private long[] padding(Step step, Value x, ConvolutionMode mode, int[] k, int[] s, int[] d, int[] p,
            List<AttributeProto> attrs) {
        long h = x.shape()[2];
        long w = x.shape()[3];
        long ekH = (long) (k[0] - 1) * d[0] + 1;
        long ekW = (long) (k[1] - 1) * d[1] + 1;
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            attrs.add(Attribute.ints("pads", p[0], p[1], p[0], p[1]));
            return new long[] {
                h == UNKNOWN ? UNKNOWN : (h + 2L * p[0] - ekH) / s[0] + 1,
                w == UNKNOWN ? UNKNOWN : (w + 2L * p[1] - ekW) / s[1] + 1};
        }
        if (mode == ConvolutionMode.Same) {
            if (h == UNKNOWN || w == UNKNOWN) {
                attrs.add(Attribute.text("auto_pad", "SAME_UPPER"));
                return new long[] {h == UNKNOWN ? UNKNOWN : ceilDiv(h, s[0]), w == UNKNOWN ? UNKNOWN : ceilDiv(w, s[1])};
            }
            long outH = ceilDiv(h, s[0]);
            long outW = ceilDiv(w, s[1]);
            long padH = Math.max(0, (outH - 1) * s[0] + ekH - h);
            long padW = Math.max(0, (outW - 1) * s[1] + ekW - w);
            attrs.add(Attribute.ints("pads", padH / 2, padW / 2, padH - padH / 2, padW - padW / 2));
            return new long[] {outH, outW};
        }
        throw fail(step, "convolution mode " + mode + " is not supported (Truncate, Strict and Same are)");
    }

    private Value batchNorm(Step step, Value x, BatchNormalization bn) {
        if (x.isCnn() && bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
            throw fail(step, "data format " + bn.getCnn2DFormat() + " is not supported (NCHW only)");
        }
        int n = (int) x.shape()[1];
        float[] gamma;
        float[] beta;
        if (bn.isLockGammaBeta()) {
            gamma = filled(n, (float) bn.getGamma());
            beta = filled(n, (float) bn.getBeta());
        } else {
            gamma = rowMajor(step, BatchNormalizationParamInitializer.GAMMA);
            beta = rowMajor(step, BatchNormalizationParamInitializer.BETA);
        }
        float[] mean = rowMajor(step, BatchNormalizationParamInitializer.GLOBAL_MEAN);
        float[] var;
        if (bn.isUseLogStd()) {
            var = varianceOfLog10Std(rowMajor(step, BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
        } else {
            var = rowMajor(step, BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        if (gamma.length != n || mean.length != n) {
            throw fail(step, "has " + mean.length + " channels but its input has " + n);
        }
        String prefix = step.name();
        long[] dims = {n};
        onnx.initializer(prefix + ".weight", dims, gamma);
        onnx.initializer(prefix + ".bias", dims, beta);
        onnx.initializer(prefix + ".running_mean", dims, mean);
        onnx.initializer(prefix + ".running_var", dims, var);
        String out = prefix + "/BatchNormalization";
        onnx.node("BatchNormalization", out,
                List.of(x.name(), prefix + ".weight", prefix + ".bias", prefix + ".running_mean", prefix + ".running_var"),
                out, Attribute.real("epsilon", (float) bn.getEps()));
        return new Value(out, x.shape());
    }

    /** DL4J keeps log10 of batch norm's standard deviation (its default) and uses var = (10^log10std)^2 at inference. */
    static float[] varianceOfLog10Std(float[] log10std) {
        float[] var = new float[log10std.length];
        for (int i = 0; i < var.length; i++) {
            double std = Math.pow(10, log10std[i]);
            var[i] = (float) (std * std);
        }
        return var;
    }

    private Value activation(Step step, Value x) {
        IActivation fn = step.layer() instanceof BaseLayer base ? base.getActivationFn()
                : step.layer() instanceof ActivationLayer a ? a.getActivationFn()
                : null;
        if (fn == null || fn instanceof ActivationIdentity) {
            return x;
        }
        String op;
        List<AttributeProto> attrs = new ArrayList<>();
        if (fn instanceof ActivationReLU relu) {
            if (!isZeroOrNull(relu.getThreshold()) || !isZeroOrNull(relu.getNegativeSlope()) || relu.getMax() != null) {
                throw fail(step, "activation " + fn + " with a max, threshold or negative slope is not supported");
            }
            op = "Relu";
        } else if (fn instanceof ActivationLReLU leaky) {
            op = "LeakyRelu";
            attrs.add(Attribute.real("alpha", (float) leaky.getAlpha()));
        } else if (fn instanceof ActivationSigmoid) {
            op = "Sigmoid";
        } else if (fn instanceof ActivationTanH) {
            op = "Tanh";
        } else if (fn instanceof ActivationSoftmax) {
            if (x.isCnn()) {
                throw fail(step, "softmax on 4-D activations is not supported (2-D only)");
            }
            op = "Softmax";
            attrs.add(Attribute.integer("axis", 1));
        } else {
            throw fail(step, "activation " + fn + " is not supported (identity, relu, leakyrelu, sigmoid, tanh,"
                    + " softmax are)");
        }
        String out = step.name() + "/" + op;
        onnx.node(op, out, List.of(x.name()), out, attrs.toArray(AttributeProto[]::new));
        return new Value(out, x.shape());
    }

    private static void requireCnn(Step step, Value x, CNN2DFormat format) {
        if (format != CNN2DFormat.NCHW) {
            throw fail(step, "data format " + format + " is not supported (NCHW only)");
        }
        if (!x.isCnn()) {
            throw fail(step, "needs 4-D [batch, channels, height, width] input but gets " + Arrays.toString(x.shape()));
        }
    }

    private boolean hasParam(Step step, String param) {
        return view.param(ParamKey.of(step.name(), param)).isPresent();
    }

    private ParamInfo param(Step step, String param) {
        return view.param(ParamKey.of(step.name(), param)).orElseThrow(() -> fail(step,
                "has no parameter '" + param + "'"));
    }

    // A parameter's values in row-major ('c') order of its shape, whatever order the flat vector keeps it in.
    private float[] rowMajor(Step step, String param) {
        ParamInfo p = param(step, param);
        float[] values = view.read(p);
        long[] shape = p.shape();
        if (p.order() == 'c' || shape.length < 2) {
            return values;
        }
        float[] out = new float[values.length];
        int[] index = new int[shape.length];
        for (int c = 0; c < values.length; c++) {
            int f = 0;
            int stride = 1;
            for (int dim = 0; dim < shape.length; dim++) {
                f += index[dim] * stride;
                stride *= (int) shape[dim];
            }
            out[c] = values[f];
            for (int dim = shape.length - 1; dim >= 0 && ++index[dim] == shape[dim]; dim--) {
                index[dim] = 0;
            }
        }
        return out;
    }

    private static Object[] dims(long[] shape, boolean isInput) {
        Object[] dims = new Object[shape.length];
        String[] names = shape.length == 4 ? new String[] {"batch", "channels", "height", "width"}
                : new String[] {"batch", "features"};
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i] == UNKNOWN ? (i == 0 || isInput ? names[i] : names[i] + "_out") : (Object) shape[i];
        }
        return dims;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static float[] filled(int n, float value) {
        float[] out = new float[n];
        Arrays.fill(out, value);
        return out;
    }

    private static boolean isZeroOrNull(Double d) {
        return d == null || d == 0.0;
    }

    private static IllegalArgumentException fail(Step step, String problem) {
        return new IllegalArgumentException("cannot export " + (step.layer() != null ? "layer" : "vertex") + " '"
                + step.name() + "' (index " + step.index() + ", " + step.type() + ") to ONNX: " + problem);
    }
}

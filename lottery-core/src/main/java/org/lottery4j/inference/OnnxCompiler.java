package org.lottery4j.inference;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import org.lottery4j.internal.OnnxInitializers;

/**
 * Turns the ONNX graph that {@code OnnxExporter} makes of a network into the steps of a
 * {@link SparseModel}. Reading the exporter's graph, rather than DL4J's configurations a second
 * time, keeps one place that knows how each DL4J layer, preprocessor and activation computes.
 */
final class OnnxCompiler {

    record Compiled(int[] inputDims, List<Op> ops, List<int[]> reads) {}

    private final Map<String, OnnxInitializers.Tensor> weights;
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, List<NodeProto>> readers = new HashMap<>(); // the nodes that read a value
    private final Map<String, Integer> steps = new HashMap<>(); // the step whose values a value name holds
    private final Map<String, Integer> folded = new HashMap<>(); // batch norms folded into a convolution: its step
    private final List<Op> ops = new ArrayList<>();
    private final List<int[]> reads = new ArrayList<>();

    private OnnxCompiler(ModelProto model) {
        this.weights = OnnxInitializers.of(model);
    }

    /**
     * The steps of {@code model} and what each reads; {@code inputShape} fills the input's unknown
     * dimensions (or is empty). A batch normalization right after a convolution that nothing else
     * reads is folded into the convolution's weights and bias (zeros stay zeros).
     */
    static Compiled compile(ModelProto model, int[] inputShape) {
        OnnxCompiler c = new OnnxCompiler(model);
        int[] input = inputDims(model, inputShape);
        c.steps.put(model.getGraph().getInput(0).getName(), SparseModel.INPUT);
        for (NodeProto node : model.getGraph().getNodeList()) {
            node.getInputList().forEach(in -> c.readers.computeIfAbsent(in, k -> new ArrayList<>()).add(node));
        }
        String output = model.getGraph().getOutput(0).getName();
        c.readers.computeIfAbsent(output, k -> new ArrayList<>()).add(null); // the caller reads it too
        for (NodeProto node : model.getGraph().getNodeList()) {
            c.node(node);
        }
        Integer last = c.steps.get(output);
        if (last == null || last != c.ops.size() - 1) {
            throw new IllegalArgumentException("the graph's output " + output + " is not the value of its last step");
        }
        return new Compiled(input, List.copyOf(c.ops), List.copyOf(c.reads));
    }

    private void node(NodeProto node) {
        String type = node.getOpType();
        if (type.equals("Constant")) {
            constants.put(node.getOutput(0), attr(node, "value").getT());
            return;
        }
        if (folded.containsKey(node.getName())) {
            steps.put(node.getOutput(0), folded.get(node.getName()));
            return;
        }
        if (type.equals("Identity")) {
            steps.put(node.getOutput(0), step(node, node.getInput(0)));
            return;
        }
        List<String> data = new ArrayList<>(); // the values the node reads that earlier steps computed
        for (String in : node.getInputList()) {
            if (!weights.containsKey(in) && !constants.containsKey(in) && !in.isEmpty()) {
                data.add(in);
            }
        }
        Op op = op(node, data);
        int[] r = new int[data.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = step(node, data.get(i));
        }
        ops.add(op);
        reads.add(r);
        steps.put(node.getOutput(0), ops.size() - 1);
    }

    private int step(NodeProto node, String value) {
        Integer s = steps.get(value);
        if (s == null) {
            throw new IllegalArgumentException("node " + node.getName() + " reads " + value
                    + ", which no earlier node computes");
        }
        return s;
    }

    private static int[] inputDims(ModelProto model, int[] given) {
        List<TensorShapeProto.Dimension> dims = model.getGraph().getInput(0).getType().getTensorType().getShape()
                .getDimList();
        int[] out = new int[dims.size() - 1]; // without the batch
        boolean unknown = false;
        for (int i = 0; i < out.length; i++) {
            TensorShapeProto.Dimension d = dims.get(i + 1);
            out[i] = d.hasDimValue() ? (int) d.getDimValue() : -1;
            unknown |= out[i] < 0;
        }
        if (given.length == 0) {
            if (unknown) {
                throw new IllegalArgumentException("the network's input shape " + java.util.Arrays.toString(out)
                        + " (-1: unknown) cannot be read from its configuration; give it, e.g."
                        + " SparseModel.of(network, channels, height, width), or build the configuration with"
                        + " setInputType(InputType.convolutionalFlat(height, width, channels))");
            }
            return out;
        }
        if (given.length != out.length) {
            throw new IllegalArgumentException("input shape " + java.util.Arrays.toString(given) + " has "
                    + given.length + " dimensions; the network takes " + out.length + " "
                    + java.util.Arrays.toString(out) + " (-1: any size)");
        }
        for (int i = 0; i < out.length; i++) {
            if (given[i] < 1 || (out[i] >= 0 && out[i] != given[i])) {
                throw new IllegalArgumentException("input shape " + java.util.Arrays.toString(given)
                        + " does not fit the network's " + java.util.Arrays.toString(out) + " (-1: any size)");
            }
        }
        return given.clone();
    }

    private Op op(NodeProto node, List<String> data) {
        String layer = node.getName().contains("/") ? node.getName().substring(0, node.getName().lastIndexOf('/'))
                : node.getName();
        switch (node.getOpType()) {
            case "Gemm":
                return gemm(layer, node);
            case "Conv":
                return conv(layer, node);
            case "MaxPool":
                return new PoolOp(layer, true, window(node), false);
            case "AveragePool": {
                AttributeProto countPad = attr(node, "count_include_pad");
                return new PoolOp(layer, false, window(node), countPad != null && countPad.getI() == 1);
            }
            case "BatchNormalization":
                return ChannelAffine.batchNorm(layer, weight(node, 1).data(), weight(node, 2).data(),
                        weight(node, 3).data(), weight(node, 4).data(), attr(node, "epsilon").getF());
            case "Relu":
                return new Pointwise(layer, Pointwise.Function.RELU, 0f);
            case "LeakyRelu":
                return new Pointwise(layer, Pointwise.Function.LEAKYRELU, attr(node, "alpha").getF());
            case "Sigmoid":
                return new Pointwise(layer, Pointwise.Function.SIGMOID, 0f);
            case "Tanh":
                return new Pointwise(layer, Pointwise.Function.TANH, 0f);
            case "Softmax":
                return new Softmax(layer);
            case "Flatten":
                return Reshape.flatten(layer);
            case "Reshape": {
                long[] shape = int64s(node.getInput(1));
                int[] dims = new int[shape.length - 1];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = (int) shape[i + 1];
                }
                return new Reshape(layer, dims);
            }
            case "Sum":
                return new Merge(layer, Merge.Kind.ADD);
            case "Sub":
                return new Merge(layer, Merge.Kind.SUB);
            case "Mean":
                return new Merge(layer, Merge.Kind.AVERAGE);
            case "Max":
                return new Merge(layer, Merge.Kind.MAX);
            case "Concat":
                return new Merge(layer, Merge.Kind.CONCAT);
            case "Mul":
            case "Add": {
                boolean mul = node.getOpType().equals("Mul");
                if (data.size() == 1) { // ScaleVertex, ShiftVertex: times or plus a constant
                    String constant = node.getInput(0).equals(data.get(0)) ? node.getInput(1) : node.getInput(0);
                    return new Pointwise(layer, mul ? Pointwise.Function.SCALE : Pointwise.Function.SHIFT,
                            scalar(node, constant));
                }
                return new Merge(layer, mul ? Merge.Kind.MUL : Merge.Kind.ADD);
            }
            case "GlobalAveragePool":
                return new GlobalPool(layer, GlobalPool.Type.AVG);
            case "GlobalMaxPool":
                return new GlobalPool(layer, GlobalPool.Type.MAX);
            case "ReduceSum": {
                long[] axes = int64s(node.getInput(1));
                AttributeProto keep = attr(node, "keepdims");
                if (!java.util.Arrays.equals(axes, new long[] {2, 3}) || keep == null || keep.getI() != 1) {
                    throw new IllegalArgumentException("layer '" + layer + "': ReduceSum over axes "
                            + java.util.Arrays.toString(axes) + " has no sparse implementation (over [2, 3] has)");
                }
                return new GlobalPool(layer, GlobalPool.Type.SUM);
            }
            case "Pad": {
                long[] p = int64s(node.getInput(1)); // [0, 0, top, left, 0, 0, bottom, right]
                if (p.length != 8 || p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0) {
                    throw new IllegalArgumentException("layer '" + layer + "': padding " + java.util.Arrays.toString(p)
                            + " pads more than height and width");
                }
                return new Pad(layer, new int[] {Math.toIntExact(p[2]), Math.toIntExact(p[3]), Math.toIntExact(p[6]),
                        Math.toIntExact(p[7])});
            }
            case "Slice": {
                long[] starts = int64s(node.getInput(1));
                long[] ends = int64s(node.getInput(2));
                long[] axes = int64s(node.getInput(3));
                if (starts.length != 1 || ends.length != 1 || !java.util.Arrays.equals(axes, new long[] {1})) {
                    throw new IllegalArgumentException("layer '" + layer + "': a slice other than of axis 1 has no"
                            + " sparse implementation");
                }
                return new Slice(layer, Math.toIntExact(starts[0]), Math.toIntExact(ends[0]));
            }
            default:
                throw new IllegalArgumentException("layer '" + layer + "': ONNX operator " + node.getOpType()
                        + " has no sparse implementation");
        }
    }

    private Op gemm(String layer, NodeProto node) {
        AttributeProto transB = attr(node, "transB");
        if (transB == null || transB.getI() != 1) {
            throw new IllegalArgumentException("layer '" + layer + "': Gemm without transB=1");
        }
        OnnxInitializers.Tensor w = weight(node, 1);
        int nOut = (int) w.dims()[0];
        int nIn = (int) w.dims()[1];
        if (nIn > SparseLinear.MAX_INPUTS) {
            throw new IllegalArgumentException("layer '" + layer + "' has " + nIn + " inputs; sparse layers take at most "
                    + SparseLinear.MAX_INPUTS + " (16-bit indices)");
        }
        float[] bias = node.getInputCount() > 2 ? weight(node, 2).data() : new float[nOut];
        return new LinearOp(layer, SparseLinear.ofTransposed(w.data(), nIn, nOut, bias));
    }

    // A batch normalization that alone reads the convolution's values folds into it: each filter's
    // weights and bias times the channel's scale, plus its shift (ChannelAffine's): one pass less
    // over the activations, and a zero weight stays zero.
    private Op conv(String layer, NodeProto node) {
        OnnxInitializers.Tensor w = weight(node, 1);
        int out = (int) w.dims()[0];
        float[] bias = node.getInputCount() > 2 ? weight(node, 2).data().clone() : new float[out];
        float[] values = w.data();
        List<NodeProto> read = readers.getOrDefault(node.getOutput(0), List.of());
        NodeProto next = read.size() == 1 ? read.get(0) : null;
        if (next != null && next.getOpType().equals("BatchNormalization") && next.getInput(0).equals(node.getOutput(0))) {
            ChannelAffine bn = (ChannelAffine) op(next, List.of(node.getOutput(0)));
            float[] scale = bn.scale();
            float[] shift = bn.shift();
            if (scale.length == out) {
                values = values.clone();
                int perFilter = values.length / out;
                for (int o = 0; o < out; o++) {
                    for (int i = o * perFilter; i < (o + 1) * perFilter; i++) {
                        values[i] *= scale[o];
                    }
                    bias[o] = bias[o] * scale[o] + shift[o];
                }
                folded.put(next.getName(), ops.size()); // the step this convolution becomes
            }
        }
        return ConvOp.of(layer, values, (int) w.dims()[1], out, window(node), bias);
    }

    private static Window window(NodeProto node) {
        int[] kernel = ints(node, "kernel_shape", null);
        int[] stride = ints(node, "strides", new int[] {1, 1});
        int[] dilation = ints(node, "dilations", new int[] {1, 1});
        AttributeProto autoPad = attr(node, "auto_pad");
        boolean same = autoPad != null && autoPad.getS().toStringUtf8().equals("SAME_UPPER");
        return new Window(kernel, stride, dilation, same ? new int[0] : ints(node, "pads", new int[4]), same);
    }

    private static int[] ints(NodeProto node, String name, int[] otherwise) {
        AttributeProto a = attr(node, name);
        if (a == null) {
            if (otherwise == null) {
                throw new IllegalArgumentException("node " + node.getName() + " has no " + name);
            }
            return otherwise;
        }
        return a.getIntsList().stream().mapToInt(Long::intValue).toArray();
    }

    private static AttributeProto attr(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
    }

    private OnnxInitializers.Tensor weight(NodeProto node, int input) {
        OnnxInitializers.Tensor t = weights.get(node.getInput(input));
        if (t == null) {
            throw new IllegalArgumentException("node " + node.getName() + " reads " + node.getInput(input)
                    + ", which is not a weight");
        }
        return t;
    }

    private long[] int64s(String constant) {
        TensorProto t = constants.get(constant);
        if (t == null || t.getDataType() != TensorProto.DataType.INT64.getNumber()) {
            throw new IllegalArgumentException(constant + " is not a constant of 64-bit integers");
        }
        var raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        long[] out = new long[raw.remaining()];
        raw.get(out);
        return out;
    }

    private float scalar(NodeProto node, String constant) {
        TensorProto t = constants.get(constant);
        if (t == null || t.getDataType() != TensorProto.DataType.FLOAT.getNumber() || t.getRawData().size() != 4) {
            throw new IllegalArgumentException("node " + node.getName() + ": " + constant + " is not a float constant");
        }
        return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }
}

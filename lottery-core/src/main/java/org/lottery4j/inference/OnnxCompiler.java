package org.lottery4j.inference;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorShapeProto;
import org.lottery4j.internal.OnnxInitializers;

/**
 * Turns the ONNX graph that {@code OnnxExporter} makes of a network into the steps of a
 * {@link SparseModel}. Reading the exporter's graph, rather than DL4J's configurations a second
 * time, keeps one place that knows how each DL4J layer, preprocessor and activation computes.
 */
final class OnnxCompiler {

    record Compiled(int[] inputDims, List<Op> ops) {}

    private final Map<String, OnnxInitializers.Tensor> weights;
    private final Map<String, long[]> constants = new HashMap<>();
    private final List<Op> ops = new ArrayList<>();

    private OnnxCompiler(ModelProto model) {
        this.weights = OnnxInitializers.of(model);
    }

    /** The steps of {@code model}; {@code inputShape} fills the input's unknown dimensions (or is empty). */
    static Compiled compile(ModelProto model, int[] inputShape) {
        OnnxCompiler c = new OnnxCompiler(model);
        int[] input = inputDims(model, inputShape);
        String current = model.getGraph().getInput(0).getName();
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (node.getOpType().equals("Constant")) {
                c.constants.put(node.getOutput(0), c.int64s(node));
                continue;
            }
            if (!node.getInput(0).equals(current)) {
                throw new IllegalArgumentException("node " + node.getName() + " does not follow " + current
                        + ": only a chain of layers can run as a sparse model");
            }
            Op op = c.op(node);
            if (op != null) {
                c.ops.add(op);
            }
            current = node.getOutput(0);
        }
        return new Compiled(input, List.copyOf(c.ops));
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

    private Op op(NodeProto node) {
        String layer = node.getName().contains("/") ? node.getName().substring(0, node.getName().lastIndexOf('/'))
                : node.getName();
        switch (node.getOpType()) {
            case "Identity":
                return null;
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
                long[] shape = constants.get(node.getInput(1));
                int[] dims = new int[shape.length - 1];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = (int) shape[i + 1];
                }
                return new Reshape(layer, dims);
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

    private Op conv(String layer, NodeProto node) {
        OnnxInitializers.Tensor w = weight(node, 1);
        int out = (int) w.dims()[0];
        float[] bias = node.getInputCount() > 2 ? weight(node, 2).data() : new float[out];
        return ConvOp.of(layer, w.data(), (int) w.dims()[1], out, window(node), bias);
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

    private long[] int64s(NodeProto node) {
        var t = attr(node, "value").getT();
        var raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        long[] out = new long[raw.remaining()];
        raw.get(out);
        return out;
    }
}

package org.lottery4j.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.UnsafeByteOperations;

/**
 * An ONNX graph under construction, built into a {@code ModelProto} with the message classes
 * generated from onnx.proto that ship in nd4j-api ({@code onnx.Onnx}). Only what the exporter
 * needs: float initializers, nodes with one output, one input and one output. Tensor values go
 * into {@code raw_data} as little-endian bytes, as ONNX specifies.
 */
final class OnnxModel {

    static final int IR_VERSION = 8;
    static final int OPSET = 13;

    // a protobuf message, and so an ONNX file without external data, cannot exceed 2 GiB
    private static final long MAX_BYTES = Integer.MAX_VALUE - (1L << 20);

    /** A float initializer: its shape and values in row-major order. */
    record Initializer(long[] dims, float[] values) {}

    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Initializer> initializers = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private long bytes;
    private ValueInfoProto input;
    private ValueInfoProto output;

    /** Attributes of a node. */
    static final class Attribute {

        private Attribute() {}

        static AttributeProto ints(String name, long... values) {
            AttributeProto.Builder a = attribute(name, AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            return a.build();
        }

        static AttributeProto integer(String name, long value) {
            return attribute(name, AttributeProto.AttributeType.INT).setI(value).build();
        }

        static AttributeProto real(String name, float value) {
            return attribute(name, AttributeProto.AttributeType.FLOAT).setF(value).build();
        }

        static AttributeProto text(String name, String value) {
            return attribute(name, AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build();
        }

        /** A float scalar tensor (rank 0), which broadcasts against any shape. */
        static AttributeProto floatTensor(String name, float value) {
            byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
            TensorProto t = tensor(name, new long[0], TensorProto.DataType.FLOAT, raw);
            return attribute(name, AttributeProto.AttributeType.TENSOR).setT(t).build();
        }

        static AttributeProto int64Tensor(String name, long... values) {
            ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                raw.putLong(v);
            }
            TensorProto t = tensor(name, new long[] {values.length}, TensorProto.DataType.INT64, raw.array());
            return attribute(name, AttributeProto.AttributeType.TENSOR).setT(t).build();
        }

        private static AttributeProto.Builder attribute(String name, AttributeProto.AttributeType type) {
            return AttributeProto.newBuilder().setName(name).setType(type);
        }
    }

    /** A node; {@code extraOutput} is an optional second output nothing reads, or {@code null}. */
    private record Node(String opType, String name, List<String> inputs, String output, String extraOutput,
            List<AttributeProto> attributes) {

        Node renamed(String from, String to) {
            List<String> in = inputs.stream().map(i -> i.equals(from) ? to : i).toList();
            return new Node(opType, name, in, output.equals(from) ? to : output, extraOutput, attributes);
        }

        NodeProto build() {
            NodeProto.Builder n = NodeProto.newBuilder().addAllInput(inputs).addOutput(output);
            if (extraOutput != null) {
                n.addOutput(extraOutput);
            }
            return n.setName(name).setOpType(opType).addAllAttribute(attributes).build();
        }
    }

    /** Adds a float initializer; {@code data} is in row-major order of {@code dims}. */
    void initializer(String name, long[] dims, float[] data) {
        claim(name);
        bytes += 4L * data.length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("the network's weights exceed 2 GiB, the size limit of an ONNX file"
                    + " without external data (not supported); stopped at " + name);
        }
        initializers.put(name, new Initializer(dims.clone(), data));
    }

    /** The float initializers added so far, by name, in order. */
    Map<String, Initializer> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** Adds a node with one output, named {@code output}. */
    void node(String opType, String name, List<String> inputs, String output, AttributeProto... attributes) {
        claim(output);
        nodes.add(new Node(opType, name, List.copyOf(inputs), output, null, List.of(attributes)));
    }

    /** Adds a node with a second output that nothing reads, such as MaxPool's optional {@code Indices}. */
    void nodeWithExtraOutput(String opType, String name, List<String> inputs, String output, String extraOutput,
            AttributeProto... attributes) {
        claim(output);
        claim(extraOutput);
        nodes.add(new Node(opType, name, List.copyOf(inputs), output, extraOutput, List.of(attributes)));
    }

    /** Renames a node's output value, and its uses. */
    void rename(String from, String to) {
        claim(to);
        nodes.replaceAll(n -> n.renamed(from, to));
    }

    /** The graph's input: a float tensor; a dimension is a number, or a name (dim_param) if it is a String. */
    void input(String name, Object... dims) {
        claim(name);
        input = valueInfo(name, dims);
    }

    /** The graph's output: a float tensor produced by a node. */
    void output(String name, Object... dims) {
        output = valueInfo(name, dims);
    }

    /** The model: this graph, produced by lottery4j {@code producerVersion}, with {@code metadata} as its metadata_props. */
    ModelProto build(String graphName, String producerVersion, Map<String, String> metadata) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(graphName);
        nodes.forEach(n -> graph.addNode(n.build()));
        initializers.forEach((name, t) -> {
            ByteBuffer raw = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(t.values());
            graph.addInitializer(tensor(name, t.dims(), TensorProto.DataType.FLOAT, raw.array()));
        });
        graph.addInput(input).addOutput(output);
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("lottery4j")
                .setProducerVersion(producerVersion)
                .setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    // ONNX requires every value name in a graph to be unique (SSA form)
    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("duplicate ONNX value name " + name);
        }
    }

    // raw is not copied: it was made for this tensor and nothing writes it afterwards
    private static TensorProto tensor(String name, long[] dims, TensorProto.DataType type, byte[] raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t.setRawData(UnsafeByteOperations.unsafeWrap(raw)).build();
    }

    private static ValueInfoProto valueInfo(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String param
                    ? TensorShapeProto.Dimension.newBuilder().setDimParam(param)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }
}

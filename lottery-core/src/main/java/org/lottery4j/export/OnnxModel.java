package org.lottery4j.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX graph under construction and its encoding as a {@code ModelProto}. Only what the
 * exporter needs: float initializers, nodes with int, ints, float, string and tensor attributes,
 * one input and one output.
 *
 * <p>Field numbers, from onnx.proto (ONNX 1.x, unchanged since IR version 3):
 * <pre>
 * ModelProto          ir_version=1 (int64), producer_name=2, producer_version=3, graph=7, opset_import=8
 * OperatorSetIdProto  domain=1, version=2
 * GraphProto          node=1, name=2, initializer=5, input=11, output=12
 * NodeProto           input=1, output=2, name=3, op_type=4, attribute=5
 * AttributeProto      name=1, f=2, i=3, s=4, t=5, ints=8, type=20
 *                     (type: FLOAT=1, INT=2, STRING=3, TENSOR=4, INTS=7)
 * TensorProto         dims=1, data_type=2 (FLOAT=1, INT64=7), float_data=4, int64_data=7, name=8,
 *                     raw_data=9, data_location=14
 * ValueInfoProto      name=1, type=2
 * TypeProto           tensor_type=1;  TypeProto.Tensor elem_type=1, shape=2
 * TensorShapeProto    dim=1;  Dimension dim_value=1, dim_param=2
 * </pre>
 * Tensor values go into {@code raw_data} as little-endian bytes, as ONNX specifies.
 */
final class OnnxModel {

    static final int IR_VERSION = 8;
    static final int OPSET = 13;
    static final int FLOAT = 1;
    static final int INT64 = 7;

    // a protobuf message, and so an ONNX file without external data, cannot exceed 2 GiB
    private static final long MAX_BYTES = Integer.MAX_VALUE - (1L << 20);

    private final List<Node> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long bytes;
    private ProtoWriter input;
    private ProtoWriter output;

    /** An attribute of a node. */
    record Attribute(String name, ProtoWriter encoded) {

        static Attribute ints(String name, long... values) {
            return new Attribute(name, new ProtoWriter().string(1, name).packedInt64(8, values).int64(20, 7));
        }

        static Attribute integer(String name, long value) {
            return new Attribute(name, new ProtoWriter().string(1, name).int64(3, value).int64(20, 2));
        }

        static Attribute real(String name, float value) {
            return new Attribute(name, new ProtoWriter().string(1, name).float32(2, value).int64(20, 1));
        }

        static Attribute text(String name, String value) {
            return new Attribute(name, new ProtoWriter().string(1, name).string(4, value).int64(20, 3));
        }

        static Attribute int64Tensor(String name, long... values) {
            ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                raw.putLong(v);
            }
            ProtoWriter tensor = tensor(name, new long[] {values.length}, INT64, raw.array());
            return new Attribute(name, new ProtoWriter().string(1, name).message(5, tensor).int64(20, 4));
        }
    }

    /** Adds a float initializer; {@code data} is in row-major order of {@code dims}. */
    void initializer(String name, long[] dims, float[] data) {
        claim(name);
        ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        bytes += raw.capacity();
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("the network's weights exceed 2 GiB, the size limit of an ONNX file"
                    + " without external data (not supported); stopped at " + name);
        }
        initializers.add(tensor(name, dims, FLOAT, raw.array()));
    }

    private record Node(String opType, String name, List<String> inputs, String output, Attribute[] attributes) {

        Node renamed(String from, String to) {
            List<String> in = inputs.stream().map(i -> i.equals(from) ? to : i).toList();
            return new Node(opType, name, in, output.equals(from) ? to : output, attributes);
        }

        ProtoWriter encode() {
            ProtoWriter node = new ProtoWriter();
            for (String in : inputs) {
                node.string(1, in);
            }
            node.string(2, output).string(3, name).string(4, opType);
            for (Attribute a : attributes) {
                node.message(5, a.encoded());
            }
            return node;
        }
    }

    /** Adds a node with one output, named {@code output}. */
    void node(String opType, String name, List<String> inputs, String output, Attribute... attributes) {
        claim(output);
        nodes.add(new Node(opType, name, List.copyOf(inputs), output, attributes.clone()));
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

    /** Encodes the model as the bytes of a {@code .onnx} file. */
    byte[] encode(String graphName, String producerVersion) {
        ProtoWriter graph = new ProtoWriter();
        for (Node n : nodes) {
            graph.message(1, n.encode());
        }
        graph.string(2, graphName);
        for (ProtoWriter t : initializers) {
            graph.message(5, t);
        }
        graph.message(11, input).message(12, output);
        return new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, "lottery4j")
                .string(3, producerVersion)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").int64(2, OPSET))
                .toByteArray();
    }

    // ONNX requires every value name in a graph to be unique (SSA form)
    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("duplicate ONNX value name " + name);
        }
    }

    private static ProtoWriter tensor(String name, long[] dims, int dataType, byte[] raw) {
        ProtoWriter t = new ProtoWriter().packedInt64(1, dims).int64(2, dataType).string(8, name);
        return t.bytes(9, raw);
    }

    private static ProtoWriter valueInfo(String name, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = d instanceof String param
                    ? new ProtoWriter().string(2, param)
                    : new ProtoWriter().int64(1, ((Number) d).longValue());
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}

package org.lottery4j.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the float weights (graph initializers) of an ONNX file, to check what an export holds, for
 * example that pruned weights are exact zeros or that they follow an N:M pattern. Values are read
 * bit for bit from {@code raw_data} (little-endian) or {@code float_data}; initializers of other
 * data types (int64 shapes...) are left out; external data is an error.
 *
 * <pre>{@code
 * Map<String, OnnxInitializers.Tensor> weights = OnnxInitializers.read(Path.of("lenet.onnx"));
 * OnnxInitializers.Tensor w = weights.get("fc1.weight");   // dims [300, 784]: [nOut, nIn]
 * float first = w.data()[0];                               // row-major: w[0][0]
 * }</pre>
 */
public final class OnnxInitializers {

    private static final int FLOAT = 1;
    private static final int EXTERNAL = 1;

    /**
     * One float initializer.
     *
     * @param dims its shape
     * @param data its values in row-major order; the array belongs to this record
     */
    public record Tensor(long[] dims, float[] data) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && Arrays.equals(dims, t.dims) && Arrays.equals(data, t.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(dims) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Tensor" + Arrays.toString(dims);
        }
    }

    private OnnxInitializers() {}

    /**
     * The float initializers of an ONNX model file, by name, in file order.
     *
     * @throws OnnxFormatException if the file is not an ONNX model, is truncated, or keeps weights
     *     in external files
     * @throws IOException if it cannot be read
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parseModel(file, new ProtoReader(bytes));
        } catch (IllegalStateException e) {
            throw new OnnxFormatException(file, "not an ONNX model: " + e.getMessage(), e);
        }
    }

    // ModelProto: ir_version=1, graph=7; GraphProto: initializer=5 (field numbers as in OnnxModel)
    private static Map<String, Tensor> parseModel(Path file, ProtoReader model) throws OnnxFormatException {
        boolean hasVersion = false;
        Map<String, Tensor> out = null;
        while (model.next()) {
            if (model.field() == 1) {
                hasVersion = model.int64() > 0;
            } else if (model.field() == 7) {
                out = parseGraph(file, model.message());
            } else {
                model.skip();
            }
        }
        if (!hasVersion || out == null) {
            throw new OnnxFormatException(file, "not an ONNX model: " + (hasVersion ? "no graph" : "no IR version"));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Tensor> parseGraph(Path file, ProtoReader graph) throws OnnxFormatException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        while (graph.next()) {
            if (graph.field() != 5) {
                graph.skip();
                continue;
            }
            TensorProto t = parseTensor(graph.message());
            if (t.external) {
                throw new OnnxFormatException(file, "initializer " + t.name + " keeps its data in an external file,"
                        + " which is not supported");
            }
            if (t.dataType != FLOAT) {
                continue;
            }
            long n = 1;
            for (long d : t.dims) {
                if (d < 0) {
                    throw new OnnxFormatException(file, "initializer " + t.name + " has shape " + Arrays.toString(t.dims));
                }
                n *= d;
            }
            float[] data = t.raw != null ? littleEndianFloats(t.raw) : t.floats;
            if (data.length != n) {
                throw new OnnxFormatException(file, "initializer " + t.name + " of shape " + Arrays.toString(t.dims)
                        + " has " + data.length + " values");
            }
            if (out.put(t.name, new Tensor(t.dims, data)) != null) {
                throw new OnnxFormatException(file, "two initializers are named " + t.name);
            }
        }
        return out;
    }

    private static final class TensorProto {
        String name = "";
        long[] dims = new long[0];
        int dataType;
        byte[] raw;
        float[] floats = new float[0];
        boolean external;
    }

    // TensorProto: dims=1, data_type=2, float_data=4, name=8, raw_data=9, data_location=14
    private static TensorProto parseTensor(ProtoReader tensor) {
        TensorProto t = new TensorProto();
        LongList dims = new LongList();
        FloatList floats = new FloatList();
        while (tensor.next()) {
            switch (tensor.field()) {
                case 1 -> {
                    if (tensor.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader packed = tensor.message();
                        while (!packed.atEnd()) {
                            dims.add(packed.rawVarint());
                        }
                    } else {
                        dims.add(tensor.int64());
                    }
                }
                case 2 -> t.dataType = (int) tensor.int64();
                case 4 -> {
                    if (tensor.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader packed = tensor.message();
                        while (!packed.atEnd()) {
                            floats.add(packed.rawFloat32());
                        }
                    } else {
                        floats.add(tensor.float32());
                    }
                }
                case 8 -> t.name = tensor.string();
                case 9 -> t.raw = tensor.bytes();
                case 14 -> t.external = tensor.int64() == EXTERNAL;
                default -> tensor.skip();
            }
        }
        t.dims = dims.toArray();
        t.floats = floats.toArray();
        return t;
    }

    private static float[] littleEndianFloats(byte[] raw) {
        if (raw.length % 4 != 0) {
            throw new IllegalStateException("float raw_data of " + raw.length + " bytes, not a multiple of 4");
        }
        float[] out = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static final class LongList {
        private long[] values = new long[4];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class FloatList {
        private float[] values = new float[16];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

package org.lottery4j.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.lottery4j.export.OnnxFormatException;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads the float weights (graph initializers) of an ONNX file, to check what an export holds, for
 * example that pruned weights are exact zeros or that they follow an N:M pattern. Values are read
 * bit for bit from {@code raw_data} (little-endian) or {@code float_data}; initializers of other
 * data types (int64 shapes...) are left out; external data is an error. The file is parsed with the
 * ONNX message classes generated from onnx.proto that ship in nd4j-api. A model that records a
 * checksum ({@code sha256} in {@code metadata_props}, as every lottery4j export does) must match
 * it; {@link #readChecked} also refuses a model without one, which is how to read a file that should
 * be lottery4j's.
 *
 * <pre>{@code
 * Map<String, OnnxInitializers.Tensor> weights = OnnxInitializers.readChecked(Path.of("lenet.onnx"));
 * OnnxInitializers.Tensor w = weights.get("fc1.weight");   // dims [300, 784]: [nOut, nIn]
 * float first = w.data()[0];                               // row-major: w[0][0]
 * }</pre>
 */
public final class OnnxInitializers {

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
        return parse(file, Files.readAllBytes(file), false);
    }

    /**
     * As {@link #read}, for a file lottery4j wrote: its checksum must be there.
     *
     * @throws OnnxFormatException as {@link #read}, and if the model records no checksum
     * @throws IOException if it cannot be read
     */
    public static Map<String, Tensor> readChecked(Path file) throws IOException {
        return parse(file, Files.readAllBytes(file), true);
    }

    // the bytes of file, parsed (tests damage bytes in memory)
    public static Map<String, Tensor> parse(Path file, byte[] bytes, boolean checksumRequired) throws OnnxFormatException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(file, "not an ONNX model: " + e.getMessage(), e);
        }
        long sums = OnnxChecksum.count(model);
        if (sums > 1) {
            throw new OnnxFormatException(file, "metadata_props has " + sums + " '" + OnnxChecksum.KEY + "' entries");
        }
        if (sums == 0 && checksumRequired) {
            throw new OnnxFormatException(file, "has no " + OnnxChecksum.KEY + " in its metadata_props: it is not a model "
                    + "lottery4j wrote, or the entry was damaged");
        }
        if (sums == 1) {
            String actual = OnnxChecksum.of(model);
            String recorded = OnnxChecksum.recorded(model).orElseThrow();
            if (!actual.equals(recorded)) {
                throw new OnnxFormatException(file, "the file was damaged or changed: the model's SHA-256 is " + actual
                        + ", its metadata_props say " + recorded);
            }
        }
        return initializers(file, model);
    }

    /**
     * The float initializers of an ONNX model in memory, by name, in order.
     *
     * @throws IllegalArgumentException if the model keeps weights in external files or is inconsistent
     */
    public static Map<String, Tensor> of(ModelProto model) {
        try {
            return initializers(Path.of("<model in memory>"), model);
        } catch (OnnxFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Map<String, Tensor> initializers(Path file, ModelProto model) throws OnnxFormatException {
        if (model.getIrVersion() <= 0 || !model.hasGraph()) {
            throw new OnnxFormatException(file, "not an ONNX model: "
                    + (model.getIrVersion() <= 0 ? "no IR version" : "no graph"));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new OnnxFormatException(file, "initializer " + t.getName() + " keeps its data in an external file,"
                        + " which is not supported");
            }
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            if (out.put(t.getName(), tensor(file, t)) != null) {
                throw new OnnxFormatException(file, "two initializers are named " + t.getName());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Tensor tensor(Path file, TensorProto t) throws OnnxFormatException {
        long[] dims = new long[t.getDimsCount()];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0) {
                throw new OnnxFormatException(file, "initializer " + t.getName() + " has shape " + t.getDimsList());
            }
            try {
                n = Math.multiplyExact(n, dims[i]);
            } catch (ArithmeticException e) {
                throw new OnnxFormatException(file, "initializer " + t.getName() + " has shape " + t.getDimsList()
                        + ", more values than a file can hold");
            }
        }
        ByteString raw = t.getRawData();
        if (raw.size() % 4 != 0) {
            throw new OnnxFormatException(file, "initializer " + t.getName() + " has float raw_data of " + raw.size()
                    + " bytes, not a multiple of 4");
        }
        long count = raw.isEmpty() ? t.getFloatDataCount() : raw.size() / 4;
        if (count != n) {
            throw new OnnxFormatException(file, "initializer " + t.getName() + " of shape " + Arrays.toString(dims)
                    + " has " + count + " values");
        }
        float[] data = new float[(int) count];
        if (raw.isEmpty()) {
            for (int i = 0; i < data.length; i++) {
                data[i] = t.getFloatData(i);
            }
        } else {
            raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        }
        return new Tensor(dims, data);
    }
}

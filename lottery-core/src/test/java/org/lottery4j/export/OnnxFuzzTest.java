package org.lottery4j.export;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.OnnxChecksum;
import org.lottery4j.internal.OnnxInitializers;
import org.lottery4j.testing.Fuzz;
import org.lottery4j.testing.Nets;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Thousands of damaged copies of an exported ONNX model ({@link Fuzz}), read as a user checks an
 * export ({@link OnnxInitializers#readChecked}): each refused with an {@link OnnxFormatException}
 * naming the file or read with the same weights. Structural edits of the model's messages (a
 * dimension, a data type, the values, a name, an initializer removed or doubled, a node's
 * operator), checksum recomputed, may read as other weights only as an independent decoding of
 * the edited model gives them.
 */
class OnnxFuzzTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void damagedModelsFailClearlyOrReadTheSameWeights() throws Exception {
        byte[] model = OnnxExporter.builder().build().toBytes(Nets.mixedConvNet(5));
        Map<String, OnnxInitializers.Tensor> original = OnnxInitializers.readChecked(Files.write(dir.resolve("m.onnx"), model));
        Fuzz.of("onnx initializers", model, OnnxInitializers::readChecked, OnnxFormatException.class)
                .same(original::equals)
                .structural(OnnxFuzzTest::edit, (bytes, read) -> read.equals(decode(ModelProto.parseFrom(bytes))))
                .run(dir, 20261212, Fuzz.cases(400))
                .print()
                .assertClean();
    }

    private static byte[] edit(byte[] bytes, Random random) throws Exception {
        ModelProto.Builder m = ModelProto.parseFrom(bytes).toBuilder();
        var graph = m.getGraphBuilder();
        int n = graph.getInitializerCount();
        int i = random.nextInt(n);
        TensorProto.Builder t = graph.getInitializerBuilder(i);
        long[] extremes = {0, -1, 1, 3, 1L << 31, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE};
        switch (random.nextInt(9)) {
            case 0 -> {
                if (t.getDimsCount() > 0) {
                    t.setDims(random.nextInt(t.getDimsCount()), extremes[random.nextInt(extremes.length)]);
                }
            }
            case 1 -> t.addDims(extremes[random.nextInt(extremes.length)]);
            case 2 -> t.setDataType(random.nextInt(20));
            case 3 -> t.setRawData(t.getRawData().substring(0, random.nextInt(t.getRawData().size() + 1)));
            case 4 -> t.setName(graph.getInitializer(random.nextInt(n)).getName());
            case 5 -> graph.removeInitializer(i);
            case 6 -> graph.addInitializer(graph.getInitializer(i));
            case 7 -> {
                byte[] raw = t.getRawData().toByteArray();
                if (raw.length > 0) {
                    raw[random.nextInt(raw.length)] ^= (byte) (1 << random.nextInt(8));
                    t.setRawData(ByteString.copyFrom(raw));
                }
            }
            default -> graph.getNodeBuilder(random.nextInt(graph.getNodeCount())).setOpType("Sigmoid");
        }
        return OnnxChecksum.signed(m.build()).toByteArray();
    }

    /** The float initializers of a model, decoded here as the ONNX specification says, or null where they do not fit. */
    private static Map<String, OnnxInitializers.Tensor> decode(ModelProto model) {
        Map<String, OnnxInitializers.Tensor> out = new LinkedHashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            long count = 1;
            for (long d : t.getDimsList()) {
                if (d < 0 || (d > 0 && count > Integer.MAX_VALUE / d)) {
                    return null;
                }
                count *= d;
            }
            float[] values = new float[t.getRawData().isEmpty() ? t.getFloatDataCount() : t.getRawData().size() / 4];
            if (values.length != count || t.getRawData().size() % 4 != 0 || out.containsKey(t.getName())) {
                return null;
            }
            if (t.getRawData().isEmpty()) {
                for (int k = 0; k < values.length; k++) {
                    values[k] = t.getFloatData(k);
                }
            } else {
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            }
            out.put(t.getName(), new OnnxInitializers.Tensor(t.getDimsList().stream().mapToLong(Long::longValue).toArray(), values));
        }
        return out;
    }
}

package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.testing.Nets;

class OnnxInitializersTest {

    @TempDir
    Path dir;

    @Test
    void readsInitializersBitForBitInFileOrder() throws Exception {
        float[] values = {0f, -0f, 1.5f, Float.MIN_VALUE, Float.NaN, Float.intBitsToFloat(0x7fc00001), -3e38f};
        OnnxModel model = new OnnxModel();
        model.input("input", "batch", 7L);
        model.initializer("b.weight", new long[] {7, 1}, values);
        model.initializer("a.bias", new long[] {2}, new float[] {4f, 5f});
        model.node("Identity", "id", List.of("input"), "output");
        model.output("output", "batch", 7L);
        Path file = Files.write(dir.resolve("m.onnx"), model.encode("test", "0"));

        Map<String, OnnxInitializers.Tensor> read = OnnxInitializers.read(file);
        assertThat(read.keySet()).containsExactly("b.weight", "a.bias");
        assertThat(read.get("b.weight").dims()).containsExactly(7, 1);
        assertThat(Nets.bits(read.get("b.weight").data())).isEqualTo(Nets.bits(values));
        assertThat(read.get("a.bias")).isEqualTo(new OnnxInitializers.Tensor(new long[] {2}, new float[] {4f, 5f}));
    }

    @Test
    void readsFloatDataAndUnpackedDimsAndLeavesOutOtherTypes() throws Exception {
        // as other writers may encode tensors: dims unpacked, values in float_data, an int64 initializer
        ProtoWriter floats = new ProtoWriter();
        for (float v : new float[] {1, 0, -2, 0, 3, 0}) {
            floats.float32(4, v);
        }
        ProtoWriter tensor = new ProtoWriter().int64(1, 2).int64(1, 3).int64(2, OnnxModel.FLOAT).string(8, "w");
        ProtoWriter shape = new ProtoWriter().int64(1, 1).int64(2, OnnxModel.INT64).string(8, "shape").int64(7, 4);
        ProtoWriter graph = new ProtoWriter().message(5, shape).bytes(5, concat(tensor, floats));
        Path file = Files.write(dir.resolve("f.onnx"), new ProtoWriter().int64(1, 7).message(7, graph).toByteArray());

        Map<String, OnnxInitializers.Tensor> read = OnnxInitializers.read(file);
        assertThat(read).containsOnlyKeys("w");
        assertThat(read.get("w").dims()).containsExactly(2, 3);
        assertThat(read.get("w").data()).containsExactly(1, 0, -2, 0, 3, 0);
    }

    @Test
    void rejectsFilesThatAreNotOnnxModels() throws Exception {
        byte[] valid = OnnxExporter.toBytes(OnnxExporterTest.lenet(1));
        Map<String, byte[]> bad = Map.of(
                "text.onnx", "this is not a model\n".getBytes(),
                "empty.onnx", new byte[0],
                "truncated.onnx", Arrays.copyOf(valid, valid.length / 2),
                "zip.onnx", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0});
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            assertThatThrownBy(() -> OnnxInitializers.read(file))
                    .as(e.getKey())
                    .isInstanceOf(OnnxFormatException.class)
                    .hasMessageStartingWith(file + ": not an ONNX model");
        }
    }

    @Test
    void rejectsExternalData() throws Exception {
        ProtoWriter tensor = new ProtoWriter().int64(1, 2).int64(2, OnnxModel.FLOAT).string(8, "big.weight").int64(14, 1);
        ProtoWriter graph = new ProtoWriter().message(5, tensor);
        Path file = Files.write(dir.resolve("ext.onnx"), new ProtoWriter().int64(1, 8).message(7, graph).toByteArray());
        assertThatThrownBy(() -> OnnxInitializers.read(file))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("big.weight")
                .hasMessageContaining("external");
    }

    private static byte[] concat(ProtoWriter a, ProtoWriter b) {
        byte[] x = a.toByteArray();
        byte[] y = b.toByteArray();
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}

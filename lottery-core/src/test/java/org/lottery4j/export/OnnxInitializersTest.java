package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.OnnxChecksum;
import org.lottery4j.internal.OnnxInitializers;
import org.lottery4j.testing.Nets;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.CodedOutputStream;

class OnnxInitializersTest {

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

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
        Path file = Files.write(dir.resolve("m.onnx"), model.build("test", "0", Map.of()).toByteArray());

        Map<String, OnnxInitializers.Tensor> read = OnnxInitializers.read(file);
        assertThat(read.keySet()).containsExactly("b.weight", "a.bias");
        assertThat(read.get("b.weight").dims()).containsExactly(7, 1);
        assertThat(Nets.bits(read.get("b.weight").data())).isEqualTo(Nets.bits(values));
        assertThat(read.get("a.bias")).isEqualTo(new OnnxInitializers.Tensor(new long[] {2}, new float[] {4f, 5f}));
    }

    @Test
    void readsFloatDataAndUnpackedDimsAndLeavesOutOtherTypes() throws Exception {
        // as other writers may encode tensors: dims unpacked, values in float_data, an int64 initializer
        byte[] tensor = encode(out -> {
            out.writeInt64(1, 2);
            out.writeInt64(1, 3);
            out.writeInt64(2, FLOAT);
            out.writeString(8, "w");
            for (float v : new float[] {1, 0, -2, 0, 3, 0}) {
                out.writeFloat(4, v);
            }
        });
        TensorProto shape = TensorProto.newBuilder().addDims(1).setDataType(TensorProto.DataType.INT64_VALUE)
                .setName("shape").addInt64Data(4).build();
        byte[] graph = encode(out -> {
            out.writeMessage(5, shape);
            out.writeByteArray(5, tensor);
        });
        Path file = Files.write(dir.resolve("f.onnx"), encode(out -> {
            out.writeInt64(1, 7);
            out.writeByteArray(7, graph);
        }));

        Map<String, OnnxInitializers.Tensor> read = OnnxInitializers.read(file);
        assertThat(read).containsOnlyKeys("w");
        assertThat(read.get("w").dims()).containsExactly(2, 3);
        assertThat(read.get("w").data()).containsExactly(1, 0, -2, 0, 3, 0);
    }

    @Test
    void rejectsFilesThatAreNotOnnxModels() throws Exception {
        byte[] valid = OnnxExporter.builder().build().toBytes(Nets.lenet(1));
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
    void exactMessagesForModelsWithoutVersionOrGraph() throws Exception {
        Path noVersion = Files.write(dir.resolve("v.onnx"),
                ModelProto.newBuilder().setGraph(GraphProto.newBuilder().setName("g")).build().toByteArray());
        assertThatThrownBy(() -> OnnxInitializers.read(noVersion))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage(noVersion + ": not an ONNX model: no IR version");
        Path noGraph = Files.write(dir.resolve("g.onnx"), ModelProto.newBuilder().setIrVersion(8).build().toByteArray());
        assertThatThrownBy(() -> OnnxInitializers.read(noGraph))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage(noGraph + ": not an ONNX model: no graph");
    }

    @Test
    void rejectsExternalData() throws Exception {
        Path file = withInitializers("ext.onnx", TensorProto.newBuilder().addDims(2).setDataType(FLOAT)
                .setName("big.weight").setDataLocation(TensorProto.DataLocation.EXTERNAL).build());
        assertThatThrownBy(() -> OnnxInitializers.read(file))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage(file + ": initializer big.weight keeps its data in an external file, which is not supported");
    }

    @Test
    void rejectsInitializersWhoseValuesDoNotFitTheirShapeOrWhoseNamesRepeat() throws Exception {
        TensorProto.Builder w = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(2).addDims(3);
        Path short_ = withInitializers("short.onnx", w.clone().addAllFloatData(List.of(1f, 2f, 3f)).build());
        assertThatThrownBy(() -> OnnxInitializers.read(short_))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage(short_ + ": initializer w of shape [2, 3] has 3 values");

        Path odd = withInitializers("odd.onnx", w.clone().setRawData(ByteString.copyFrom(new byte[6])).build());
        assertThatThrownBy(() -> OnnxInitializers.read(odd))
                .hasMessage(odd + ": initializer w has float raw_data of 6 bytes, not a multiple of 4");

        Path negative = withInitializers("neg.onnx", TensorProto.newBuilder().setName("n").setDataType(FLOAT)
                .addDims(-2).build());
        assertThatThrownBy(() -> OnnxInitializers.read(negative))
                .hasMessage(negative + ": initializer n has shape [-2]");

        // 2^32 x 2^32 overflows a long to 0, which an empty tensor would match
        Path huge = withInitializers("huge.onnx", TensorProto.newBuilder().setName("h").setDataType(FLOAT)
                .addDims(1L << 32).addDims(1L << 32).build());
        assertThatThrownBy(() -> OnnxInitializers.read(huge))
                .hasMessage(huge + ": initializer h has shape [4294967296, 4294967296], more values than a file can hold");

        TensorProto one = w.clone().addAllFloatData(List.of(1f, 2f, 3f, 4f, 5f, 6f)).build();
        Path twice = withInitializers("twice.onnx", one, one);
        assertThatThrownBy(() -> OnnxInitializers.read(twice))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage(twice + ": two initializers are named w");
    }

    /**
     * Every truncation of an exported model, and thousands of seeded bit flips and overwritten
     * bytes, either read back with the same weights or fail with an OnnxFormatException naming the
     * file; never another exception, never other weights (the model's checksum covers them).
     */
    @Test
    void damagedFilesFailWithAnOnnxFormatExceptionNamingTheFileOrReadTheSameWeights() throws Exception {
        byte[] valid = OnnxExporter.builder().build().toBytes(Nets.mlp(Nets.Kind.MULTI_LAYER, 3));
        Path original = Files.write(dir.resolve("mlp.onnx"), valid);
        Map<String, OnnxInitializers.Tensor> expected = OnnxInitializers.readChecked(original);
        assertThat(expected).containsOnlyKeys("dense0.weight", "dense0.bias", "dense1.weight", "dense1.bias",
                "output.weight", "output.bias");
        Path file = dir.resolve("damaged.onnx"); // named in the messages; the copies are parsed in memory
        int failed = 0;
        for (int length = 0; length < valid.length; length++) {
            failed += sameOrRefused(file, Arrays.copyOf(valid, length), expected, "truncated to " + length + " bytes");
        }
        assertThat(failed).as("truncations that fail").isGreaterThan(valid.length * 9 / 10);

        Random random = new Random(10);
        int flipsFailed = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] damaged = valid.clone();
            int at = random.nextInt(damaged.length);
            if (i % 2 == 0) {
                damaged[at] ^= (byte) (1 << random.nextInt(8));
            } else {
                damaged[at] = (byte) random.nextInt(256);
            }
            flipsFailed += sameOrRefused(file, damaged, expected, "copy " + i);
        }
        assertThat(flipsFailed).as("damaged copies that fail").isGreaterThan(2900);
    }

    @Test
    void aChangedWeightOrSettingIsCaughtByTheChecksum() throws Exception {
        ModelProto model = OnnxExporter.builder().build().toModel(Nets.lenet(1));
        assertThat(OnnxChecksum.recorded(model)).hasValue(OnnxChecksum.of(model));
        ModelProto.Builder changed = model.toBuilder();
        changed.getGraphBuilder().getNodeBuilder(1).setOpType("Sigmoid"); // an activation, not a weight
        Path file = Files.write(dir.resolve("changed.onnx"), changed.build().toByteArray());
        assertThatThrownBy(() -> OnnxInitializers.read(file))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageStartingWith(file + ": the file was damaged or changed: the model's SHA-256 is ");
        // re-signed, it is a model like any other: read() reads it
        Files.write(file, OnnxChecksum.signed(changed.build()).toByteArray());
        assertThat(OnnxInitializers.readChecked(file)).isEqualTo(OnnxInitializers.of(model));
        // without a checksum it is anyone's model: read() takes it, readChecked() refuses it
        ModelProto.Builder unsigned = model.toBuilder().clearMetadataProps();
        Path foreign = Files.write(dir.resolve("foreign.onnx"), unsigned.build().toByteArray());
        assertThat(OnnxInitializers.read(foreign)).isEqualTo(OnnxInitializers.of(model));
        assertThatThrownBy(() -> OnnxInitializers.readChecked(foreign))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage(foreign + ": has no sha256 in its metadata_props: it is not a model lottery4j wrote, or the "
                        + "entry was damaged");
        Path twice = Files.write(dir.resolve("twice.onnx"), model.toBuilder()
                .addMetadataProps(model.getMetadataProps(model.getMetadataPropsCount() - 1)).build().toByteArray());
        assertThatThrownBy(() -> OnnxInitializers.read(twice))
                .hasMessage(twice + ": metadata_props has 2 'sha256' entries");
    }

    // 1 if the copy was refused naming the file, 0 if it read as the same weights; fails otherwise
    private static int sameOrRefused(Path file, byte[] bytes, Map<String, OnnxInitializers.Tensor> expected, String what) {
        try {
            if (!OnnxInitializers.parse(file, bytes, true).equals(expected)) {
                fail(what + " reads as different weights");
            }
            return 0;
        } catch (OnnxFormatException e) {
            requireNamesFile(e, file);
            return 1;
        }
    }

    // plain checks in the loops: assertj's per-call cost would dominate thousands of cheap parses
    private static void requireNamesFile(OnnxFormatException e, Path file) {
        if (!e.getMessage().startsWith(file + ": ")) {
            fail("the message does not start with the file: " + e.getMessage());
        }
    }

    private Path withInitializers(String name, TensorProto... tensors) throws IOException {
        GraphProto graph = GraphProto.newBuilder().addAllInitializer(List.of(tensors)).build();
        return Files.write(dir.resolve(name), ModelProto.newBuilder().setIrVersion(8).setGraph(graph).build().toByteArray());
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    // hand-encoded protobuf, for encodings the generated builders never write (unpacked repeated fields)
    private static byte[] encode(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}

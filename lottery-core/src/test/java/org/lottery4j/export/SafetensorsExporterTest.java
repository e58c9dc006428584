package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruned;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.sparsity.NmTestNets;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SafetensorsExporterTest {

    @TempDir
    Path dir;

    /** The file as an independent reader sees it: header JSON and the data section. */
    record Raw(long headerLength, String headerText, JsonNode header, ByteBuffer data) {
        static Raw of(Path file) throws IOException {
            ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            long n = all.getLong(0);
            byte[] json = new byte[(int) n];
            all.get(8, json);
            String text = new String(json, StandardCharsets.UTF_8);
            ByteBuffer data = all.slice(8 + (int) n, all.capacity() - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
            return new Raw(n, text, new ObjectMapper().readTree(text), data);
        }

        JsonNode tensor(String name) {
            return header.get(name);
        }

        int begin(String name) {
            return header.get(name).get("data_offsets").get(0).asInt();
        }

        float f32(String name, int i) {
            return data.getFloat(begin(name) + 4 * i);
        }

        int u16(String name, int i) {
            return data.getShort(begin(name) + 2 * i) & 0xffff;
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static MultiLayerNetwork prunedConvNet() {
        MultiLayerNetwork net = NmTestNets.conv(11);
        NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
        viewAdapter.flatParams().muli(new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0).masks().toFlat(viewAdapter.model()));
        return net;
    }

    @Test
    void f32HeaderAndBytesReadBackIndependently() throws IOException {
        MultiLayerNetwork net = prunedConvNet();
        Path file = dir.resolve("model.safetensors");
        SafetensorsExporter.Summary summary = SafetensorsExporter.builder()
                .pattern(NmPattern.TWO_FOUR)
                .metadata("source", "unit test")
                .build()
                .export(net, file);

        Raw raw = Raw.of(file);
        assertThat(raw.headerLength() % 8).isZero();
        assertThat(raw.headerText()).startsWith("{").doesNotContain("\n");
        List<String> keys = fieldNames(raw.header());
        assertThat(keys).isSorted().containsExactly("__metadata__", "conv.bias", "conv.weight",
                "dense.bias", "dense.weight", "output.bias", "output.weight");
        assertThat(fieldNames(raw.tensor("conv.weight"))).containsExactly("data_offsets", "dtype", "shape");
        assertThat(summary.tensors().keySet()).containsExactlyElementsOf(keys.subList(1, keys.size()));

        // shapes in PyTorch's layout, tensors back to back in name order
        assertThat(raw.tensor("conv.weight").get("shape").toString()).isEqualTo("[8,4,3,3]");
        assertThat(raw.tensor("conv.bias").get("shape").toString()).isEqualTo("[8]");
        assertThat(raw.tensor("dense.weight").get("shape").toString()).isEqualTo("[8,128]");
        assertThat(raw.tensor("output.weight").get("shape").toString()).isEqualTo("[3,8]");
        long end = 0;
        for (String k : keys.subList(1, keys.size())) {
            assertThat(raw.tensor(k).get("dtype").asText()).isEqualTo("F32");
            assertThat(raw.tensor(k).get("data_offsets").get(0).asLong()).isEqualTo(end);
            end = raw.tensor(k).get("data_offsets").get(1).asLong();
        }
        assertThat((long) raw.data().capacity()).isEqualTo(end);

        // Linear weight [out, in] is DL4J's W [nIn, nOut] transposed; Conv weight as in DL4J
        INDArray dense = net.getLayer("dense").getParam("W");
        for (int i = 0; i < 128; i++) {
            for (int o = 0; o < 8; o++) {
                assertThat(raw.f32("dense.weight", o * 128 + i)).isEqualTo(dense.getFloat(i, o));
            }
        }
        INDArray conv = net.getLayer("conv").getParam("W");
        for (int o = 0; o < 8; o++) {
            for (int c = 0; c < 4; c++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        assertThat(raw.f32("conv.weight", ((o * 4 + c) * 3 + y) * 3 + x))
                                .isEqualTo(conv.getFloat(o, c, y, x));
                    }
                }
            }
        }
        INDArray bias = net.getLayer("output").getParam("b");
        for (int o = 0; o < 3; o++) {
            assertThat(raw.f32("output.bias", o)).isEqualTo(bias.getFloat(o));
        }

        JsonNode meta = raw.header().get("__metadata__");
        assertThat(fieldNames(meta)).isSorted();
        assertThat(meta.get("format").asText()).isEqualTo("pt");
        assertThat(meta.get("sparsity_pattern").asText()).isEqualTo("2:4");
        assertThat(meta.has("sparsity_pattern_skipped")).isFalse();
        assertThat(meta.get("producer").asText()).isEqualTo("lottery4j");
        assertThat(meta.get("provenance.lottery4j").asText()).isNotBlank();
        assertThat(meta.get("provenance.dl4j").asText()).isNotBlank();
        assertThat(meta.get("provenance.java").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(meta.get("source").asText()).isEqualTo("unit test");
        JsonNode sparsity = new ObjectMapper().readTree(meta.get("sparsity").asText());
        assertThat(fieldNames(sparsity)).containsExactly("conv.weight", "dense.weight", "output.weight");
        assertThat(sparsity.get("conv.weight").asDouble()).isEqualTo(0.5);
        assertThat(sparsity.get("dense.weight").asDouble()).isEqualTo(0.5);
        assertThat(summary.pattern().satisfied()).isTrue();
    }

    @Test
    void f16AndBf16AreRoundedToNearestEven() throws IOException {
        MultiLayerNetwork net = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 2);
        INDArray w = net.getLayer("dense0").getParam("W"); // [12, 16]
        float[] probes = {1 + 0x1p-11f, 1 + 0x3p-11f, 65520f, 0x1p-25f, 1 + 0x1p-8f, 1 + 0x3p-8f, 0.1f, -0f};
        for (int i = 0; i < probes.length; i++) {
            w.putScalar(i, 0, probes[i]); // in = i, out = 0: element i of the Linear weight
        }
        int[] f16 = {0x3c00, 0x3c02, 0x7c00, 0x0000, 0x3c04, 0x3c0c, 0x2e66, 0x8000};
        int[] bf16 = {0x3f80, 0x3f80, 0x4780, 0x3300, 0x3f80, 0x3f82, 0x3dcd, 0x8000};
        for (FloatType type : List.of(FloatType.F16, FloatType.BF16)) {
            Path file = dir.resolve(type + ".safetensors");
            SafetensorsExporter.builder().dtype(type).build().export(net, file);
            Raw raw = Raw.of(file);
            assertThat(raw.tensor("dense0.weight").get("dtype").asText()).isEqualTo(type.name());
            assertThat(raw.tensor("dense0.weight").get("data_offsets").get(1).asLong()
                    - raw.tensor("dense0.weight").get("data_offsets").get(0).asLong()).isEqualTo(12 * 16 * 2);
            for (int i = 0; i < probes.length; i++) {
                assertThat(raw.u16("dense0.weight", i)).as("%s of %s", type, probes[i])
                        .isEqualTo(type == FloatType.F16 ? f16[i] : bf16[i]);
            }
            assertThat(raw.header().get("__metadata__").get("sparsity_pattern").asText()).isEqualTo("none");
        }
    }

    @Test
    void weightsThatBreakThePatternAreRefusedAndNothingIsWritten() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "previous");
        MultiLayerNetwork dense = NmTestNets.conv(3);
        assertThatThrownBy(() -> SafetensorsExporter.builder().pattern(NmPattern.TWO_FOUR).build().export(dense, file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("conv.weight has 72 of 72 groups with more than 2 non-zeros")
                .hasMessageContaining("nothing was written");
        assertThat(Files.readString(file)).isEqualTo("previous");
        assertThat(leftovers()).containsExactly(file);
    }

    @Test
    void aFailedWriteLeavesNoFile() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("inside")); // a non-empty folder cannot be replaced
        MultiLayerNetwork net = prunedConvNet();
        assertThatThrownBy(() -> SafetensorsExporter.builder().build().export(net, target))
                .isInstanceOf(IOException.class);
        assertThat(leftovers()).containsExactlyInAnyOrder(target, target.resolve("inside"));
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).toList();
        }
    }

    @Test
    void layersThatCannotBe24AreRecordedAsSkipped() throws IOException {
        MultiLayerNetwork net = NmTestNets.oddInput(4);
        NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
        Pruned r = new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0);
        viewAdapter.flatParams().muli(r.masks().toFlat(viewAdapter.model()));
        Path file = dir.resolve("odd.safetensors");
        SafetensorsExporter.Summary s = SafetensorsExporter.builder().pattern(NmPattern.TWO_FOUR).build().export(net, file);
        assertThat(s.pattern().skipped()).extracting(x -> x.name()).containsExactly("odd.weight");
        JsonNode meta = Raw.of(file).header().get("__metadata__");
        assertThat(meta.get("sparsity_pattern_skipped").asText()).isEqualTo("odd.weight");
        assertThat(meta.get("sparsity").asText()).contains("\"odd.weight\":0.0");
    }

    @Test
    void unsupportedParametersFailByNameOrAreLeftOutOnRequest() throws IOException {
        MultiLayerNetwork net = Nets.convNet(1); // batch norm with log-std, dense with layer norm
        assertThatThrownBy(() -> SafetensorsExporter.builder().build().export(net, dir.resolve("x.safetensors")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter layer3/g")
                .hasMessageContaining("skipUnsupported()");
        assertThat(leftovers()).isEmpty();

        Path file = dir.resolve("x.safetensors");
        SafetensorsExporter.Summary s = SafetensorsExporter.builder().skipUnsupported().build().export(net, file);
        assertThat(s.leftOut()).containsExactly("layer3/g");
        // log-std batch norm (DL4J's default) is written as PyTorch's running variance, (10^log10std)^2
        assertThat(s.tensors()).containsKeys("layer0.weight", "layer1.running_var", "layer3.weight", "layer4.bias");
        float[] log10std = net.getLayer(1).getParam("log10stdev").toFloatVector();
        float[] var = NetworkTranslator.varianceOfLog10Std(log10std);
        assertThat(var[0]).isEqualTo((float) Math.pow(Math.pow(10, log10std[0]), 2));
        assertThat(Raw.of(file).header().get("__metadata__").get("left_out").asText()).contains("layer3/g");
    }

    @Test
    void compressed24WeightsAreStoredAsValuesAndPackedPositions() throws IOException {
        MultiLayerNetwork net = prunedConvNet();
        Path file = dir.resolve("compressed.safetensors");
        SafetensorsExporter.builder().dtype(FloatType.F16).compressed24().build().export(net, file);

        Raw raw = Raw.of(file);
        assertThat(fieldNames(raw.header())).containsExactly("__metadata__", "conv.bias", "conv.weight_indices",
                "conv.weight_values", "dense.bias", "dense.weight_indices", "dense.weight_values", "output.bias",
                "output.weight_indices", "output.weight_values");
        assertThat(raw.tensor("dense.weight_values").get("dtype").asText()).isEqualTo("F16");
        assertThat(raw.tensor("dense.weight_values").get("shape").toString()).isEqualTo("[8,64]");
        assertThat(raw.tensor("dense.weight_indices").get("dtype").asText()).isEqualTo("U16");
        assertThat(raw.tensor("dense.weight_indices").get("shape").toString()).isEqualTo("[8,8]");
        assertThat(raw.tensor("conv.weight_values").get("shape").toString()).isEqualTo("[72,2]");
        assertThat(raw.tensor("conv.weight_indices").get("shape").toString()).isEqualTo("[72,1]");
        JsonNode meta = raw.header().get("__metadata__");
        assertThat(meta.get("compressed_2_4").asText())
                .isEqualTo("{\"conv.weight\":[8,4,3,3],\"dense.weight\":[8,128],\"output.weight\":[3,8]}");
        assertThat(meta.get("sparsity_pattern").asText()).isEqualTo("2:4");

        // decode the dense layer by hand from the documented layout: row o = output unit, K = nIn = 128
        INDArray w = net.getLayer("dense").getParam("W");
        for (int o = 0; o < 8; o++) {
            for (int g = 0; g < 32; g++) {
                int word = raw.u16("dense.weight_indices", o * 8 + g / 4);
                int code = (word >>> (4 * (g % 4))) & 0xf;
                int i0 = code & 3;
                int i1 = code >>> 2;
                assertThat(i0).isLessThan(i1);
                for (int t = 0; t < 4; t++) {
                    float dense = w.getFloat(4 * g + t, o);
                    if (t == i0 || t == i1) {
                        int slot = o * 64 + 2 * g + (t == i0 ? 0 : 1);
                        assertThat(raw.u16("dense.weight_values", slot)).isEqualTo(FloatType.toF16(dense) & 0xffff);
                    } else {
                        assertThat(dense).isZero();
                    }
                }
            }
        }
        // conv rows are (output channel, kernel position), columns the input channels
        INDArray conv = net.getLayer("conv").getParam("W");
        int code = raw.u16("conv.weight_indices", 5 * 9 + 1 * 3 + 2) & 0xf; // o = 5, y = 1, x = 2
        assertThat(raw.u16("conv.weight_values", (5 * 9 + 5) * 2))
                .isEqualTo(FloatType.toF16(conv.getFloat(5, code & 3, 1, 2)) & 0xffff);

        SafetensorsFile f = SafetensorsFile.read(file);
        assertThat(f.compressedWeights()).containsOnlyKeys("conv.weight", "dense.weight", "output.weight");
        float[] back = f.decompress("conv.weight");
        for (int o = 0; o < 8; o++) {
            for (int c = 0; c < 4; c++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        assertThat(back[((o * 4 + c) * 3 + y) * 3 + x])
                                .isEqualTo(FloatType.fromF16(FloatType.toF16(conv.getFloat(o, c, y, x))));
                    }
                }
            }
        }
        assertThat(f.checkPattern().entries()).extracting(e -> e.name() + " " + e.violatingGroups())
                .containsExactly("conv.weight 0", "dense.weight 0", "output.weight 0");
        assertThatThrownBy(() -> SafetensorsExporter.builder().pattern(new NmPattern(1, 4)).compressed24().build())
                .hasMessageContaining("pattern is 1:4");
    }

    @Test
    void graphsAndBatchNormKeepPyTorchNames() throws IOException {
        Path graphFile = dir.resolve("graph.safetensors");
        SafetensorsExporter.Summary g = SafetensorsExporter.builder().build()
                .export(Nets.mlp(Nets.Kind.GRAPH, 1), graphFile);
        assertThat(g.tensors().keySet()).containsExactly("dense0.bias", "dense0.weight", "dense1.bias",
                "dense1.weight", "output.bias", "output.weight");
        assertThat(g.tensors().get("dense0.weight")).containsExactly(16, 12);

        MultiLayerNetwork bn = new MultiLayerNetwork(Nets.base(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).build())
                .layer(new BatchNormalization.Builder().name("bn").useLogStd(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build());
        bn.init();
        bn.getLayer("bn").getParam("var").assign(2.5);
        Path bnFile = dir.resolve("bn.safetensors");
        SafetensorsExporter.Summary b = SafetensorsExporter.builder().build().export(bn, bnFile);
        assertThat(b.tensors().keySet()).containsExactly("bn.bias", "bn.running_mean", "bn.running_var", "bn.weight",
                "conv.bias", "conv.weight", "out.bias", "out.weight");
        assertThat(b.tensors().get("bn.running_var")).containsExactly(4);
        Raw raw = Raw.of(bnFile);
        assertThat(raw.f32("bn.running_var", 3)).isEqualTo(2.5f);
    }

    @Test
    void reservedMetadataKeysAreRefused() {
        assertThatThrownBy(() -> SafetensorsExporter.builder().metadata("format", "tf"))
                .hasMessageContaining("'format'");
        assertThatThrownBy(() -> SafetensorsExporter.builder().metadata("provenance.java", "8"))
                .hasMessageContaining("provenance.java");
    }
}

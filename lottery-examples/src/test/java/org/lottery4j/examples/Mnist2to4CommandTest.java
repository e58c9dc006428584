package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.OnnxInitializers;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code mnist-2to4} on tiny settings: one run of both models shared by the tests. */
class Mnist2to4CommandTest {

    @TempDir
    static Path dir;

    private static String stdout;
    private static Path lenet;
    private static Path convnet;

    @BeforeAll
    static void runBothModels() throws IOException {
        stdout = Console.out(() -> assertThat(Main.run("mnist-2to4", "--limit", "600", "--epochs", "1",
                "--fine-tune-epochs", "1", "--out", dir.toString())).isZero());
        lenet = folder("2to4_lenet-300-100_");
        convnet = folder("2to4_convnet_");
    }

    private static Path folder(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(found).as("folders %s* in %s", prefix, dir).hasSize(1);
            return found.get(0);
        }
    }

    @Test
    void writesTheFilesAndResultsForEachModel() {
        for (Path f : List.of(lenet, convnet)) {
            assertThat(f.resolve("model.onnx")).isNotEmptyFile();
            assertThat(f.resolve("weights.safetensors")).isNotEmptyFile();
            assertThat(f.resolve("weights-2to4.safetensors")).isNotEmptyFile();
            assertThat(f.resolve("ticket.zip")).isNotEmptyFile();
            assertThat(f.resolve("results.json")).isNotEmptyFile();
        }
        assertThat(stdout).contains("dense acc", "2:4 before ft", "2:4 after ft", "lenet-300-100", "convnet");
    }

    @Test
    void resultsJsonHoldsTheAccuraciesAndChecks() throws IOException {
        for (Path f : List.of(lenet, convnet)) {
            JsonNode r = Json.reader().readTree(java.nio.file.Files.readAllBytes(f.resolve("results.json")));
            for (String acc : List.of("denseAccuracy", "prunedAccuracy", "fineTunedAccuracy")) {
                assertThat(r.get(acc).asDouble()).as(acc).isBetween(0.2, 1.0); // better than chance (0.1)
            }
            assertThat(r.get("trainExamples").asInt()).isEqualTo(600);
            assertThat(r.get("testExamples").asInt()).isEqualTo(2000);
            assertThat(r.get("patternSatisfied").asBoolean()).isTrue();
            assertThat(r.get("prunedWeightsZero").asBoolean()).isTrue();
            assertThat(r.get("hparams").get("nm.pattern").asText()).isEqualTo("2:4");
            r.get("checks").fields().forEachRemaining(c -> assertThat(c.getValue().asBoolean()).as(c.getKey()).isTrue());
        }
        JsonNode l = Json.reader().readTree(java.nio.file.Files.readAllBytes(lenet.resolve("results.json")));
        assertThat(l.get("fractionRemaining").asDouble()).isEqualTo(0.5); // 784, 300, 100: every weight 2:4
    }

    @Test
    void theFirstConvolutionIsReportedSkipped() throws IOException {
        JsonNode c = Json.reader().readTree(java.nio.file.Files.readAllBytes(convnet.resolve("results.json")));
        assertThat(c.get("skipped")).hasSize(1);
        assertThat(c.get("skipped").get(0).get("name").asText()).isEqualTo("conv1/W");
        assertThat(c.get("skipped").get(0).get("reason").asText()).contains("nIn=1", "not a multiple of 4");
        assertThat(Json.reader().readTree(java.nio.file.Files.readAllBytes(lenet.resolve("results.json"))).get("skipped")).isEmpty();
        assertThat(stdout).contains("convnet: 2:4 skips conv1/W");
    }

    @Test
    void everyExportedWeightButTheFirstConvolutionIsTwoFour() throws IOException {
        for (Path f : List.of(lenet, convnet)) {
            for (String file : List.of("weights.safetensors", "weights-2to4.safetensors")) {
                NmReport r = SafetensorsFile.read(f.resolve(file)).checkPattern();
                assertThat(r.satisfied()).as(f + "/" + file).isTrue();
                assertThat(r.entries()).extracting(NmReport.Entry::name).doesNotContain("conv1.weight");
            }
            Map<String, OnnxInitializers.Tensor> init = OnnxInitializers.read(f.resolve("model.onnx"));
            Map<String, long[]> shapes = new LinkedHashMap<>();
            init.forEach((k, v) -> shapes.put(k, v.dims()));
            NmReport onnx = new NmChecker(NmPattern.TWO_FOUR).checkTorch(shapes, k -> init.get(k).data());
            assertThat(onnx.satisfied()).isTrue();
            assertThat(onnx.entries()).isNotEmpty();
        }
        SafetensorsFile c = SafetensorsFile.read(convnet.resolve("weights-2to4.safetensors"));
        assertThat(c.compressedWeights()).containsOnlyKeys("conv2.weight", "fc.weight", "output.weight");
        assertThat(c.tensors()).containsKey("conv1.weight"); // skipped: stays dense
        assertThat(c.tensor("conv1.weight").dtype()).isEqualTo("F16");
        assertThat(SafetensorsFile.read(lenet.resolve("weights-2to4.safetensors")).compressedWeights())
                .containsOnlyKeys("fc1.weight", "fc2.weight", "output.weight");
    }

    @Test
    void theFineTunedNetworksPrunedWeightsAreExactZeros() throws IOException {
        for (Path f : List.of(lenet, convnet)) {
            try (LotteryTicket t = LotteryTicket.load(f.resolve("ticket.zip"))) {
                assertThat(t.view().iterationCount()).isPositive(); // it was fine-tuned after pruning
                long pruned = 0;
                for (ParamKey key : t.masks().keys()) {
                    Mask m = t.masks().get(key);
                    float[] w = t.view().read(t.view().param(key).orElseThrow());
                    for (int i = 0; i < w.length; i++) {
                        if (!m.isKept(i)) {
                            assertThat(w[i]).as("%s element %d", key, i).isEqualTo(0.0f);
                            pruned++;
                        }
                    }
                }
                assertThat(pruned).isPositive();
                assertThat(new NmChecker(NmPattern.TWO_FOUR).check(t.view()).satisfied()).isTrue();
            }
        }
    }

    @Test
    void theOnnxModelsRunInOnnxRuntimeLikeTheNetworks() throws Exception {
        INDArray x = Mnist.bundled().test().getFeatures().get(NDArrayIndex.interval(0, 50), NDArrayIndex.all()).dup();
        for (Path f : List.of(lenet, convnet)) {
            float[] expected;
            try (LotteryTicket t = LotteryTicket.load(f.resolve("ticket.zip"))) {
                expected = org.lottery4j.internal.NetworkAdapter.of(t.network()).output(x).dup('c').reshape(-1).toFloatVector();
            }
            float[] actual = OrtRun.output(f.resolve("model.onnx"), x);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i]).as("%s output %d", f.getFileName(), i)
                        .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void aTicketComposesWithTwoFour() throws IOException {
        // a sparser ticket: the fine-tuned LeNet, another 40% of its survivors pruned by magnitude
        Path ticketFile = dir.resolve("sparser.zip");
        MaskSet ticketMasks;
        try (LotteryTicket t = LotteryTicket.load(lenet.resolve("ticket.zip"))) {
            t.prune(0.4);
            ticketMasks = t.masks();
            t.save(ticketFile);
        }
        Path out = dir.resolve("from-ticket");
        String text = Console.out(() -> assertThat(Main.run("mnist-2to4", "--ticket", ticketFile.toString(), "--limit", "600",
                "--epochs", "0", "--fine-tune-epochs", "1", "--pattern", "1:4", "--dtype", "bf16",
                "--out", out.toString())).isZero());
        assertThat(text).contains("ticket");
        Path folder;
        try (Stream<Path> s = Files.list(out)) {
            folder = s.filter(p -> p.getFileName().toString().startsWith("1to4_ticket_")).findFirst().orElseThrow();
        }
        assertThat(folder.resolve("weights-2to4.safetensors")).doesNotExist(); // the compressed form is 2:4 only
        assertThat(SafetensorsFile.read(folder.resolve("weights.safetensors")).tensor("fc1.weight").dtype()).isEqualTo("BF16");
        try (LotteryTicket t = LotteryTicket.load(folder.resolve("ticket.zip"))) {
            for (ParamKey key : ticketMasks.keys()) {
                assertThat(ticketMasks.get(key).contains(t.masks().get(key))).as("%s stays within the ticket", key).isTrue();
            }
            assertThat(t.sparsity().fractionRemaining()).isLessThanOrEqualTo(0.25);
            assertThat(new NmChecker(new NmPattern(1, 4)).check(NetworkView.of(t.network())).satisfied()).isTrue();
        }
    }

    @Test
    void aFinishedModelIsNotRunAgain() throws IOException {
        String before = Files.readString(lenet.resolve("results.json"));
        String text = Console.out(() -> assertThat(Main.run("mnist-2to4", "--model", "lenet", "--limit", "600", "--epochs", "1",
                "--fine-tune-epochs", "1", "--out", dir.toString())).isZero());
        assertThat(text).contains("lenet-300-100: already done in " + lenet).doesNotContain("epoch");
        assertThat(text).contains("dense acc"); // the table, from results.json
        assertThat(Files.readString(lenet.resolve("results.json"))).isEqualTo(before);
    }

    @Test
    void badOptionsAreRejectedNamingTheOption() {
        assertThat(err("--pattern", "4:4")).contains("--pattern").contains("4:4");
        assertThat(err("--pattern", "two")).contains("--pattern");
        assertThat(err("--model", "vgg")).contains("--model").contains("vgg");
        assertThat(err("--limit", "0")).contains("--limit must be >= 1");
        assertThat(err("--epochs", "0")).contains("--epochs must be >= 1");
        assertThat(err("--fine-tune-epochs", "-1")).contains("--fine-tune-epochs");
        assertThat(err("--dtype", "f64")).contains("--dtype").contains("f64");
        assertThat(err("--ticket", dir.resolve("none.zip").toString())).contains("--ticket").contains("none.zip");
        assertThat(err("--ticket", dir.resolve("none.zip").toString(), "--model", "lenet")).contains("--model and --ticket");
    }

    private String err(String... options) {
        String[] args = Stream.concat(Stream.of("mnist-2to4", "--out", dir.resolve("bad").toString()), Stream.of(options))
                .toArray(String[]::new);
        return Console.err(() -> assertThat(Main.run(args)).as(String.join(" ", options)).isEqualTo(2));
    }
}

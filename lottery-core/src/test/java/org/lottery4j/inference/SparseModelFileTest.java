package org.lottery4j.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.testing.Nets;

class SparseModelFileTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSavedModelLoadsWithTheSameStepsAndComputesTheSameBits() throws IOException {
        for (MultiLayerNetwork net : List.of(Nets.lenet(2), Nets.mixedConvNet(3), Nets.mnistConvNet(4, true))) {
            SparseModelTest.prune(net, 0.8, 1);
            SparseModel sparse = SparseModel.of(net);
            Path file = dir.resolve("model.sparse.safetensors");
            sparse.save(file);
            SparseModel loaded = SparseModel.load(file);
            assertThat(loaded.steps()).isEqualTo(sparse.steps());
            assertThat(loaded.inputShape()).containsExactly(sparse.inputShape());
            float[] x = SparseModelTest.randomInput(1, 7, sparse.inputSize()).dup('c').data().asFloat();
            assertThat(Nets.bits(loaded.output(x, 7))).containsExactly(Nets.bits(sparse.output(x, 7)));
            assertThat(dir.toFile().list()).containsExactly("model.sparse.safetensors"); // no temporary file left
        }
    }

    @Test
    void theFileIsSafetensorsWithAManifestAndOnlyTheKeptWeights() throws IOException {
        MultiLayerNetwork net = Nets.lenet(2);
        long kept = SparseModelTest.prune(net, 0.9, 1);
        Path file = dir.resolve("lenet.safetensors");
        SparseModel.of(net).save(file);
        SafetensorsFile f = SafetensorsFile.read(file);
        assertThat(f.metadata()).containsEntry("format", "lottery4j-sparse-model").containsEntry("format_version", "1")
                .containsKey("provenance.lottery4j");
        assertThat(f.tensors().keySet()).containsExactlyInAnyOrder(
                "0/fc1.bias", "0/fc1.rows", "0/fc1.start", "0/fc1.values",
                "2/fc2.bias", "2/fc2.rows", "2/fc2.start", "2/fc2.values",
                "4/output.bias", "4/output.rows", "4/output.start", "4/output.values");
        assertThat(f.tensor("0/fc1.rows").dtype()).isEqualTo("U16");
        assertThat(f.tensor("0/fc1.start").shape()).containsExactly(301);
        long stored = f.tensor("0/fc1.values").shape()[0] + f.tensor("2/fc2.values").shape()[0]
                + f.tensor("4/output.values").shape()[0];
        assertThat(stored).isEqualTo(kept);
        // each stored weight is the network's weight at its place: fc1 output 0's first kept input
        int[] start = f.ints("0/fc1.start");
        char[] rows = f.chars("0/fc1.rows");
        float[] values = f.floats("0/fc1.values");
        float[] w = net.getLayer("fc1").getParam("W").dup('c').data().asFloat(); // [784, 300]
        for (int p = start[0]; p < start[1]; p++) {
            assertThat(values[p]).isEqualTo(w[rows[p] * 300]);
        }
        ObjectNode manifest = (ObjectNode) JSON.readTree(f.metadata().get("manifest"));
        assertThat(manifest.get("input").toString()).isEqualTo("[784]");
        assertThat(manifest.get("steps").get(0).get("kind").asText()).isEqualTo("linear");
        assertThat(manifest.get("steps").get(1).get("kind").asText()).isEqualTo("relu");
        assertThat(manifest.get("steps").get(0).get("tensors").get("values").get("sha256").asText()).hasSize(64);
    }

    @Test
    void aChangedByteInATensorIsCaughtByItsChecksum() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 0x10; // inside the last tensor's data
        Files.write(file, bytes);
        assertThatThrownBy(() -> SparseModel.load(file))
                .isInstanceOf(SparseModelFormatException.class)
                .hasMessageStartingWith(file + ": step ")
                .hasMessageContaining("has SHA-256")
                .hasMessageContaining("the file was damaged or changed");
    }

    @Test
    void aTruncatedFileIsNotAModel() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> SparseModel.load(file))
                .isInstanceOf(SparseModelFormatException.class)
                .hasMessageContaining("not a sparse model file")
                .hasMessageContaining("truncated or trailing bytes");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SparseModel.load(file)).isInstanceOf(SparseModelFormatException.class)
                .hasMessageContaining("shorter than the 8-byte header length");
    }

    @Test
    void anotherSafetensorsFileOrANewerVersionIsRefusedNamingTheField() throws IOException {
        Path file = saved();
        rewriteMetadata(file, m -> m.put("format", "pt"));
        assertThatThrownBy(() -> SparseModel.load(file))
                .hasMessage(file + ": not a sparse model file: format is 'pt', expected 'lottery4j-sparse-model'"
                        + " (SparseModel.save writes it)");
        Path newer = saved();
        rewriteMetadata(newer, m -> m.put("format_version", "2"));
        assertThatThrownBy(() -> SparseModel.load(newer))
                .hasMessage(newer + ": format_version 2 is not supported; this lottery4j reads version 1"
                        + " (written by a newer lottery4j)");
    }

    @Test
    void aManifestThatDoesNotFitItsTensorsIsRefusedNamingTheStep() throws IOException {
        Path unknownKind = saved();
        rewriteManifest(unknownKind, m -> ((ObjectNode) m.get("steps").get(1)).put("kind", "gelu"));
        assertThatThrownBy(() -> SparseModel.load(unknownKind))
                .hasMessageContaining("step 1 (gelu, layer 'fc1'): unknown kind 'gelu'");

        Path wrongWidth = saved();
        rewriteManifest(wrongWidth, m -> ((ObjectNode) m.get("steps").get(2)).put("inputs", 301));
        assertThatThrownBy(() -> SparseModel.load(wrongWidth))
                .hasMessageContaining("the steps do not fit together")
                .hasMessageContaining("layer 'fc2' (linear): takes 301 features per example but gets [300]");

        Path missing = saved();
        rewriteManifest(missing, m -> ((ObjectNode) m.get("steps").get(0).get("tensors")).remove("bias"));
        assertThatThrownBy(() -> SparseModel.load(missing))
                .hasMessageContaining("step 0 (linear, layer 'fc1'): lists no tensor (name and sha256) for 'bias'");

        Path orphan = saved();
        rewriteManifest(orphan, m -> ((ArrayNode) m.get("steps")).remove(4));
        assertThatThrownBy(() -> SparseModel.load(orphan))
                .hasMessageContaining("tensors [4/output.bias, 4/output.rows, 4/output.start, 4/output.values]"
                        + " belong to no step of the manifest");

        Path badPadding = dir.resolve("conv.safetensors");
        SparseModel.of(Nets.mnistConvNet(1, false)).save(badPadding);
        rewriteManifest(badPadding, m -> ((ObjectNode) m.get("steps").get(1)).put("padding", "valid"));
        assertThatThrownBy(() -> SparseModel.load(badPadding))
                .hasMessageContaining("step 1 (conv, layer 'conv1'): 'padding' must be [top, left, bottom, right]"
                        + " or \"same\", got \"valid\"");
    }

    @Test
    void aFailedSaveLeavesNoFile() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(folder.resolve("x"), "x");
        assertThatThrownBy(() -> SparseModel.of(Nets.lenet(1)).save(folder)).isInstanceOf(IOException.class);
        assertThat(dir.toFile().list()).containsExactly("taken");
    }

    private Path saved() throws IOException {
        MultiLayerNetwork net = Nets.lenet(5);
        SparseModelTest.prune(net, 0.9, 2);
        Path file = Files.createTempFile(dir, "model", ".safetensors");
        SparseModel.of(net).save(file);
        return file;
    }

    private static void rewriteManifest(Path file, java.util.function.Consumer<ObjectNode> change) throws IOException {
        rewriteMetadata(file, m -> {
            try {
                ObjectNode manifest = (ObjectNode) JSON.readTree(m.get("manifest"));
                change.accept(manifest);
                m.put("manifest", JSON.writeValueAsString(manifest));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    // Rewrites the header's __metadata__ keeping the tensors' bytes and offsets: a valid safetensors file.
    private static void rewriteMetadata(Path file, java.util.function.Consumer<Map<String, String>> change) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ObjectNode header = (ObjectNode) JSON.readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
        Map<String, String> meta = new LinkedHashMap<>();
        header.get("__metadata__").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        change.accept(meta);
        header.set("__metadata__", JSON.valueToTree(meta));
        byte[] json = JSON.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + bytes.length - 8 - headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(bytes, 8 + headerLength, bytes.length - 8 - headerLength);
        Files.write(file, out.array());
    }
}

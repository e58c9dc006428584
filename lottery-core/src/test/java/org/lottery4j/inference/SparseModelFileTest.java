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
import org.lottery4j.testing.SafetensorsFiles;

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
        assertThat(f.metadata()).containsEntry("format", "lottery4j-sparse-model").containsEntry("format_version", "3")
                .containsKey("provenance.lottery4j");
        assertThat(f.checksummed()).isTrue();
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
        assertThat(manifest.get("steps").get(0).get("tensors").get("values").asText()).isEqualTo("0/fc1.values");
    }

    @Test
    void aChangedByteInATensorIsCaughtByTheFilesChecksum() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 0x10; // inside the last tensor's data
        Files.write(file, bytes);
        assertThatThrownBy(() -> SparseModel.load(file))
                .isInstanceOf(SparseModelFormatException.class)
                .hasMessageStartingWith(file + ": the file was damaged or changed: its SHA-256 over metadata, header and data is ");
    }

    /** The manifest and every setting in it are covered: an activation, a step's order, a number. */
    @Test
    void aChangedManifestIsCaughtByTheFilesChecksum() throws IOException {
        Path file = dir.resolve("leaky.safetensors");
        SparseModel.of(Nets.mixedConvNet(3)).save(file);
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String[] edit : new String[][] {
                {"\\\"kind\\\":\\\"tanh\\\"", "\\\"kind\\\":\\\"relu\\\""},
                {"\\\"alpha\\\":0.01", "\\\"alpha\\\":0.00"}}) {
            assertThat(text).contains(edit[0]);
            Path changed = dir.resolve("changed.safetensors");
            Files.write(changed, text.replace(edit[0], edit[1]).getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> SparseModel.load(changed))
                    .isInstanceOf(SparseModelFormatException.class)
                    .hasMessageStartingWith(changed + ": the file was damaged or changed");
        }
        Path swapped = saved();
        rewriteManifest(swapped, m -> {
            ArrayNode steps = (ArrayNode) m.get("steps");
            steps.insert(1, steps.remove(3));
        }, false);
        assertThatThrownBy(() -> SparseModel.load(swapped))
                .hasMessageStartingWith(swapped + ": the file was damaged or changed");
    }

    @Test
    void aFileWithoutItsChecksumIsRefused() throws IOException {
        Path file = saved();
        rewriteMetadata(file, m -> m.remove("sha256"), false);
        assertThatThrownBy(() -> SparseModel.load(file))
                .isInstanceOf(SparseModelFormatException.class)
                .hasMessage(file + ": has no sha256 in its metadata: damaged, or not written by SparseModel.save");
    }

    @Test
    void aTruncatedFileIsNotAModel() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> SparseModel.load(file))
                .isInstanceOf(SparseModelFormatException.class)
                .hasMessageContaining("truncated or trailing bytes");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SparseModel.load(file)).isInstanceOf(SparseModelFormatException.class)
                .hasMessageContaining("not a safetensors file").hasMessageContaining("shorter than the 8-byte header length");
    }

    @Test
    void anotherSafetensorsFileAnOlderOrANewerVersionIsRefusedNamingTheField() throws IOException {
        Path file = saved();
        rewriteMetadata(file, m -> m.put("format", "pt"), true);
        assertThatThrownBy(() -> SparseModel.load(file))
                .hasMessage(file + ": not a sparse model file: format is 'pt', expected 'lottery4j-sparse-model'"
                        + " (SparseModel.save writes it)");
        Path newer = saved();
        rewriteMetadata(newer, m -> m.put("format_version", "4"), true);
        assertThatThrownBy(() -> SparseModel.load(newer))
                .hasMessage(newer + ": format_version 4 is not supported; this lottery4j reads versions 2 to 3"
                        + " (written by a newer lottery4j)");
        // version 2, a chain without 'reads', reads as it is
        Path two = saved();
        rewriteMetadata(two, m -> m.put("format_version", "2"), true);
        assertThat(SparseModel.load(two).steps()).isEqualTo(SparseModel.load(saved()).steps());
        Path older = saved();
        rewriteMetadata(older, m -> m.put("format_version", "1"), true);
        assertThatThrownBy(() -> SparseModel.load(older))
                .hasMessage(older + ": format_version 1 is not supported; this lottery4j reads versions 2 to 3"
                        + " (version 1 did not checksum its manifest): make the model again from its ticket, "
                        + "SparseModel.of(ticket).save(file)");
    }

    @Test
    void aManifestThatDoesNotFitItsTensorsIsRefusedNamingTheStep() throws IOException {
        Path unknownKind = saved();
        rewriteManifest(unknownKind, m -> ((ObjectNode) m.get("steps").get(1)).put("kind", "gelu"), true);
        assertThatThrownBy(() -> SparseModel.load(unknownKind))
                .hasMessageContaining("step 1 (gelu, layer 'fc1'): unknown kind 'gelu'");

        Path wrongWidth = saved();
        rewriteManifest(wrongWidth, m -> ((ObjectNode) m.get("steps").get(2)).put("inputs", 301), true);
        assertThatThrownBy(() -> SparseModel.load(wrongWidth))
                .hasMessageContaining("the steps do not fit together")
                .hasMessageContaining("layer 'fc2' (linear): takes 301 features per example but gets [300]");

        Path missing = saved();
        rewriteManifest(missing, m -> ((ObjectNode) m.get("steps").get(0).get("tensors")).remove("bias"), true);
        assertThatThrownBy(() -> SparseModel.load(missing))
                .hasMessageContaining("step 0 (linear, layer 'fc1'): lists no tensor name for 'bias'");

        Path shared = saved();
        rewriteManifest(shared, m -> ((ObjectNode) m.get("steps").get(2).get("tensors")).put("bias", "0/fc1.bias"), true);
        assertThatThrownBy(() -> SparseModel.load(shared))
                .hasMessageContaining("step 2 (linear, layer 'fc2'): tensor '0/fc1.bias' belongs to another step or field too");

        Path orphan = saved();
        rewriteManifest(orphan, m -> ((ArrayNode) m.get("steps")).remove(4), true);
        assertThatThrownBy(() -> SparseModel.load(orphan))
                .hasMessageContaining("tensors [4/output.bias, 4/output.rows, 4/output.start, 4/output.values]"
                        + " belong to no step of the manifest");

        Path badPadding = dir.resolve("conv.safetensors");
        SparseModel.of(Nets.mnistConvNet(1, false)).save(badPadding);
        rewriteManifest(badPadding, m -> ((ObjectNode) m.get("steps").get(1)).put("padding", "valid"), true);
        assertThatThrownBy(() -> SparseModel.load(badPadding))
                .hasMessageContaining("step 1 (conv, layer 'conv1'): 'padding' must be [top, left, bottom, right]"
                        + " or \"same\", got \"valid\"");
    }

    /**
     * Numbers at the edges of their range, with the checksum recomputed (as a forger would): each
     * refused naming the step and the field, never an ArithmeticException or a huge allocation.
     */
    @Test
    void extremeNumbersAreRefusedNamingTheStepAndField() throws IOException {
        Path conv = dir.resolve("conv.safetensors");
        SparseModel.of(Nets.mnistConvNet(1, false)).save(conv);
        record Case(java.util.function.Consumer<ObjectNode> edit, String message) {}
        List<Case> cases = List.of(
                new Case(m -> step(m, 1).putArray("kernel").add(Integer.MAX_VALUE).add(Integer.MAX_VALUE),
                        "layer 'conv1' (conv): a filter of 1 channels and kernel [2147483647, 2147483647] has more than "
                                + "2147483647 weights"),
                new Case(m -> step(m, 1).putArray("kernel").add(3).add(-3),
                        "step 1 (conv, layer 'conv1'): 'kernel' must be a list of integers from 1 to 2147483647, got [3,-3]"),
                new Case(m -> step(m, 1).putArray("stride").add(1).add(4294967297L),
                        "step 1 (conv, layer 'conv1'): 'stride' must be a list of integers from 1 to 2147483647, got [1,4294967297]"),
                new Case(m -> step(m, 1).putArray("dilation").add(1 << 30).add(1 << 30),
                        "layer 'conv1' (conv): a window of kernel [5, 5], dilation [1073741824, 1073741824] and padding "),
                new Case(m -> step(m, 1).putArray("padding").add(Integer.MAX_VALUE).add(1).add(Integer.MAX_VALUE).add(1),
                        "spans more than 2147483647 positions"),
                new Case(m -> step(m, 1).put("outputs", Integer.MAX_VALUE),
                        "layer 'conv1' (conv): inconsistent convolution: 1 -> 2147483647 channels"),
                new Case(m -> m.putArray("input").add(65536).add(65536).add(1),
                        "manifest: 'input' [65536,65536,1] has more than 2147483647 values per example"),
                new Case(m -> m.putArray("input").add(1).add(0).add(28),
                        "manifest: 'input' must be a list of integers from 1 to 2147483647, got [1,0,28]"));
        for (Case c : cases) {
            Path file = dir.resolve("edge.safetensors");
            Files.copy(conv, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            rewriteManifest(file, c.edit(), true);
            assertThatThrownBy(() -> SparseModel.load(file))
                    .isInstanceOf(SparseModelFormatException.class)
                    .hasMessageContaining(c.message());
        }
        Path lenet = saved();
        rewriteManifest(lenet, m -> ((ObjectNode) m.get("steps").get(1)).put("kind", "leakyrelu").put("alpha", 1e39), true);
        assertThatThrownBy(() -> SparseModel.load(lenet))
                .hasMessageContaining("step 1 (leakyrelu, layer 'fc1'): 'alpha' must be a finite number, got 1.0E39");
        Path reshape = saved();
        rewriteManifest(reshape, m -> ((ArrayNode) m.get("steps")).insert(0, JSON.createObjectNode()
                .put("kind", "reshape").put("layer", "r").<ObjectNode>set("tensors", JSON.createObjectNode())
                .set("shape", JSON.createArrayNode().add(65536).add(65536))), true);
        assertThatThrownBy(() -> SparseModel.load(reshape))
                .hasMessageContaining("layer 'r' (reshape): cannot reshape to [65536, 65536]: examples of shape "
                        + "[65536, 65536] have more than 2147483647 values");
    }

    /** A field or tensor that a step of its kind does not have means damage, not something to skip. */
    @Test
    void fieldsAStepDoesNotHaveAreRefused() throws IOException {
        Path extra = saved();
        rewriteManifest(extra, m -> step(m, 1).put("alpha", 0.5), true); // a relu with a leaky relu's slope
        assertThatThrownBy(() -> SparseModel.load(extra))
                .hasMessageContaining("step 1 (relu, layer 'fc1'): has the field 'alpha', which a step of this kind does "
                        + "not have (its fields: [kind, layer, reads, tensors])");
        Path tensor = saved();
        rewriteManifest(tensor, m -> ((ObjectNode) step(m, 1).get("tensors")).put("values", "0/fc1.values"), true);
        assertThatThrownBy(() -> SparseModel.load(tensor))
                .hasMessageContaining("step 1 (relu, layer 'fc1'): has a tensor for 'values', which a step of this kind "
                        + "does not have (its tensors: [])");
        Path top = saved();
        rewriteManifest(top, m -> m.put("version", 3), true);
        assertThatThrownBy(() -> SparseModel.load(top))
                .hasMessageContaining("manifest needs an 'input' shape and a 'steps' list, and nothing else");
        Path longName = saved();
        rewriteManifest(longName, m -> step(m, 1).put("layer", "x".repeat(1025)), true);
        assertThatThrownBy(() -> SparseModel.load(longName))
                .hasMessageContaining("a layer name has at most 1024 characters");
    }

    private static ObjectNode step(ObjectNode manifest, int i) {
        return (ObjectNode) manifest.get("steps").get(i);
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

    private static void rewriteManifest(Path file, java.util.function.Consumer<ObjectNode> change, boolean resign)
            throws IOException {
        rewriteMetadata(file, m -> {
            try {
                ObjectNode manifest = (ObjectNode) JSON.readTree(m.get("manifest"));
                change.accept(manifest);
                m.put("manifest", JSON.writeValueAsString(manifest));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, resign);
    }

    /**
     * Rewrites the file's {@code __metadata__}, its tensors as they are: with {@code resign}, as the
     * writer would write it (a new checksum: a deliberate edit), otherwise in place with the
     * checksum as it was (damage).
     */
    private static void rewriteMetadata(Path file, java.util.function.Consumer<Map<String, String>> change,
            boolean resign) throws IOException {
        if (resign) {
            SafetensorsFiles.rewriteMetadata(file, change);
            return;
        }
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

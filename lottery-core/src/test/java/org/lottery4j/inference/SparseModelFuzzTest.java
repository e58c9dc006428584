package org.lottery4j.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.testing.Fuzz;
import org.lottery4j.testing.Graphs;
import org.lottery4j.testing.JsonEdits;
import org.lottery4j.testing.Nets;
import org.lottery4j.testing.SafetensorsFiles;

/**
 * Thousands of damaged copies of a sparse model file ({@link Fuzz}) with every kind of step: each
 * refused with a {@link SparseModelFormatException} naming the file, or read as the same model
 * (same steps, outputs equal bit for bit). Structural edits of the manifest, with the file's
 * checksum recomputed, may read as another model only as what the edited manifest says: the model
 * saved again has the edited manifest, and each step's tensors hold the edited file's bytes.
 */
class SparseModelFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void damagedSparseModelsFailClearlyOrReadTheSame() throws Exception {
        fuzz("sparse model", SparseModel.of(Nets.mixedConvNet(3)), 20261209);
    }

    @Test
    @Timeout(600)
    void damagedSparseModelsOfGraphsFailClearlyOrReadTheSame() throws Exception {
        fuzz("sparse model of a graph", SparseModel.of(Graphs.everyVertex(ElementWiseVertex.Op.Add, 5)), 20261220);
    }

    private void fuzz(String format, SparseModel original, long seed) throws Exception {
        Path file = dir.resolve("model.safetensors");
        original.save(file);
        float[] x = SparseModelTest.randomInput(1, 3, original.inputSize()).dup('c').data().asFloat();
        int[] expected = Nets.bits(original.output(x, 3));

        Fuzz.of(format, Files.readAllBytes(file), SparseModel::load, SparseModelFormatException.class)
                .same(read -> read.steps().equals(original.steps())
                        && Arrays.equals(read.inputShape(), original.inputShape())
                        && Arrays.equals(Nets.bits(read.output(x, 3)), expected))
                .structural((bytes, random) -> {
                    Path copy = Files.write(dir.resolve("edit.safetensors"), bytes);
                    SafetensorsFiles.rewriteMetadata(copy, m -> m.put("manifest", JsonEdits.edit(m.get("manifest"), random)));
                    return Files.readAllBytes(copy);
                }, this::readsAsWritten)
                .run(dir, seed, Fuzz.cases(400))
                .print()
                .assertClean();
    }

    /**
     * The same settings: the same fields, equal text and lists, integers equal, other numbers equal
     * as the floats the model keeps (an edited {@code "alpha": 1} is the slope {@code 1.0f}).
     */
    private static boolean sameSettings(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.isIntegralNumber() && b.isIntegralNumber() ? a.bigIntegerValue().equals(b.bigIntegerValue())
                    : a.floatValue() == b.floatValue();
        }
        if (a.isContainerNode() && b.isContainerNode() && a.getNodeType() == b.getNodeType() && a.size() == b.size()) {
            if (a.isArray()) {
                for (int i = 0; i < a.size(); i++) {
                    if (!sameSettings(a.get(i), b.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!b.has(f) || !sameSettings(a.get(f), b.get(f))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Saved again, the model has the edited manifest (tensor names aside) and the edited file's tensors. */
    private boolean readsAsWritten(byte[] edited, SparseModel read) throws Exception {
        Path editedFile = Files.write(dir.resolve("edited.safetensors"), edited);
        Path again = dir.resolve("again.safetensors");
        read.save(again);
        SafetensorsFile a = SafetensorsFile.read(editedFile);
        SafetensorsFile b = SafetensorsFile.read(again);
        JsonNode ma = JSON.readTree(a.metadata().get("manifest"));
        JsonNode mb = JSON.readTree(b.metadata().get("manifest"));
        if (!ma.path("input").equals(mb.path("input")) || ma.path("steps").size() != mb.path("steps").size()) {
            return false;
        }
        for (int i = 0; i < ma.path("steps").size(); i++) {
            ObjectNode sa = (ObjectNode) ma.path("steps").get(i).deepCopy();
            ObjectNode sb = (ObjectNode) mb.path("steps").get(i).deepCopy();
            for (ObjectNode step : new ObjectNode[] {sa, sb}) {
                if (!step.has("reads")) { // what a step without 'reads' reads: the step before it
                    step.putArray("reads").add(i - 1);
                }
            }
            JsonNode ta = sa.remove("tensors");
            JsonNode tb = sb.remove("tensors");
            if (!sameSettings(sa, sb) || ta.size() != tb.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ta.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                if (!tb.has(t.getKey())
                        || !Arrays.equals(a.bytes(t.getValue().asText()), b.bytes(tb.get(t.getKey()).asText()))) {
                    return false;
                }
            }
        }
        return true;
    }
}

package org.lottery4j.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.testing.Fuzz;
import org.lottery4j.testing.JsonEdits;

/**
 * Thousands of damaged copies of a study file ({@link Fuzz}). A study file is text that people
 * write and edit, with no checksum, so damage that leaves a valid study is read as that study: the
 * fuzz checks that it is read exactly as written (the fields a plain, strict JSON parser finds,
 * each value as text), and that everything else is refused with a {@link StudySpecException}
 * naming the file: never another exception, never trailing bytes or a duplicate key taken in.
 */
class StudySpecFuzzTest {

    private static final String STUDY = """
            {
              "name": "fuzz",
              "base": {"dataset.name": "mnist-10k", "dataset.batchSize": 60, "model.name": "lenet-300-100",
                       "training.learningRate": 1.2e-3, "training.budget": "1ep", "pruning.rounds": 2,
                       "pruning.rewind": "init", "controls": ["reinit", "random_pruning"]},
              "axes": {"pruning.scope": ["layerwise", "global"], "training.seed": [1, 2, 3]},
              "runs": [{"pruning.fraction": 0.2}, {"pruning.fraction": 0.5, "pruning.rewind": "iteration:100"}]
            }
            """;

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void damagedStudyFilesAreRefusedOrReadAsWritten() throws Exception {
        StudySpec original = StudySpec.parse(STUDY, dir.resolve("fuzz.json"));
        Fuzz.of("study file", STUDY.getBytes(StandardCharsets.UTF_8), StudySpec::read, StudySpecException.class)
                .suffix(".json")
                .same(read -> read.name().equals(original.name()) && read.base().equals(original.base())
                        && read.axes().equals(original.axes()) && read.explicitRuns().equals(original.explicitRuns())
                        && read.runs().equals(original.runs()))
                .noIntegrity(StudySpecFuzzTest::readsAsWritten)
                .structural((bytes, random) -> JsonEdits.edit(new String(bytes, StandardCharsets.UTF_8), random)
                        .getBytes(StandardCharsets.UTF_8), StudySpecFuzzTest::readsAsWritten)
                .run(dir, 20261213, Fuzz.cases(400))
                .print()
                .assertClean();
    }

    /** The study a plain, strict JSON parser finds in {@code bytes}, each value as its text. */
    private static boolean readsAsWritten(byte[] bytes, StudySpec read) throws Exception {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        JsonNode root = STRICT.readTree(text);
        Map<String, List<String>> axes = new LinkedHashMap<>();
        root.path("axes").fields().forEachRemaining(a -> {
            List<String> values = new ArrayList<>();
            a.getValue().forEach(v -> values.add(v.asText()));
            axes.put(a.getKey(), values);
        });
        List<Map<String, String>> runs = new ArrayList<>();
        root.path("runs").forEach(r -> runs.add(fields(r)));
        return read.name().equals(root.get("name").textValue()) && read.base().equals(fields(root.get("base")))
                && read.axes().equals(axes) && read.explicitRuns().equals(runs);
    }

    private static Map<String, String> fields(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isArray()) { // the control arms, a list
                List<String> arms = new ArrayList<>();
                v.forEach(a -> arms.add(a.textValue()));
                out.put(f.getKey(), arms.isEmpty() ? "none" : String.join(",", arms));
            } else {
                out.put(f.getKey(), v.asText());
            }
        }
        return out;
    }
}

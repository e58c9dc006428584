package org.lottery4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Study files as an attacker or a clumsy user writes them (issue 21): each a clear StudySpecException. */
class StudyFileLimitsTest {

    private static final String BASE = "\"base\": {\"dataset.name\": \"mnist-10k\", \"model.name\": \"lenet-300-100\"}";

    @TempDir
    Path dir;

    @Test
    void aDeeplyNestedFileIsRefusedNamingTheFileNotWithANullPointerException() throws Exception {
        Path file = Files.writeString(dir.resolve("deep.json"), "{\"name\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertThatThrownBy(() -> StudySpec.read(file))
                .isInstanceOf(StudySpecException.class)
                .hasMessageStartingWith(file + ": $: not valid JSON: Document nesting depth (1001) exceeds the maximum allowed");
    }

    @Test
    void aHugeStringIsRefusedByTheFilesSizeBeforeItIsParsed() throws Exception {
        Path file = Files.writeString(dir.resolve("big.json"), "{\"name\": \"" + "x".repeat(50 << 20) + "\"}");
        assertThatThrownBy(() -> StudySpec.read(file))
                .isInstanceOf(StudySpecException.class)
                .hasMessage(file + ": $: has 52,428,812 bytes; a study file has at most 1,048,576 (a study is a few "
                        + "kilobytes of JSON)");
        // and as text handed to the parser, Jackson's own string limit: still a clear error
        assertThatThrownBy(() -> StudySpec.parse("{\"name\": \"" + "x".repeat(21 << 20) + "\"}", file))
                .isInstanceOf(StudySpecException.class)
                .hasMessageStartingWith(file + ": $: not valid JSON: String value length (")
                .hasMessageContaining(") exceeds the maximum allowed (20000000");
    }

    @Test
    void anythingAfterTheStudyIsRefused() {
        Path file = dir.resolve("s.json");
        assertThatThrownBy(() -> StudySpec.parse("{\"name\": \"s\", " + BASE + "} garbage", file))
                .isInstanceOf(StudySpecException.class)
                .hasMessageStartingWith(file + ": $: not valid JSON at line 1, column ")
                .hasMessageContaining("Unrecognized token 'garbage'");
        assertThatThrownBy(() -> StudySpec.parse("{\"name\": \"s\", " + BASE + "} {}", file))
                .hasMessageContaining("Trailing token (of type START_OBJECT) found after value");
        assertThatThrownBy(() -> StudySpec.parse("{\"name\": \"s\", \"name\": \"t\", " + BASE + "}", file))
                .hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(() -> StudySpec.parse("   ", file))
                .hasMessage(file + ": $: is empty; a study is a JSON object with name, base, axes, runs, baseline");
    }

    @Test
    void aStudyOfMoreRunsThanTheLimitIsRefusedBeforeItExpandsWithItsCount() throws Exception {
        StringBuilder seeds = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            seeds.append(i == 0 ? "" : ", ").append(i);
        }
        String json = "{\"name\": \"big\", " + BASE + ", \"axes\": {\"training.seed\": [" + seeds
                + "], \"pruning.fraction\": [" + "0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, ".repeat(99) + "0.5]}}";
        Path file = dir.resolve("big.json");
        long start = System.nanoTime();
        assertThatThrownBy(() -> StudySpec.parse(json, file))
                .isInstanceOf(StudySpecException.class)
                .hasMessage(file + ": $: expands to 396,400 runs (training.seed x400, pruning.fraction x991), more than "
                        + "the limit of 10,000; check the axes, or allow more (study run --max-runs N)");
        assertThat((System.nanoTime() - start) / 1e9).as("refused before expanding").isLessThan(5);
        String seedsOnly = "{\"name\": \"seeds\", " + BASE + ", \"axes\": {\"training.seed\": [" + seeds + "]}}";
        assertThat(StudySpec.parse(seedsOnly, file, 1_000).runs()).hasSize(400);
        assertThatThrownBy(() -> StudySpec.parse(seedsOnly, file, 399))
                .hasMessageStartingWith(file + ": $: expands to 400 runs (training.seed x400), more than the limit of 399");
    }

    @Test
    void theSummarySaysHowTheStudyExpands() throws Exception {
        StudySpec spec = StudySpec.parse("{\"name\": \"s\", " + BASE
                + ", \"axes\": {\"pruning.scope\": [\"layerwise\", \"global\"], \"training.seed\": [1, 2]}}", dir.resolve("s.json"));
        assertThat(spec.summary()).isEqualTo("4 runs (pruning.scope x2, training.seed x2)");
        StudySpec same = StudySpec.parse("{\"name\": \"s\", " + BASE
                + ", \"axes\": {\"pruning.fraction\": [0.2, 0.20]}}", dir.resolve("s.json"));
        assertThat(same.summary()).isEqualTo("1 run (pruning.fraction x2; 2 combinations, some of them the same experiment)");
    }

    @Test
    void aFolderOrANonUtf8FileIsNamed() throws Exception {
        assertThatThrownBy(() -> StudySpec.read(dir))
                .isInstanceOf(StudySpecException.class)
                .hasMessage(dir + ": $: is a folder, not a study file");
        Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        assertThatThrownBy(() -> StudySpec.read(latin1))
                .hasMessage(latin1 + ": $: is not UTF-8 text");
    }
}

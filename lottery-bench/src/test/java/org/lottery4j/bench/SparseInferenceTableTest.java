package org.lottery4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseInferenceTableTest {

    // What JMH writes with -rf json, cut to the fields the table reads.
    private static String result(String benchmark, String model, String sparsity, String batch, double score,
            String unit) {
        return """
                {"benchmark": "org.lottery4j.bench.%s", "mode": "avgt",
                 "params": {"model": "%s", "sparsity": "%s", "batch": "%s"},
                 "primaryMetric": {"score": %s, "scoreError": 0.1, "scoreUnit": "%s"}}
                """.formatted(benchmark, model, sparsity, batch, score, unit);
    }

    @Test
    void readsTheInferenceBenchmarksInMicrosecondsAndSkipsOthers(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("sparse.json");
        Files.writeString(json, "[" + String.join(",",
                result("SparseInferenceBenchmark.ortDense", "conv2", "0.9", "1", 2.5, "ms/op"),
                result("SparseInferenceBenchmark.sparse", "conv2", "0.9", "1", 500, "us/op"),
                result("MlpKernelBenchmark.floor", "lenet", "0.9", "64", 8000, "ns/op"),
                result("PruningBenchmark.prune", "x", "0", "1", 1, "us/op")) + "]");

        assertThat(SparseInferenceTable.read(json)).containsExactly(
                new SparseInferenceTable.Point("conv2", "ortDense", 0.9, 1, 2500),
                new SparseInferenceTable.Point("conv2", "sparse", 0.9, 1, 500),
                new SparseInferenceTable.Point("lenet", "floor", 0.9, 64, 8));
    }

    @Test
    void tabulatesEachModelRatiosFirstWithARowPerSparsityAndAColumnPerBatch() {
        List<SparseInferenceTable.Point> points = List.of(
                new SparseInferenceTable.Point("resnet20", "ortDense", 0.5, 1, 3000),
                new SparseInferenceTable.Point("lenet", "sparse", 0.9, 8, 100),
                new SparseInferenceTable.Point("lenet", "ortDense", 0.9, 8, 250),
                new SparseInferenceTable.Point("lenet", "ortDense", 0.9, 1, 42.25),
                new SparseInferenceTable.Point("lenet", "dl4j", 0.98, 1, 16360));

        String md = SparseInferenceTable.markdown(points);

        assertThat(md.indexOf("### lenet")).isLessThan(md.indexOf("### resnet20"));
        String lenet = md.substring(md.indexOf("### lenet"), md.indexOf("### resnet20"));
        assertThat(lenet).contains("""
                **ortDense / sparse: times faster than ONNX Runtime, one thread each**

                | pruned | batch 1 | batch 8 |
                | ---: | ---: | ---: |
                | 90% |  | 2.50x |
                | 98% |  |  |
                """);
        assertThat(lenet).doesNotContain("two threads each"); // neither engine measured
        assertThat(lenet.indexOf("**dl4j: microseconds")).isLessThan(lenet.indexOf("**ortDense: microseconds"));
        assertThat(lenet).contains("| 90% | 42.3 | 250 |").contains("| 98% | 16,360 |  |");
        assertThat(md.substring(md.indexOf("### resnet20"))).contains("| 50% | 3,000 |");
    }

    @Test
    void refusesAFileThatIsNotJmhJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("other.json");
        Files.writeString(json, "{\"benchmark\": 1}");

        assertThatThrownBy(() -> SparseInferenceTable.read(json)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a JMH JSON result file");
    }
}

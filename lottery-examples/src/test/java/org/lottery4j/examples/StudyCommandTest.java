package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code study run|status|report} on a tiny study of the bundled digits: 2 scopes x 2 seeds, 20 iterations. */
class StudyCommandTest {

    private static final String NL = System.lineSeparator();

    static final String TINY = """
            {"name": "tiny",
             "base": {"dataset.name": "mnist-10k", "dataset.batchSize": 60, "dataset.validationExamples": 500,
                      "model.name": "lenet-300-100", "training.budget": "20it", "training.evalEvery": "10it",
                      "pruning.rounds": 1, "controls": ["reinit"]},
             "axes": {"pruning.scope": ["layerwise", "global"], "training.seed": [1, 2]}}
            """;

    @TempDir
    Path dir;

    @Test
    void runsReportsStatusAndRebuildsTheSummary() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.json"), TINY);
        Path out = dir.resolve("out");

        String run = Console.out(() -> assertThat(Main.run("study", "run", spec.toString(), "--workers", "2",
                "--out", out.toString())).isZero());

        assertThat(run).isEqualTo("4 experiments: 4 done, 0 running, 0 failed, 0 left" + NL + "summary: " + out.resolve("summary.csv")
                + ", charts: " + out.resolve("index.html") + NL);
        String csv = Files.readString(out.resolve("summary.csv"));
        assertThat(csv.lines().skip(1).map(l -> String.join(",", java.util.Arrays.copyOf(l.split(","), 4))))
                .containsExactly("layerwise,0,ticket,2", "layerwise,1,ticket,2", "layerwise,1,reinit,2",
                        "global,0,ticket,2", "global,1,ticket,2", "global,1,reinit,2");
        assertThat(out.resolve("study.json")).hasContent(TINY);
        String page = Files.readString(out.resolve("index.html"));
        assertThat(page).contains("<title>tiny - lottery4j</title>", "<td class=\"v\">layerwise</td><td>1</td><td class=\"v\">reinit</td>");
        assertThat(out.resolve("charts/study-accuracy.svg")).isNotEmptyFile();

        String status = Console.out(() -> assertThat(Main.run("study", "status", out.toString())).isZero());
        assertThat(status).isEqualTo(run);

        Files.delete(out.resolve("summary.csv"));
        Files.delete(out.resolve("index.html"));
        String report = Console.out(() -> assertThat(Main.run("study", "report", out.toString())).isZero());
        assertThat(report).isEqualTo("summary of 4 of 4 experiments: " + out.resolve("summary.csv")
                + ", charts: " + out.resolve("index.html") + NL);
        assertThat(out.resolve("summary.csv")).hasContent(csv);
        assertThat(out.resolve("index.html")).hasContent(page);
    }

    @Test
    void theSparkExecutorGivesTheSummaryOfTheLocalOne() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.json"), TINY);
        Path local = dir.resolve("local");
        Path onSpark = dir.resolve("spark");
        String localRun = Console.out(() -> assertThat(Main.run("study", "run", spec.toString(), "--out",
                local.toString())).isZero());

        String sparkRun = Console.out(() -> assertThat(Main.run("study", "run", spec.toString(), "--executor", "spark",
                "--master", "local[2]", "--out", onSpark.toString())).isZero());

        assertThat(sparkRun).isEqualTo(localRun.replace(local.toString(), onSpark.toString()));
        assertThat(onSpark.resolve("summary.csv")).hasContent(Files.readString(local.resolve("summary.csv")));
        assertThat(onSpark.resolve("summary.json")).hasContent(Files.readString(local.resolve("summary.json")));
        assertThat(onSpark.resolve("index.html")).hasContent(Files.readString(local.resolve("index.html")));
        assertThat(onSpark.resolve(".staging")).doesNotExist(); // every attempt cleaned up after itself
    }

    @Test
    void badValuesAreReportedInOneLine() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.json"), TINY);
        assertThat(error(2, "study", "run", spec.toString(), "--workers", "0", "--out", dir.toString()))
                .isEqualTo("error: --workers must be >= 1, got 0 (see 'lottery-examples study run --help')" + NL);
        assertThat(error(2, "study", "run", spec.toString(), "--executor", "spark", "--workers", "2", "--out",
                dir.toString())).isEqualTo("error: --workers is for --executor local; on Spark, as many experiments "
                        + "train at once as the executors have task slots (see 'lottery-examples study run --help')" + NL);
        assertThat(error(2, "study", "run", spec.toString(), "--master", "local[2]", "--out", dir.toString()))
                .isEqualTo("error: --master is for --executor spark (see 'lottery-examples study run --help')" + NL);
        assertThat(error(2, "study", "run", spec.toString(), "--executor", "yarn", "--out", dir.toString()))
                .isEqualTo("error: Invalid value for option '--executor': expected one of [local, spark] (case-sensitive) "
                        + "but was 'yarn' (see 'lottery-examples study run --help')" + NL);
        Path conv = Files.writeString(dir.resolve("conv.json"), TINY.replace("lenet-300-100", "conv-6"));
        assertThat(error(2, "study", "run", conv.toString(), "--out", dir.toString()))
                .isEqualTo("error: " + conv + ": model.name conv-6 is not one this command trains; use lenet-300-100 "
                        + "(see 'lottery-examples study run --help')" + NL);
        Path full = Files.writeString(dir.resolve("full.json"), TINY.replace("mnist-10k", "mnist"));
        assertThat(error(2, "study", "run", full.toString(), "--out", dir.toString()))
                .isEqualTo("error: " + full + ": dataset.name mnist is not the digits loaded (mnist-10k, the bundled "
                        + "ones); use mnist-10k for the bundled digits, mnist with --mnist-dir or --download "
                        + "(see 'lottery-examples study run --help')" + NL);
        assertThat(error(2, "study", "status", dir.toString()))
                .isEqualTo("error: " + dir + " holds no study.json: is it a folder that 'study run' wrote? "
                        + "(see 'lottery-examples study status --help')" + NL);
        assertThat(error(2, "study"))
                .isEqualTo("error: name a study command: run, status or report (see 'lottery-examples study --help')" + NL);
        try (var files = Files.list(dir)) { // nothing ran
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tiny.json", "conv.json",
                    "full.json");
        }
    }

    private static String error(int code, String... args) {
        return Console.err(() -> assertThat(Main.run(args)).isEqualTo(code));
    }
}

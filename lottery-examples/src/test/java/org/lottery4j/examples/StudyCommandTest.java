package org.lottery4j.examples;

import java.nio.file.Files;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.testing.Summaries;

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

        String first = "study 'tiny': 4 runs (pruning.scope x2, training.seed x2)" + NL; // before anything else
        assertThat(run).isEqualTo(first + "4 experiments: 4 done, 0 running, 0 failed, 0 left" + NL + "summary: "
                + out.resolve("summary.csv") + ", charts: " + out.resolve("index.html") + NL);
        String csv = Files.readString(out.resolve("summary.csv"));
        assertThat(csv.lines().skip(1).map(l -> String.join(",", java.util.Arrays.copyOf(l.split(","), 4))))
                .containsExactly("layerwise,0,ticket,2", "layerwise,1,ticket,2", "layerwise,1,reinit,2",
                        "global,0,ticket,2", "global,1,ticket,2", "global,1,reinit,2");
        assertThat(out.resolve("study.json")).hasContent(TINY);
        String page = Files.readString(out.resolve("index.html"));
        assertThat(page).contains("<title>tiny - lottery4j</title>", "<td class=\"v\">layerwise</td><td>1</td><td class=\"v\">reinit</td>");
        assertThat(out.resolve("charts/study-accuracy.svg")).isNotEmptyFile();

        String status = Console.out(() -> assertThat(Main.run("study", "status", out.toString())).isZero());
        assertThat(first + status).isEqualTo(run);

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
        assertThat(Summaries.csv(onSpark.resolve("summary.csv"))).isEqualTo(Summaries.csv(local.resolve("summary.csv")));
        assertThat(Summaries.json(onSpark.resolve("summary.json"))).isEqualTo(Summaries.json(local.resolve("summary.json")));
        assertThat(onSpark.resolve("index.html")).hasContent(Files.readString(local.resolve("index.html")));
        assertThat(onSpark.resolve(".staging")).doesNotExist(); // every attempt cleaned up after itself
    }

    @Test
    void convolutionalModelsRunAsStudiesOnASubsetOfTheDigitsAndOnCifarFiles() throws Exception {
        String conv = """
                {"name": "conv",
                 "base": {"dataset.batchSize": 20, "dataset.validationExamples": 20, "model.name": "conv2",
                          "training.optimizer": "adam", "training.learningRate": 2e-4,
                          "training.budget": "1ep", "training.evalEvery": "2it", "training.seed": 3,
                          "pruning.fraction": 0.2, "pruning.scope": "layerwise fractions={conv1=0.1, conv2=0.1, output=0.1}",
                          "pruning.rounds": 1, "controls": "none"},
                 "axes": {"dataset.name": ["mnist-10k-first60-test40", "cifar10-first60-test40"]}}
                """;
        Path spec = Files.writeString(dir.resolve("conv.json"), conv);
        Path cifarDir = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        org.lottery4j.examples.cifar.CifarFiles.writeOfficialSize(cifarDir, 60);
        Path out = dir.resolve("out");

        String run = Console.out(() -> assertThat(Main.run("study", "run", spec.toString(), "--cifar-dir",
                cifarDir.toString(), "--workers", "2", "--out", out.toString())).isZero());

        assertThat(run).startsWith("study 'conv': 2 runs (dataset.name x2)" + NL + "2 experiments: 2 done, 0 running, 0 failed, 0 left");
        // the same runs as the cifar10 command's, which names its data the same way
        Path single = dir.resolve("single");
        Console.out(() -> assertThat(Main.run("cifar10", "--cifar-dir", cifarDir.toString(), "--subset", "60",
                "--test-subset", "40", "--validation", "20", "--batch", "20", "--epochs", "1", "--rounds", "1",
                "--controls", "none", "--seed", "3", "--eval-every", "2it", "--out", single.toString())).isZero());
        try (var folders = Files.list(single)) {
            String name = folders.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("lottery_"))
                    .findFirst().orElseThrow();
            assertThat(out.resolve(name).resolve("rounds.csv")).exists();
            assertThat(Files.readString(out.resolve(name).resolve("hparams.json")))
                    .isEqualTo(Files.readString(single.resolve(name).resolve("hparams.json")))
                    .contains("cifar10-first60-test40");
        }
    }

    @Test
    void underSparkSubmitTheMasterIsGivenOnce() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.json"), TINY);
        System.setProperty("spark.master", "spark://head:7077"); // as spark-submit sets it
        try {
            assertThat(error(2, "study", "run", spec.toString(), "--executor", "spark", "--master", "spark://other:7077",
                    "--out", dir.toString())).isEqualTo("error: --master spark://other:7077: spark.master is "
                            + "spark://head:7077 already (spark-submit's --master); give one master "
                            + "(see 'lottery-examples study run --help')" + NL);
        } finally {
            System.clearProperty("spark.master");
        }
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
        assertThat(error(2, "study", "run", spec.toString(), "--executor", "spark", "--master", "spark://head:7077",
                "--out", dir.toString())).isEqualTo("error: --master spark://head:7077: without spark-submit, "
                        + "--master runs Spark inside this JVM (local[N]); to run a study on a cluster, submit "
                        + "lottery-spark-job.jar with spark-submit --master spark://head:7077 (docs/spark-cluster.md) "
                        + "(see 'lottery-examples study run --help')" + NL);
        assertThat(error(2, "study", "run", spec.toString(), "--out", "s3a://bucket/quick"))
                .startsWith("error: --out: the study's folder s3a:/bucket/quick is a s3a: URI, not a path: a study "
                        + "needs a folder on a file system mounted at the same path on every host")
                .doesNotContain("without file:");
        assertThat(error(2, "study", "run", spec.toString(), "--executor", "spark", "--out", "file:///shared/quick"))
                .contains("is a file: URI, not a path").contains("; give the path itself, without file:");
        assertThat(dir.resolve("s3a:")).doesNotExist();
        assertThat(Path.of("s3a:")).doesNotExist();
        assertThat(error(2, "study", "run", spec.toString(), "--executor", "yarn", "--out", dir.toString()))
                .isEqualTo("error: Invalid value for option '--executor': expected one of [local, spark] (case-sensitive) "
                        + "but was 'yarn' (see 'lottery-examples study run --help')" + NL);
        Path conv = Files.writeString(dir.resolve("conv.json"), TINY.replace("lenet-300-100", "conv-6"));
        assertThat(error(2, "study", "run", conv.toString(), "--out", dir.toString()))
                .isEqualTo("error: " + conv + ": model.name conv-6 is not one this command trains; use lenet-300-100, "
                        + "conv2, conv4, conv6, resnet20 (see 'lottery-examples study run --help')" + NL);
        Path full = Files.writeString(dir.resolve("full.json"), TINY.replace("mnist-10k", "mnist"));
        assertThat(error(2, "study", "run", full.toString(), "--out", dir.toString()))
                .isEqualTo("error: " + full + ": dataset.name mnist is not the digits loaded (mnist-10k, the bundled "
                        + "ones); use mnist-10k for the bundled digits, mnist with --mnist-dir or --download "
                        + "(subsets are for the convolutional models) (see 'lottery-examples study run --help')" + NL);
        Path cifar = Files.writeString(dir.resolve("cifar.json"), TINY.replace("mnist-10k", "cifar10-first100")
                .replace("lenet-300-100", "conv2"));
        assertThat(error(2, "study", "run", cifar.toString(), "--out", dir.toString()))
                .isEqualTo("error: " + cifar + ": dataset.name cifar10 needs --cifar-dir DIR, the folder cifar-10-batches-bin of "
                        + "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz unpacked (see 'lottery-examples study run --help')" + NL);
        Path digits = Files.writeString(dir.resolve("digits.json"), TINY.replace("mnist-10k", "mnist-10k-first8000")
                .replace("lenet-300-100", "conv2"));
        assertThat(error(2, "study", "run", digits.toString(), "--out", dir.toString()))
                .isEqualTo("error: " + digits + ": dataset.name mnist-10k-first8000 names the data mnist-10k "
                        + "(see 'lottery-examples study run --help')" + NL);
        assertThat(error(2, "study", "status", dir.toString()))
                .isEqualTo("error: " + dir + " holds no study.json: is it a folder that 'study run' wrote? "
                        + "(see 'lottery-examples study status --help')" + NL);
        assertThat(error(2, "study"))
                .isEqualTo("error: name a study command: run, status or report (see 'lottery-examples study --help')" + NL);
        try (var files = Files.list(dir)) { // nothing ran
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tiny.json", "conv.json",
                    "full.json", "cifar.json", "digits.json");
        }
    }

    private static String error(int code, String... args) {
        return Console.err(() -> assertThat(Main.run(args)).isEqualTo(code));
    }
}

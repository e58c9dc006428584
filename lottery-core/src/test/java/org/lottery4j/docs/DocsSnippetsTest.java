package org.lottery4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.docs.MarkdownSnippets.Snippet;
import org.lottery4j.docs.SnippetRunner.Context;
import org.lottery4j.docs.SnippetRunner.Run;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.ticket.LotteryTicket;

/**
 * Compiles and runs the Java blocks of the repository's docs, README.md and every docs/*.md, read
 * from the Markdown files themselves.
 *
 * <p>A block is tested when the line before it names it, {@code <!-- snippet: NAME -->} (an HTML
 * comment, invisible on GitHub), and this class has a {@link Case} of that name: what the snippet
 * leaves to the reader (imports, variables such as {@code train} or {@code workload}) and what to
 * check after it ran. Every Java block of every page must be marked, a name names one block in all
 * the pages, and every case must find its block, so a snippet cannot silently stop being tested.
 * Snippets run in a fresh JVM whose working folder is an empty temporary folder; see
 * {@link SnippetRunner}.
 */
class DocsSnippetsTest {

    /** The repository root, from the module folder (Maven runs tests there). */
    static final Path ROOT = Path.of("..");

    /** README.md, then docs/*.md by name. */
    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        Path docs = ROOT.resolve("docs");
        if (!Files.isDirectory(docs)) {
            throw new IllegalStateException(docs.toAbsolutePath().normalize() + " not found: the docs tests read the "
                    + "Markdown files from the repository root, one folder above the module");
        }
        try (Stream<Path> s = Files.list(docs)) {
            s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Every marked block of every page, by name; a name used in two pages is an error naming both. */
    static Map<String, Snippet> snippets() throws IOException {
        Map<String, Snippet> all = new LinkedHashMap<>();
        for (Path page : pages()) {
            for (Snippet snippet : MarkdownSnippets.read(page).marked().values()) {
                Snippet before = all.putIfAbsent(snippet.name(), snippet);
                if (before != null) {
                    throw new IllegalArgumentException("snippet name '" + snippet.name() + "' names blocks in "
                            + before.file() + ":" + before.firstLine() + " and " + snippet.file() + ":"
                            + snippet.firstLine() + "; give each its own");
                }
            }
        }
        return all;
    }

    /** What a snippet needs around it, and a check of what it did. */
    record Case(Context context, Check check) {}

    interface Check {
        void verify(Run run) throws Exception;
    }

    static final Map<String, Case> CASES = cases();

    @TempDir
    Path dir;

    private static Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        Map<String, String> ndDefaultThreads = new HashMap<>();
        ndDefaultThreads.put("OMP_NUM_THREADS", null); // so the snippet, not the environment, sets them
        c.put("threads", new Case(Context.of()
                .imports("org.nd4j.linalg.factory.Nd4j", "org.nd4j.nativeblas.NativeOpsHolder")
                .epilogue("System.out.println(\"threads: \" + NativeOpsHolder.getInstance().getDeviceNativeOps()"
                        + ".ompGetMaxThreads() + \" omp, \" + Nd4j.factory().blas().getMaxThreads() + \" blas, \""
                        + " + Nd4j.getEnvironment().maxThreads() + \" env\");")
                .env(ndDefaultThreads),
                run -> assertThat(run.output()).contains("threads: 1 omp, 1 blas")));

        c.put("ticket-basic", new Case(Context.of()
                .imports("org.nd4j.linalg.dataset.api.iterator.DataSetIterator", "org.lottery4j.docs.DocsData")
                .prelude("DataSetIterator train = DocsData.mnistShaped(120, 60, 7);"),
                DocsSnippetsTest::fiveRoundsWithTheOutputLayerAtTenPercent));

        c.put("experiment", new Case(Context.of()
                .imports("org.nd4j.linalg.dataset.DataSet", "org.lottery4j.docs.DocsData")
                .prelude("DataSet train = DocsData.mnistShapedDataSet(1120, 7); DataSet test = DocsData.mnistShapedDataSet(200, 8);"),
                DocsSnippetsTest::twelveRoundsWrittenUnderOut));

        c.put("two-four", new Case(Context.of()
                .imports("org.deeplearning4j.nn.multilayer.MultiLayerNetwork", "org.lottery4j.rewind.RewindPoint",
                        "org.lottery4j.testing.Nets", "org.lottery4j.ticket.LotteryTicket")
                .prelude("""
                        MultiLayerNetwork net = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1); // nIn 12, 16, 8
                        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.fineTune()).build();
                        net.fit(Nets.data(120, 12, 1), 1);
                        """),
                DocsSnippetsTest::exportsTwoFourFiles));

        c.put("sparse-inference", new Case(Context.of()
                .imports("org.deeplearning4j.nn.multilayer.MultiLayerNetwork", "org.lottery4j.testing.Nets",
                        "org.lottery4j.ticket.LotteryTicket")
                .prelude("""
                        MultiLayerNetwork net = Nets.lenet(1);
                        LotteryTicket ticket = LotteryTicket.builder(net).build();
                        ticket.prune(0.9);
                        """)
                .epilogue("System.out.println(\"kept \" + again.nonZeros() + \", classes \" + classes.length"
                        + " + \", outputs \" + probabilities.length + \", threads \" + wide.threads());"),
                DocsSnippetsTest::savesASparseLenet));

        c.put("quick-start", new Case(Context.of()
                .imports("org.deeplearning4j.nn.multilayer.MultiLayerNetwork", "org.lottery4j.testing.Nets",
                        "org.nd4j.linalg.dataset.DataSet", "org.nd4j.linalg.dataset.api.iterator.DataSetIterator",
                        "org.lottery4j.docs.DocsData")
                .prelude("""
                        MultiLayerNetwork net = Nets.lenet(1);
                        DataSetIterator train = DocsData.mnistShaped(120, 60, 7);
                        DataSet test = DocsData.mnistShapedDataSet(64, 8);
                        """),
                DocsSnippetsTest::fiveRoundsOfTwentyPercent));

        c.put("consumer-main", new Case(Context.of().program("consumer.Main"),
                DocsSnippetsTest::findsATicketAndRunsItSparse));

        c.put("training-loop", new Case(Context.of()
                .imports("org.deeplearning4j.nn.multilayer.MultiLayerNetwork", "org.lottery4j.testing.Nets",
                        "org.nd4j.linalg.dataset.DataSet", "org.lottery4j.docs.DocsData")
                .prelude("""
                        MultiLayerNetwork net = Nets.lenet(1);
                        DataSet train = DocsData.mnistShapedDataSet(240, 7);
                        DataSet test = DocsData.mnistShapedDataSet(100, 8);
                        """),
                DocsSnippetsTest::eightEpochsOfFourBatches));

        c.put("run-identity", new Case(Context.of(), DocsSnippetsTest::bindsAFolderAndRecordsAPhase));

        c.put("cheaper-tickets", new Case(Context.of()
                .imports("org.lottery4j.testing.Nets", "org.nd4j.linalg.dataset.DataSet", "org.lottery4j.docs.DocsData")
                .prelude("""
                        MultiLayerNetwork net = Nets.lenet(1);
                        DataSet train = DocsData.mnistShapedDataSet(240, 7);
                        DataSet test = DocsData.mnistShapedDataSet(100, 8);
                        """),
                run -> assertThat(run.output()).containsPattern("instability [0-9.E-]+, errors \\[")
                        .contains("RigL updates 2, masks 0.1")));
        return c;
    }

    @Test
    void everyJavaBlockIsMarkedAndEveryMarkedBlockIsTested() throws IOException {
        for (Path page : pages()) {
            assertThat(MarkdownSnippets.read(page).unmarked())
                    .as("```java blocks of " + page + " without a '<!-- snippet: NAME -->' line before them (lines "
                            + "listed): mark each and give it a Case in DocsSnippetsTest")
                    .isEmpty();
        }
        List<String> java = snippets().values().stream().filter(s -> s.language().equals("java"))
                .map(Snippet::name).toList();
        assertThat(java).as("Java snippets of the docs without a Case in DocsSnippetsTest").isSubsetOf(CASES.keySet());
    }

    @Test
    void theDocsAreTheReadmeAndEveryPageOfDocs() throws IOException {
        assertThat(pages()).extracting(p -> ROOT.relativize(p).toString().replace('\\', '/'))
                .startsWith("README.md").contains("docs/library-guide.md", "docs/performance.md");
    }

    @TestFactory
    Stream<DynamicTest> everySnippetCompilesAndRuns() throws IOException {
        Map<String, Snippet> snippets = snippets();
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Snippet snippet = snippets.get(e.getKey());
            if (snippet == null) {
                throw new AssertionError("no page of the docs has a block marked '<!-- snippet: " + e.getKey()
                        + " -->'; mark the ```java block it tested, or remove its Case from DocsSnippetsTest");
            }
            Run run = SnippetRunner.run(snippet, e.getValue().context(), dir.resolve(e.getKey()));
            e.getValue().check().verify(run);
        }));
    }

    /** Five rounds of 20%, the output layer's own 10%: exact counts, as the pruning contract says. */
    private static void fiveRoundsWithTheOutputLayerAtTenPercent(Run run) throws IOException {
        try (LotteryTicket ticket = LotteryTicket.load(run.workDir().resolve("ticket.zip"))) {
            assertThat(ticket.round()).isEqualTo(5);
            Map<String, SparsityReport.Entry> layers = ticket.sparsity().byLayer();
            assertThat(layers).containsKey("output");
            layers.forEach((layer, counts) -> assertThat(counts.remaining()).as(layer)
                    .isEqualTo(survivors(counts.total(), layer.equals("output") ? 0.1 : 0.2, 5)));
        }
    }

    private static long survivors(long total, double fraction, int rounds) {
        long left = total;
        for (int r = 0; r < rounds; r++) {
            left -= Math.round(fraction * left);
        }
        return left;
    }

    /** The dense round and 12 pruning rounds in rounds.csv, with both control arms' columns. */
    private static void twelveRoundsWrittenUnderOut(Run run) throws IOException {
        List<Path> folders;
        try (Stream<Path> s = Files.list(run.workDir().resolve("out"))) {
            folders = s.filter(p -> p.getFileName().toString().startsWith("lottery_")).toList();
        }
        assertThat(folders).hasSize(1);
        List<String> rows = Files.readAllLines(folders.get(0).resolve("rounds.csv"));
        assertThat(rows).hasSize(1 + 13);
        assertThat(rows.get(0)).contains("reinit_test_accuracy", "random_pruning_test_accuracy");
        assertThat(folders.get(0).resolve("results.json")).isNotEmptyFile(); // index.html is lottery-report's
    }

    /** LeNet-300-100 at 10% of each layer's weights (26,620 of 266,200), saved and read back. */
    private static void savesASparseLenet(Run run) throws IOException {
        assertThat(run.output()).contains("kept 26620, classes 64, outputs 640, threads 2");
        assertThat(org.lottery4j.inference.SparseModel.load(run.workDir().resolve("lenet.sparse.safetensors"))
                .nonZeros()).isEqualTo(26_620);
    }

    private static void exportsTwoFourFiles(Run run) throws IOException {
        assertThat(run.workDir().resolve("model.onnx")).isNotEmptyFile();
        assertThat(SafetensorsFile.read(run.workDir().resolve("weights.safetensors")).checkPattern().satisfied()).isTrue();
    }

    /** Five rounds of 20% of every layer, saved; a ticket closed by try-with-resources. */
    private static void fiveRoundsOfTwentyPercent(Run run) throws IOException {
        try (LotteryTicket ticket = LotteryTicket.load(run.workDir().resolve("ticket.zip"))) {
            assertThat(ticket.round()).isEqualTo(5);
            ticket.sparsity().byLayer().forEach((layer, counts) -> assertThat(counts.remaining()).as(layer)
                    .isEqualTo(survivors(counts.total(), 0.2, 5)));
        }
    }

    /**
     * The library guide's program: 20x64 + 64x4 = 1,536 weights halved four times to 96, and the
     * sparse model's outputs within 1e-5 of DL4J's (what .ci/consumer-check checks too).
     */
    private static void findsATicketAndRunsItSparse(Run run) throws IOException {
        assertThat(run.output()).contains("round 0: 1536 of 1536 weights, test accuracy ",
                "round 4: 96 of 1536 weights, test accuracy ",
                "sparse model: 96 non-zero weights, within 1e-5 of DL4J's output: true");
        assertThat(run.workDir().resolve("ticket.zip")).isNotEmptyFile();
    }

    /** 240 examples in batches of 60 for 8 epochs: 32 steps, every epoch's callback, no early stop. */
    private static void eightEpochsOfFourBatches(Run run) {
        assertThat(run.output()).contains("0: ", "20: ", "32: ", "epoch 0 done", "epoch 7 done",
                "32 steps, stopped early: false, last test accuracy ");
    }

    /** The canonical form printed, the folder bound by hparams.json, the phase's record written. */
    private static void bindsAFolderAndRecordsAPhase(Run run) throws IOException {
        assertThat(run.output()).startsWith("width.units=128\n");
        List<Path> folders;
        try (Stream<Path> s = Files.list(run.workDir().resolve("out"))) {
            folders = s.toList();
        }
        assertThat(folders).hasSize(1);
        assertThat(folders.get(0).getFileName().toString()).matches("width_[0-9a-f]{10}");
        assertThat(folders.get(0).resolve("hparams.json")).content().contains("width.units=128");
        assertThat(folders.get(0).resolve("result.json")).content().contains("test_accuracy");
    }
}

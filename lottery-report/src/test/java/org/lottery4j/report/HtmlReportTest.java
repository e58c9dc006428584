package org.lottery4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.results.ExperimentResult;

class HtmlReportTest {

    private static final Pattern HEADER = Pattern.compile("<th title=\"rounds\\.csv: ([a-z_]+)\">([^<]+)</th>");

    @TempDir
    Path dir;

    @Test
    void writesTheChartsAndAPageThatShowsThem() throws IOException {
        ExperimentResult result = TestResults.of(3, List.of("random_pruning", "reinit"));
        HtmlReport.write(dir, result);

        for (String chart : List.of("accuracy", "early-stop", "curves")) {
            assertThat(dir.resolve("charts/" + chart + ".png")).exists();
            assertThat(dir.resolve("charts/" + chart + ".svg")).exists();
        }
        assertThat(Files.readString(dir.resolve("charts/accuracy.svg")))
                .contains("random re-initialization (same masks)", "random pruning (same sparsity)", Charts.WEIGHTS_AXIS);
        String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("charts/accuracy.svg", "charts/curves.svg", "charts/early-stop.svg",
                "lottery_0123456789", "pruning.rewind", "4 rounds finished, control arms: random_pruning, reinit");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void theStabilityArmsPathsAreDrawnWithTheirInstabilityInTheCaption() throws IOException {
        ExperimentResult plain = TestResults.of(1, List.of("stability"));
        List<org.lottery4j.results.ArmResult> results = new java.util.ArrayList<>();
        for (org.lottery4j.results.ArmResult r : plain.results()) {
            results.add(!r.arm().equals("stability") ? r : new org.lottery4j.results.ArmResult(r.round(), r.arm(),
                    r.weightsRemaining(), r.layerRemaining(), r.training(), null,
                    org.lottery4j.stability.InstabilityResult.of(List.of(0.0, 0.5, 1.0), List.of(0.1, 0.135, 0.12),
                            List.of(0.3, 0.4, 0.35))));
        }
        ExperimentResult result = new ExperimentResult(plain.name(), plain.hparams(), plain.canonical(), plain.arms(),
                results, plain.provenance());
        HtmlReport.write(dir, result);
        assertThat(dir.resolve("charts/stability.svg")).exists();
        String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("charts/stability.svg", "round 1 2.50 points",
                "Stability (first of two copies): test accuracy at the end (%)");
        assertThat(Files.readString(dir.resolve("charts/stability.svg"))).contains("Test error between two copies");
        HtmlReport.write(dir.resolve("none"), TestResults.of(1, List.of("reinit")));
        assertThat(dir.resolve("none/charts/stability.svg")).doesNotExist();
    }

    @Test
    void theRoundsTableHasReadableHeadersNamingTheirCsvColumns() {
        ExperimentResult result = TestResults.of(2, List.of("random_pruning", "reinit"));
        Matcher m = HEADER.matcher(HtmlReport.page(result).html());
        List<String[]> headers = m.results().map(r -> new String[] {r.group(1), r.group(2)}).toList();

        assertThat(headers).extracting(h -> h[1]).containsExactly("Round", "Weights remaining (%)",
                "Test accuracy at the end (%)", "Highest test accuracy of the round (%)",
                "Early-stop iteration (lowest validation loss)", "Test accuracy at early stop (%)",
                "Random pruning (same sparsity): test accuracy at the end (%)",
                "Random re-initialization (same masks): test accuracy at the end (%)", "Training time (s)");
        // every header is a column of rounds.csv, under the name that says what it is
        String csvHeader = result.roundsCsv().lines().findFirst().orElseThrow();
        assertThat(headers).extracting(h -> h[0]).containsExactly("round", "weights_remaining", "test_accuracy",
                "best_test_accuracy", "early_stop_iteration", "test_accuracy_at_early_stop",
                "random_pruning_test_accuracy", "reinit_test_accuracy", "train_seconds");
        assertThat(List.of(csvHeader.split(","))).containsAll(headers.stream().map(h -> h[0]).toList());
    }

    @Test
    void theRoundsTableShowsPercentagesAsTheChartsDo() {
        String html = HtmlReport.page(TestResults.of(2, List.of("reinit"))).html();
        // round 2: 64% of the weights, 96.6% at the end (the highest), 96.1% at the early stop (it 50),
        // reinit 93%, 3.5 s of training
        assertThat(html).contains("<tr><td>0</td><td>100</td><td>97.00</td><td>97.00</td><td>50</td><td>96.50</td>"
                + "<td></td><td>1.5</td></tr>")
                .contains("<tr><td>2</td><td>64</td><td>96.60</td><td>96.60</td><td>50</td><td>96.10</td>"
                        + "<td>93.00</td><td>3.5</td></tr>");
    }

    @Test
    void everyArmOfTheResultAppearsEvenIfTheHyperparametersNoLongerNameIt() throws IOException {
        ExperimentResult result = TestResults.of(2, List.of("random_pruning", "reinit"));
        assertThat(result.hparams()).containsEntry("controls", "none");
        HtmlReport.write(dir, result);

        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("rounds.csv: random_pruning_test_accuracy", "rounds.csv: reinit_test_accuracy",
                "<td>92.00</td>", "<td>93.00</td>");
        for (String chart : List.of("accuracy", "early-stop")) {
            assertThat(Files.readString(dir.resolve("charts/" + chart + ".svg")))
                    .contains(">random pruning (same sparsity)<", ">random re-initialization (same masks)<");
        }
    }

    @Test
    void thePageShowsEachChartWithItsCaptionAndASentenceForAFlatEarlyStop() throws IOException {
        ExperimentResult result = TestResults.of(12, List.of("reinit"));
        String html = HtmlReport.page(result).html();
        assertThat(html).contains("<h1>Lottery-ticket experiment <code>lottery_0123456789</code></h1>",
                "<p>13 rounds finished, control arms: reinit. Data: <a href=\"rounds.csv\">rounds.csv</a>, "
                        + "<a href=\"results.json\">results.json</a>, <a href=\"hparams.json\">hparams.json</a>.</p>",
                "<figure><img src=\"charts/accuracy.svg\" alt=\"accuracy\"><figcaption><a href=\"charts/accuracy.png\">"
                        + "PNG</a></figcaption></figure>\n<figure><img src=\"charts/early-stop.svg\"",
                "<figure><img src=\"charts/curves.svg\" alt=\"curves\"><figcaption>The accuracy axis spans 93% to 98%, "
                        + "the range of the curves after their first evaluation (iteration 0, before training), which lies "
                        + "below it at 9.85%. <a href=\"charts/curves.png\">PNG</a></figcaption></figure>");
        assertThat(html).doesNotContain("No chart of the early-stopping iteration");

        // every run evaluated before and at the end of training: a sentence, no chart
        ExperimentResult once = TestResults.withCurves(result, c -> List.of(c.get(0), c.get(2)));
        HtmlReport.write(dir, once);
        String page = Files.readString(dir.resolve("index.html"));
        assertThat(page).contains("<figure><img src=\"charts/curves.svg\"", "</figure>\n<p>No chart of the "
                + "early-stopping iteration: every run was evaluated only before and at the end of its training, so its "
                + "lowest validation loss could not fall in between (early_stop_iteration in rounds.csv). A shorter "
                + "training.evalEvery shows when each round learned best.</p>\n<h2>Rounds</h2>")
                .doesNotContain("early-stop.svg");
        assertThat(dir.resolve("charts/early-stop.png")).doesNotExist();
        assertThat(dir.resolve("charts/curves.png")).exists();
    }

    @Test
    void thePageEscapesWhatTheRunNames() {
        ExperimentResult result = TestResults.of(1, List.of("<arm>"));
        ExperimentResult odd = new ExperimentResult("lottery_<b>&", Map.of("pruning.rewind", "\"init\" & <more>"),
                "a<b", result.arms(), result.results(), Map.of("os", "<linux>"));
        String html = HtmlReport.page(odd).html();
        assertThat(html).contains("<title>lottery_&lt;b&gt;&amp; - lottery4j</title>",
                "<code>lottery_&lt;b&gt;&amp;</code>", "control arms: &lt;arm&gt;.",
                "<td class=\"k\">&quot;init&quot; &amp; &lt;more&gt;</td>", "<pre>a&lt;b</pre>",
                "<td class=\"k\">&lt;linux&gt;</td>", "title=\"rounds.csv: &lt;arm&gt;_test_accuracy\">&lt;arm&gt;: test accuracy");
        assertThat(html).doesNotContain("<b>&", "<arm>", "<more>", "<linux>");
    }
}

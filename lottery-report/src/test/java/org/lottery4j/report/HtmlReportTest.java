package org.lottery4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.ResultsWriter;

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
    void theRoundsTableHasReadableHeadersNamingTheirCsvColumns() {
        ExperimentResult result = TestResults.of(2, List.of("random_pruning", "reinit"));
        Matcher m = HEADER.matcher(HtmlReport.html(result, List.of()));
        List<String[]> headers = m.results().map(r -> new String[] {r.group(1), r.group(2)}).toList();

        assertThat(headers).extracting(h -> h[1]).containsExactly("Round", "Weights remaining (%)",
                "Test accuracy at the end (%)", "Highest test accuracy of the round (%)",
                "Early-stop iteration (lowest validation loss)", "Test accuracy at early stop (%)",
                "Random pruning (same sparsity): test accuracy at the end (%)",
                "Random re-initialization (same masks): test accuracy at the end (%)", "Training time (s)");
        // every header is a column of rounds.csv, under the name that says what it is
        String csvHeader = ResultsWriter.csv(result).lines().findFirst().orElseThrow();
        assertThat(headers).extracting(h -> h[0]).containsExactly("round", "weights_remaining", "test_accuracy",
                "best_test_accuracy", "early_stop_iteration", "test_accuracy_at_early_stop",
                "random_pruning_test_accuracy", "reinit_test_accuracy", "train_seconds");
        assertThat(List.of(csvHeader.split(","))).containsAll(headers.stream().map(h -> h[0]).toList());
    }

    @Test
    void theRoundsTableShowsPercentagesAsTheChartsDo() {
        String html = HtmlReport.html(TestResults.of(2, List.of("reinit")), List.of());
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
}

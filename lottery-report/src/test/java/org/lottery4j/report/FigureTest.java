package org.lottery4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureTest {

    @TempDir
    Path dir;

    private static Figure grokking(boolean logX) {
        double[] steps = {0, 1, 10, 100, 1000};
        return new Figure("curve", "Grokking", "Step", logX, List.of(
                new Figure.Panel("Accuracy (%)", List.of(Figure.Series.of("train", steps, new double[] {1, 50, 100, 100, 100}),
                        Figure.Series.of("test", steps, new double[] {1, 0, 0, 30, 99}).colored(3)), 2),
                new Figure.Panel("Weight norm", List.of(new Figure.Series("norm", steps, new double[] {14, 15, 40, 60, 55},
                        new double[] {13, 14, 39, 59, 54}, new double[] {15, 16, 41, 61, 56}, -1)))),
                List.of(new Figure.Band(1, 10, "memorization"), new Figure.Band(10, 1000, "plateau")),
                List.of(new Figure.Line(600, "generalized")));
    }

    @Test
    void panelsShareTheXAxisAndALogAxisLeavesOutStepZero() {
        JFreeChart chart = grokking(true).chart();
        CombinedDomainXYPlot combined = (CombinedDomainXYPlot) chart.getXYPlot();
        @SuppressWarnings("unchecked")
        List<XYPlot> panels = combined.getSubplots();
        assertThat(panels).hasSize(2);
        XYDataset accuracy = panels.get(0).getDataset();
        assertThat(accuracy.getSeriesCount()).isEqualTo(2);
        assertThat(accuracy.getItemCount(0)).isEqualTo(4); // step 0 has no place on a log axis
        assertThat(accuracy.getXValue(0, 0)).isEqualTo(1.0);
        @SuppressWarnings("unchecked")
        List<XYPlot> linear = ((CombinedDomainXYPlot) grokking(false).chart().getXYPlot()).getSubplots();
        assertThat(linear.get(0).getDataset().getItemCount(0)).isEqualTo(5);
        // bands and the line on every panel; the explicit color of "test" is the palette's fourth
        assertThat(panels.get(1).getDomainMarkers(org.jfree.chart.ui.Layer.BACKGROUND)).hasSize(2);
        assertThat(panels.get(1).getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).hasSize(1);
        assertThat(panels.get(0).getRenderer().getSeriesPaint(1)).isEqualTo(Charts.ARM_COLORS[3]);
    }

    @Test
    void writesPngAndSvg() throws IOException {
        grokking(true).write(dir);
        assertThat(Files.size(dir.resolve("curve.png"))).isPositive();
        assertThat(Files.readString(dir.resolve("curve.svg"))).contains("<svg", "memorization", "generalized");
    }

    @Test
    void mismatchedSeriesAreNamed() {
        assertThatThrownBy(() -> Figure.Series.of("test", new double[] {1, 2}, new double[] {1}))
                .hasMessage("series test: x, y and the interval need as many values (2 x, 1 y)");
        assertThatThrownBy(() -> new Figure("f", "t", "x", false, List.of(), List.of(), List.of()))
                .hasMessage("figure f needs at least one panel");
    }

    @Test
    void aPageEscapesItsTextAndShowsItsFiguresTablesAndCanonicalForm() throws IOException {
        ReportPage page = ReportPage.titled("Grokking <run>")
                .paragraph("train & test")
                .links(Map.of("curve.csv", "curve.csv"))
                .figure(grokking(true))
                .table("Steps", List.of("arm", "steps"), List.of(List.of("dense", "600"), List.of("ticket", "<200")))
                .keyValues("Hyperparameters", Map.of("grokking.p", "97"))
                .canonical("grokking.p=97");
        String html = page.html();
        assertThat(html).contains("<title>Grokking &lt;run&gt; - lottery4j</title>", "<p>train &amp; test</p>",
                "<a href=\"curve.csv\">curve.csv</a>", "charts/curve.svg", "<td>&lt;200</td>", "grokking.p=97");
        page.write(dir);
        assertThat(dir.resolve("index.html")).hasContent(html);
        assertThat(dir.resolve("charts/curve.png")).isRegularFile();
        assertThatThrownBy(() -> ReportPage.titled("x").table("Steps", List.of("a", "b"), List.of(List.of("1"))))
                .hasMessage("table Steps: a row has 1 cells, the header 2");
    }
}

package org.lottery4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.study.Summary;
import org.lottery4j.study.Summary.Estimate;
import org.lottery4j.study.Summary.Row;

class StudyReportTest {

    @TempDir
    Path dir;

    private static final Map<String, String> LAYERWISE = Map.of("pruning.scope", "layerwise");
    private static final Map<String, String> GLOBAL = Map.of("pruning.scope", "global");
    private static final Estimate NONE = new Estimate(1, 0, Double.NaN, Double.NaN, Double.NaN);

    /** Two variants, two rounds, ticket and reinit; the global variant has a single seed. */
    private static Summary summary() {
        return new Summary("training.seed", List.of("pruning.scope"), List.of(
                new Row(LAYERWISE, 0, "ticket", 3, 1.0, new Estimate(3, 0.97, 0.01, 0.955, 0.985),
                        new Estimate(3, 0.975, 0.01, 0.96, 0.99), new Estimate(3, 400, 50, 276, 524), null),
                new Row(LAYERWISE, 0, "reinit", 3, 1.0, new Estimate(3, 0.97, 0.01, 0.955, 0.985),
                        new Estimate(3, 0.975, 0.01, 0.96, 0.99), new Estimate(3, 400, 50, 276, 524),
                        new Estimate(3, 0, 0, 0, 0)),
                new Row(LAYERWISE, 1, "ticket", 3, 0.8000004, new Estimate(3, 0.98, 0.02, 0.93, 1.03),
                        new Estimate(3, 0.985, 0.004, 0.975, 0.995), new Estimate(3, 300, 20, 250, 350), null),
                new Row(LAYERWISE, 1, "reinit", 3, 0.8000004, new Estimate(3, 0.965, 0.006, 0.95, 0.98),
                        new Estimate(3, 0.97, 0.006, 0.955, 0.985), new Estimate(3, 500, 40, 400.6, 599.4),
                        new Estimate(3, 0.015, 0.005, 0.002, 0.028)),
                new Row(GLOBAL, 0, "ticket", 1, 1.0, new Estimate(1, 0.96, Double.NaN, Double.NaN, Double.NaN),
                        new Estimate(1, 0.965, Double.NaN, Double.NaN, Double.NaN), new Estimate(1, 350, Double.NaN,
                                Double.NaN, Double.NaN), null),
                new Row(GLOBAL, 1, "ticket", 1, 0.7999996, new Estimate(1, 0.9712, Double.NaN, Double.NaN, Double.NaN),
                        NONE, NONE, null)));
    }

    @Test
    void theBandsAreTheIntervalsInPercent() {
        JFreeChart chart = StudyReport.accuracyChart(summary());
        YIntervalSeriesCollection data = (YIntervalSeriesCollection) chart.getXYPlot().getDataset();
        assertThat(data.getSeriesCount()).isEqualTo(3); // the global variant has no reinit
        assertThat(data.getSeriesKey(0)).isEqualTo("pruning.scope=layerwise: winning ticket (pruned, rewound)");
        assertThat(data.getSeriesKey(1)).isEqualTo("pruning.scope=layerwise: random re-initialization (same masks)");
        assertThat(data.getSeriesKey(2)).isEqualTo("pruning.scope=global: winning ticket (pruned, rewound)");
        // reinit, round 1: x = weights remaining (%), y = mean, the band = the interval
        assertThat(data.getXValue(1, 1)).isEqualTo(80.00004, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(data.getYValue(1, 1)).isEqualTo(96.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(data.getStartYValue(1, 1)).isEqualTo(95.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(data.getEndYValue(1, 1)).isEqualTo(98.0, org.assertj.core.data.Offset.offset(1e-9));
        // a single seed: no interval, the band closes on the mean
        assertThat(data.getStartYValue(2, 1)).isEqualTo(97.12, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(data.getEndYValue(2, 1)).isEqualTo(97.12, org.assertj.core.data.Offset.offset(1e-9));

        XYPlot plot = chart.getXYPlot();
        DeviationRenderer renderer = (DeviationRenderer) plot.getRenderer();
        assertThat(((BasicStroke) renderer.getSeriesStroke(0)).getDashArray()).isNull();
        assertThat(((BasicStroke) renderer.getSeriesStroke(1)).getDashArray()).containsExactly(8f, 5f);
        assertThat(((BasicStroke) renderer.getSeriesStroke(2)).getDashArray()).isNull();
        // one colour per variant, band and line alike
        assertThat(renderer.getSeriesPaint(1)).isEqualTo(renderer.getSeriesPaint(0)).isEqualTo(Charts.ARM_COLORS[0]);
        assertThat(renderer.getSeriesFillPaint(1)).isEqualTo(Charts.ARM_COLORS[0]);
        assertThat(renderer.getSeriesPaint(2)).isEqualTo(Charts.ARM_COLORS[1]);

        // the band of the layerwise ticket at round 1 reaches 103%: the axis stops at 100
        assertThat(data.getEndYValue(0, 1)).isEqualTo(103.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plot.getRangeAxis().getUpperBound()).isEqualTo(100.0);
        YIntervalSeriesCollection early = (YIntervalSeriesCollection) StudyReport.earlyStopChart(summary())
                .getXYPlot().getDataset();
        assertThat(early.getStartYValue(1, 1)).isEqualTo(400.6);
        assertThat(early.getEndYValue(1, 1)).isEqualTo(599.4);
    }

    @Test
    void theTableShowsTheSummaryInPercentWithReadableHeaders() {
        String html = StudyReport.html("quick", summary());
        assertThat(html).contains("<title>quick - lottery4j</title>",
                "<th title=\"summary.csv: pruning.scope\">pruning.scope</th><th title=\"summary.csv: round\">Round</th>",
                "<th title=\"summary.csv: test_accuracy_*\">Test accuracy at the end (%): mean [95% interval]</th>",
                "<th title=\"summary.csv: ticket_minus_arm_excludes_zero\">Excludes 0</th>");
        assertThat(html).contains("<tr><td>layerwise</td><td>1</td><td class=\"arm\">random re-initialization (same masks)</td>"
                + "<td>3</td><td>80</td><td>96.50 [95.00, 98.00]</td><td>97.00 [95.50, 98.50]</td>"
                + "<td>500 [401, 599]</td><td>+1.50 [+0.20, +2.80]</td><td>yes</td></tr>");
        // the interval [0, 0] touches zero; a ticket row has no difference; one seed shows the mean alone
        assertThat(html).contains("<td>+0.00 [+0.00, +0.00]</td><td>no</td></tr>",
                "<tr><td>global</td><td>1</td><td class=\"arm\">winning ticket (pruned, rewound)</td><td>1</td><td>80</td>"
                        + "<td>97.12</td><td>0.00</td><td>0</td><td></td><td></td></tr>");
        assertThat(html).contains("<img src=\"charts/study-accuracy.svg\"", "<img src=\"charts/study-early-stop.svg\"");
    }

    @Test
    void writesThePageAndBothChartsLabelledAtTheSparsities() throws IOException {
        StudyReport.write(dir, "quick", summary());
        assertThat(dir.resolve("index.html")).exists();
        for (String c : List.of("study-accuracy", "study-early-stop")) {
            assertThat(dir.resolve("charts/" + c + ".png")).exists();
            String svg = Files.readString(dir.resolve("charts/" + c + ".svg"));
            // 80.00004 and 79.99996 make one label
            assertThat(svg).contains(">100<", ">80<", ">" + Charts.WEIGHTS_AXIS + "<").doesNotContain(">79.4<");
        }
    }
}

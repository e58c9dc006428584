package org.lottery4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.report.StudyReport.Layout;
import org.lottery4j.study.Summary.Estimate;
import org.lottery4j.study.Summary.Row;
import org.lottery4j.study.Summary;

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
                        new Estimate(3, 0.975, 0.01, 0.96, 0.99), new Estimate(3, 400, 50, 276, 524), null, null),
                new Row(LAYERWISE, 0, "reinit", 3, 1.0, new Estimate(3, 0.97, 0.01, 0.955, 0.985),
                        new Estimate(3, 0.975, 0.01, 0.96, 0.99), new Estimate(3, 400, 50, 276, 524),
                        new Estimate(3, 0, 0, 0, 0), null),
                new Row(LAYERWISE, 1, "ticket", 3, 0.8000004, new Estimate(3, 0.98, 0.02, 0.93, 1.03),
                        new Estimate(3, 0.985, 0.004, 0.975, 0.995), new Estimate(3, 300, 20, 250, 350), null, null),
                new Row(LAYERWISE, 1, "reinit", 3, 0.8000004, new Estimate(3, 0.965, 0.006, 0.95, 0.98),
                        new Estimate(3, 0.97, 0.006, 0.955, 0.985), new Estimate(3, 500, 40, 400.6, 599.4),
                        new Estimate(3, 0.015, 0.005, 0.002, 0.028), null),
                new Row(GLOBAL, 0, "ticket", 1, 1.0, new Estimate(1, 0.96, Double.NaN, Double.NaN, Double.NaN),
                        new Estimate(1, 0.965, Double.NaN, Double.NaN, Double.NaN), new Estimate(1, 350, Double.NaN,
                                Double.NaN, Double.NaN), null, null),
                new Row(GLOBAL, 1, "ticket", 1, 0.7999996, new Estimate(1, 0.9712, Double.NaN, Double.NaN, Double.NaN),
                        NONE, NONE, null, null)));
    }

    private static Layout layout(Summary summary) {
        return Layout.of(summary);
    }

    @Test
    void costsInstabilityAndTheBaselineGetChartsAndColumnsWhenTheSummaryHasThem() throws java.io.IOException {
        Estimate acc = new Estimate(3, 0.97, 0.01, 0.955, 0.985);
        Estimate macs = new Estimate(3, 2e12, 0, 2e12, 2e12);
        Estimate barrier = new Estimate(3, 0.012, 0.004, 0.002, 0.022);
        Estimate diff = new Estimate(3, -0.004, 0.002, -0.009, 0.001);
        Summary s = new Summary("training.seed", List.of("pruning.scope"), List.of(
                new Row(LAYERWISE, 0, "ticket", 3, 1.0, acc, acc, acc, null, null, null, macs, macs, null),
                new Row(LAYERWISE, 0, "stability", 3, 1.0, acc, acc, acc, null, null, null, macs, macs, barrier),
                new Row(GLOBAL, 0, "ticket", 3, 1.0, acc, acc, acc, null, null, diff, macs, macs, null),
                new Row(GLOBAL, 1, "ticket", 3, 0.8, acc, acc, acc, null, null, diff,
                        new Estimate(3, 4e12, 0, 4e12, 4e12), macs, null)));
        StudyReport.write(dir, "s", s);
        assertThat(dir.resolve("charts/study-instability.svg")).exists();
        assertThat(dir.resolve("charts/study-compute.svg")).exists();
        String html = java.nio.file.Files.readString(dir.resolve("index.html"));
        assertThat(html).contains(StudyReport.INSTABILITY_TITLE, "Test accuracy against training compute",
                "Training (TMAC)", "2.000", "Instability (points)", "1.20", "[0.20, 2.20]", "Arm \u2212 baseline (points)",
                "-0.40");
        JFreeChart compute = StudyReport.compute(s, Layout.of(s));
        assertThat(compute.getXYPlot().getDataset().getSeriesCount()).isEqualTo(2);
        assertThat(compute.getXYPlot().getDataset().getXValue(1, 1)).isEqualTo(4e12);
        assertThat(compute.getXYPlot().getDataset().getYValue(1, 1)).isEqualTo(97.0, org.assertj.core.data.Offset.offset(1e-9));
        StudyReport.write(dir.resolve("plain"), "s", summary());
        assertThat(dir.resolve("plain/charts/study-instability.svg")).doesNotExist();
        assertThat(java.nio.file.Files.readString(dir.resolve("plain/index.html"))).doesNotContain("Training (TMAC)");
    }

    @Test
    void theBandsAreTheIntervalsInPercent() {
        assertThat(layout(summary())).isEqualTo(new Layout(List.of(), null, List.of("pruning.scope")));
        List<JFreeChart> charts = StudyReport.charts(summary(), layout(summary()), StudyReport.ACCURACY);
        assertThat(charts).hasSize(1);
        JFreeChart chart = charts.get(0);
        assertThat(chart.getTitle().getText()).isEqualTo(StudyReport.ACCURACY_TITLE);
        YIntervalSeriesCollection data = (YIntervalSeriesCollection) chart.getXYPlot().getDataset();
        assertThat(data.getSeriesCount()).isEqualTo(3); // the global variant has no reinit
        // the axis is named once on the page: a legend holds its values and the arm's short name
        assertThat(data.getSeriesKey(0)).isEqualTo("layerwise: ticket");
        assertThat(data.getSeriesKey(1)).isEqualTo("layerwise: reinit");
        assertThat(data.getSeriesKey(2)).isEqualTo("global: ticket");
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

        // the interval of the layerwise ticket at round 1 reaches 103%: its band, and the axis, stop at 100;
        // its lower end and the other bands keep their values
        assertThat(data.getEndYValue(0, 1)).isEqualTo(100.0);
        assertThat(data.getStartYValue(0, 1)).isEqualTo(93.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(data.getEndYValue(0, 0)).isEqualTo(98.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plot.getRangeAxis().getUpperBound()).isEqualTo(100.0);
        assertThat(StudyReport.ACCURACY.cutNote(summary().rows()))
                .isEqualTo("Bands cut at 100%: 1 of the 95% intervals reaches past it; the table and summary.csv give "
                        + "them uncut.");
        assertThat(StudyReport.EARLY_STOP.cutNote(summary().rows())).isEmpty();
        // every line its own hollow marker, so that a line under another still shows
        assertThat(List.of(renderer.getSeriesShape(0), renderer.getSeriesShape(1), renderer.getSeriesShape(2)))
                .containsExactly(Charts.MARKERS[0], Charts.MARKERS[1], Charts.MARKERS[2]);
        for (int i = 0; i < 3; i++) {
            assertThat(renderer.getSeriesShapesFilled(i)).isFalse();
            assertThat(renderer.getSeriesShapesVisible(i)).isNotEqualTo(Boolean.FALSE);
        }
        assertThat(renderer.getDefaultShapesVisible()).isTrue();
        YIntervalSeriesCollection early = (YIntervalSeriesCollection) StudyReport.charts(summary(),
                layout(summary()), StudyReport.EARLY_STOP).get(0).getXYPlot().getDataset();
        assertThat(early.getStartYValue(1, 1)).isEqualTo(400.6);
        assertThat(early.getEndYValue(1, 1)).isEqualTo(599.4);
    }

    @Test
    void theTableShowsTheSummaryInPercentWithShortHeadersAndTheIntervalBelow() {
        String html = StudyReport.page("quick", summary()).html();
        assertThat(html).contains("<title>quick - lottery4j</title>",
                "<th class=\"v\" title=\"study axis pruning.scope (summary.csv: pruning.scope)\">pruning.scope</th>"
                        + "<th title=\"pruning round (summary.csv: round)\">Round</th>",
                "<th title=\"test accuracy at the end of training (%): mean over the seeds, 95% interval below "
                        + "(summary.csv: test_accuracy_*)\">Test accuracy (%)</th>",
                "<th title=\"whether the 95% interval of ticket minus arm excludes zero "
                        + "(summary.csv: ticket_minus_arm_excludes_zero)\">Excludes 0</th>");
        // names left-aligned, the interval on a second line
        assertThat(html).contains("<tr><td class=\"v\">layerwise</td><td>1</td><td class=\"v\">reinit</td>"
                + "<td>3</td><td>80</td><td>96.50<br><small>[95.00, 98.00]</small></td>"
                + "<td>97.00<br><small>[95.50, 98.50]</small></td><td>500<br><small>[401, 599]</small></td>"
                + "<td>+1.50<br><small>[+0.20, +2.80]</small></td><td>yes</td></tr>");
        // the interval [0, 0] touches zero; a ticket row has no difference; one seed shows the mean alone;
        // a rule above each variant's first row
        assertThat(html).contains("<td>+0.00<br><small>[+0.00, +0.00]</small></td><td>no</td></tr>",
                "<tr class=\"first\"><td class=\"v\">global</td><td>0</td>",
                "<tr><td class=\"v\">global</td><td>1</td><td class=\"v\">ticket</td><td>1</td><td>80</td>"
                        + "<td>97.12</td><td>0.00</td><td>0</td><td></td><td></td></tr>");
        // the short arm names spelled out once; one chart each, side by side, the cut band said under its chart
        assertThat(html).contains(" Lines: <code>pruning.scope</code>.",
                "Arms: <b>ticket</b> = winning ticket (pruned, rewound), <b>reinit</b> = random re-initialization "
                        + "(same masks).",
                "<div class=\"grid\">\n<figure><img src=\"charts/study-accuracy.svg\" alt=\"study-accuracy\"><figcaption>"
                        + "Bands cut at 100%: 1 of the 95% intervals reaches past it; the table and summary.csv give them "
                        + "uncut. <a href=\"charts/study-accuracy.png\">PNG</a></figcaption></figure>\n"
                        + "<figure><img src=\"charts/study-early-stop.svg\" alt=\"study-early-stop\"><figcaption>"
                        + "<a href=\"charts/study-early-stop.png\">PNG</a></figcaption></figure>\n</div>\n");
        assertThat(html).doesNotContain("study-accuracy-1", "The same in every finished run");
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

    private static List<Comparable> keys(YIntervalSeriesCollection data) {
        return java.util.stream.IntStream.range(0, data.getSeriesCount()).mapToObj(data::getSeriesKey).toList();
    }

    private static final Estimate NO_DIFFERENCE = new Estimate(3, 0, 0, 0, 0);

    private static Row row(Map<String, String> variant, int round, String arm, double accuracy, double halfWidth) {
        Estimate e = new Estimate(3, accuracy, 0.01, accuracy - halfWidth, accuracy + halfWidth);
        // the early stop's interval reaches below 0 in round 0
        return new Row(variant, round, arm, 3, round == 0 ? 1.0 : 0.8, e, e,
                new Estimate(3, 100 * round + 50, 50, 100 * round - 70, 100 * round + 170),
                arm.equals("ticket") ? null : NO_DIFFERENCE, null);
    }

    private static Map<String, String> variant(String method, String rewind, String scope) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("pruning.method", method);
        v.put("pruning.rewind", rewind);
        v.put("pruning.scope", scope);
        return v;
    }

    /** pruning.rewind x pruning.scope, the ticket only; pruning.method has one value so far. */
    private static Summary twoAxes() {
        List<Row> rows = new ArrayList<>();
        double[] accuracy = {0.97, 0.96, 0.90, 0.91};
        int i = 0;
        for (String rewind : List.of("init", "lr-rewind")) {
            for (String scope : List.of("layerwise", "global")) {
                for (int round = 0; round < 2; round++) {
                    rows.add(row(variant("magnitude", rewind, scope), round, "ticket", accuracy[i], 0.005 * (i + 1)));
                }
                i++;
            }
        }
        return new Summary("training.seed", List.of("pruning.method", "pruning.rewind", "pruning.scope"), rows);
    }

    @Test
    void twoVariedAxesMakeOnePanelPerValueOfTheFirstOnTheSameScales() {
        Summary summary = twoAxes();
        Layout layout = layout(summary);
        assertThat(layout).isEqualTo(new Layout(List.of("pruning.method"), "pruning.rewind", List.of("pruning.scope")));
        for (List<JFreeChart> charts : List.of(StudyReport.charts(summary, layout, StudyReport.ACCURACY),
                StudyReport.charts(summary, layout, StudyReport.EARLY_STOP))) {
            assertThat(charts).extracting(c -> c.getTitle().getText())
                    .containsExactly("pruning.rewind=init", "pruning.rewind=lr-rewind");
            for (JFreeChart c : charts) {
                YIntervalSeriesCollection data = (YIntervalSeriesCollection) c.getXYPlot().getDataset();
                // the ticket alone: a line is named by its scope, nothing else; one colour per scope in every panel
                assertThat(keys(data)).containsExactly("layerwise", "global");
                XYItemRenderer renderer = c.getXYPlot().getRenderer();
                assertThat(renderer.getSeriesPaint(0)).isEqualTo(Charts.ARM_COLORS[0]);
                assertThat(renderer.getSeriesPaint(1)).isEqualTo(Charts.ARM_COLORS[1]);
                // and one marker per scope in every panel
                assertThat(renderer.getSeriesShape(0)).isEqualTo(Charts.MARKERS[0]);
                assertThat(renderer.getSeriesShape(1)).isEqualTo(Charts.MARKERS[1]);
                assertThat(c.getXYPlot().getRangeAxis().getRange())
                        .isEqualTo(charts.get(0).getXYPlot().getRangeAxis().getRange());
                assertThat(c.getXYPlot().getDomainAxis().getRange())
                        .isEqualTo(charts.get(0).getXYPlot().getDomainAxis().getRange());
            }
        }
        // the shared accuracy axis holds every band: 89.85 (lr-rewind, layerwise) to 97.5 (init, layerwise)
        Range y = StudyReport.charts(summary, layout, StudyReport.ACCURACY).get(1).getXYPlot().getRangeAxis().getRange();
        assertThat(y.getLowerBound()).isLessThan(89.85);
        assertThat(y.getUpperBound()).isGreaterThan(97.5).isLessThanOrEqualTo(100);
        // no iteration before 0
        Range iterations = StudyReport.charts(summary, layout, StudyReport.EARLY_STOP).get(0).getXYPlot().getRangeAxis()
                .getRange();
        assertThat(iterations.getLowerBound()).isEqualTo(0);
        assertThat(iterations.getUpperBound()).isGreaterThan(270);
        // round 0's interval of the early stop, [-70, 170], is cut at iteration 0; round 1's, [30, 270], is whole
        YIntervalSeriesCollection early = (YIntervalSeriesCollection) StudyReport.charts(summary, layout,
                StudyReport.EARLY_STOP).get(0).getXYPlot().getDataset();
        assertThat(List.of(early.getStartYValue(0, 0), early.getYValue(0, 0), early.getEndYValue(0, 0)))
                .containsExactly(0.0, 50.0, 170.0);
        assertThat(List.of(early.getStartYValue(0, 1), early.getEndYValue(0, 1))).containsExactly(30.0, 270.0);
    }

    @Test
    void aPageOfPanelsNamesTheAxesOnceAndLeavesTheFixedOneOutOfTheTable() throws IOException {
        StudyReport.write(dir, "rewind", twoAxes());
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("4 variant(s), up to 3 seed(s) each (axis <code>training.seed</code>). "
                + "The same in every finished run: <code>pruning.method=magnitude</code>. One chart per value of "
                + "<code>pruning.rewind</code>, all on the same scales; lines: <code>pruning.scope</code>. "
                + "Shaded bands: 95% confidence interval of the mean over the seeds (Student t); arm: "
                + "<b>ticket</b> = winning ticket (pruned, rewound). Data:",
                "<h2>" + StudyReport.ACCURACY_TITLE + "</h2>\n<div class=\"grid\">\n"
                        + "<figure><img src=\"charts/study-accuracy-1.svg\" alt=\"study-accuracy-1\"><figcaption>"
                        + "<a href=\"charts/study-accuracy-1.png\">PNG</a></figcaption></figure>",
                // each panel's two round-0 intervals of the early stop reach below iteration 0
                "<figure><img src=\"charts/study-early-stop-2.svg\" alt=\"study-early-stop-2\"><figcaption>Bands cut at "
                        + "iteration 0: 2 of the 95% intervals reach past it; the table and summary.csv give them uncut. "
                        + "<a href=\"charts/study-early-stop-2.png\">PNG</a></figcaption></figure>",
                "<img src=\"charts/study-accuracy-2.svg\"", "<h2>" + StudyReport.EARLY_STOP_TITLE + "</h2>",
                "<img src=\"charts/study-early-stop-2.svg\"",
                "<tr class=\"first\"><td class=\"v\">lr-rewind</td><td class=\"v\">global</td><td>0</td>"
                        + "<td class=\"v\">ticket</td>");
        // the ticket alone: no differences to a control, no column for them
        assertThat(html).doesNotContain("study-accuracy.svg", "study-accuracy-3", ">pruning.method</th>", "Excludes 0",
                "Ticket \u2212 arm");
        for (String c : List.of("study-accuracy-1", "study-accuracy-2", "study-early-stop-1", "study-early-stop-2")) {
            assertThat(dir.resolve("charts/" + c + ".png")).exists();
        }
        assertThat(Files.readString(dir.resolve("charts/study-accuracy-2.svg")))
                .contains(">pruning.rewind=lr-rewind<", ">global<", ">layerwise<").doesNotContain("pruning.scope");
    }

    @Test
    void manyVariantsOfOneAxisGetAPanelEachWithTheArmsAsLines() {
        List<Row> rows = new ArrayList<>();
        for (String rewind : List.of("init", "iteration:100", "lr-rewind", "fine-tune")) {
            for (String arm : List.of("ticket", "reinit")) {
                rows.add(row(Map.of("pruning.rewind", rewind), 0, arm, 0.95, 0.01));
            }
        }
        Summary summary = new Summary("training.seed", List.of("pruning.rewind"), rows);
        // 8 lines on one chart are too many
        Layout layout = layout(summary);
        assertThat(layout).isEqualTo(new Layout(List.of(), "pruning.rewind", List.of()));
        List<JFreeChart> charts = StudyReport.charts(summary, layout, StudyReport.ACCURACY);
        assertThat(charts).extracting(c -> c.getTitle().getText()).containsExactly("pruning.rewind=init",
                "pruning.rewind=iteration:100", "pruning.rewind=lr-rewind", "pruning.rewind=fine-tune");
        assertThat(keys((YIntervalSeriesCollection) charts.get(3).getXYPlot().getDataset()))
                .containsExactly("winning ticket (pruned, rewound)", "random re-initialization (same masks)");
        // no varied axis: one chart, whatever the number of arms
        Summary oneVariant = new Summary("training.seed", List.of(), List.of(row(Map.of(), 0, "ticket", 0.95, 0.01)));
        assertThat(layout(oneVariant)).isEqualTo(new Layout(List.of(), null, List.of()));
        assertThat(StudyReport.charts(oneVariant, layout(oneVariant), StudyReport.ACCURACY)).singleElement()
                .satisfies(c -> assertThat(c.getXYPlot().getDataset().getSeriesKey(0))
                        .isEqualTo("winning ticket (pruned, rewound)"));
        assertThat(StudyReport.chartNames("study-accuracy", 4)).containsExactly("study-accuracy-1",
                "study-accuracy-2", "study-accuracy-3", "study-accuracy-4");
    }

    @Test
    void aFlatEarlyStopIsASentenceInsteadOfTheCharts() throws IOException {
        // every run of the study stopped at iteration 936 (one seed: the mean alone)
        Estimate stop = new Estimate(3, 936, 0, 936, 936);
        Estimate accuracy = new Estimate(3, 0.95, 0.01, 0.94, 0.96);
        List<Row> rows = new ArrayList<>();
        for (Map<String, String> variant : List.of(LAYERWISE, GLOBAL)) {
            for (int round = 0; round < 2; round++) {
                rows.add(new Row(variant, round, "ticket", 3, round == 0 ? 1 : 0.8, accuracy, accuracy,
                        round == 0 && variant == GLOBAL ? new Estimate(1, 936, Double.NaN, Double.NaN, Double.NaN) : stop,
                        null, null));
            }
        }
        Summary flat = new Summary("training.seed", List.of("pruning.scope"), rows);
        String sentence = "No chart of the early-stopping iteration: every run of every variant, round and arm has its "
                + "lowest validation loss at iteration 936 (early_stop_iteration_* in summary.csv).";
        assertThat(StudyReport.flatEarlyStop(flat)).contains(sentence);
        StudyReport.write(dir, "flat", flat);
        assertThat(Files.readString(dir.resolve("index.html"))).contains("<div class=\"grid\">\n<figure><img "
                + "src=\"charts/study-accuracy.svg\"", "</figure>\n</div>\n<p>" + sentence + "</p>\n<h2>Summary</h2>")
                .doesNotContain("study-early-stop");
        assertThat(dir.resolve("charts/study-accuracy.png")).exists();
        assertThat(dir.resolve("charts/study-early-stop.png")).doesNotExist();

        // the same mean everywhere, but seeds that stopped elsewhere: the intervals are worth a chart
        List<Row> spread = new ArrayList<>(rows);
        Row first = spread.get(0);
        spread.set(0, new Row(first.variant(), 0, "ticket", 3, 1, accuracy, accuracy, new Estimate(3, 936, 10, 911, 961),
                null, null));
        assertThat(StudyReport.flatEarlyStop(new Summary("training.seed", List.of("pruning.scope"), spread))).isEmpty();
        assertThat(StudyReport.flatEarlyStop(summary())).isEmpty();
    }

    @Test
    void thePageEscapesTheStudysNamesAndValues() {
        Map<String, String> odd = Map.of("pruning.scope", "<global & \"more\">");
        Summary summary = new Summary("seed<s>", List.of("pruning.scope"), List.of(row(LAYERWISE, 0, "ticket", 0.9, 0.01),
                row(odd, 0, "ticket", 0.9, 0.01), row(odd, 0, "<arm>", 0.9, 0.01)));
        String html = StudyReport.page("study <1> & 2", summary).html();
        assertThat(html).contains("<title>study &lt;1&gt; &amp; 2 - lottery4j</title>",
                "<h1>Lottery-ticket study <code>study &lt;1&gt; &amp; 2</code></h1>", "(axis <code>seed&lt;s&gt;</code>)",
                "<b>&lt;arm&gt;</b> = &lt;arm&gt;", "<td class=\"v\">&lt;global &amp; &quot;more&quot;&gt;</td>",
                "title=\"arm: ticket = winning ticket (pruned, rewound), &lt;arm&gt; = &lt;arm&gt; (summary.csv: arm)\"");
        assertThat(html).doesNotContain("<1>", "<s>", "<arm>", "<global");
    }
}

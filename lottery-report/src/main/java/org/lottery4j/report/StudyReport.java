package org.lottery4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.lottery4j.internal.AtomicFiles;
import org.lottery4j.results.ArmResult;
import org.lottery4j.study.Summary;
import org.lottery4j.study.Summary.Estimate;
import org.lottery4j.study.Summary.Row;

/**
 * A study's {@code index.html}: mean test accuracy and mean early-stopping iteration against
 * weights remaining (log axis, labelled at the study's own sparsities) for every variant, with the
 * 95% confidence interval of the mean over the seeds as a shaded band, the ticket solid and the
 * control arms dashed; then the rows of {@code summary.csv} as a table. The charts are written as
 * PNG and SVG into {@code charts/} beside it, two side by side at 1280 px.
 *
 * <p>A study with two or more varied axes, or too many lines for one chart, gets small multiples:
 * one chart per value of its first varied axis ({@code study-accuracy-1.svg, -2, ...}), all on the
 * same scales, each with the other axes' variants as lines named by their values alone.
 *
 * <pre>{@code
 * Summary summary = LocalExecutor.writeSummary(runs, studyFolder).orElseThrow();
 * StudyReport.write(studyFolder, "quick", summary);   // studyFolder/index.html, studyFolder/charts/study-*.png|svg
 * }</pre>
 */
public final class StudyReport {

    /** Dash patterns of the control arms, in the summary's (sorted) order of controls. */
    private static final float[][] DASHES = {{8f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};
    /** A chart's size: two side by side fill the page's 72em (1152 px) at 1280 px. */
    static final int PANEL_WIDTH = 560;
    static final int PANEL_HEIGHT = 420;
    /** Lines (variants x arms) one chart holds before the variants are split into panels. */
    static final int MAX_LINES = 6;
    static final String ACCURACY_TITLE = "Test accuracy at the end of training (mean, 95% interval)";
    static final String EARLY_STOP_TITLE = "Iteration of the lowest validation loss (mean, 95% interval)";
    /** JFreeChart's 18 pt title is wider than a panel; 14 pt fits the longest one. */
    private static final Font TITLE_FONT = new Font("SansSerif", Font.BOLD, 14);

    private StudyReport() {}

    /**
     * Writes the charts and {@code index.html} of a study into {@code folder}.
     *
     * @param name the study's name, the page's title
     * @throws IOException if a file cannot be written, or if Java cannot draw because its
     *     {@code DISPLAY} cannot be reached (the message says to run with {@code -Djava.awt.headless=true})
     */
    public static void write(Path folder, String name, Summary summary) throws IOException {
        Path charts = folder.resolve("charts");
        Layout layout = Layout.of(summary);
        Charts.drawn(folder, () -> {
            save(charts, "study-accuracy", accuracyCharts(summary, layout));
            save(charts, "study-early-stop", earlyStopCharts(summary, layout));
            return null;
        });
        AtomicFiles.writeString(folder.resolve("index.html"), html(name, summary));
    }

    private static void save(Path dir, String prefix, List<JFreeChart> charts) throws IOException {
        List<String> names = chartNames(prefix, charts.size());
        for (int i = 0; i < charts.size(); i++) {
            Charts.save(dir, names.get(i), charts.get(i), PANEL_WIDTH, PANEL_HEIGHT);
        }
    }

    /** The files of a metric's charts: {@code PREFIX} for one chart, {@code PREFIX-1, PREFIX-2, ...} for panels. */
    static List<String> chartNames(String prefix, int count) {
        return count == 1 ? List.of(prefix)
                : IntStream.rangeClosed(1, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    /**
     * How the charts show the variants. An axis with one value among the finished runs is
     * {@code fixed} (said once on the page, in no legend). With two or more varied axes, or more
     * lines than {@link #MAX_LINES} on one chart, the first varied axis gets one panel per value
     * ({@code panelAxis}); the other varied axes ({@code lineAxes}) make a panel's lines, and
     * their values alone name a line.
     *
     * @param panelAxis the axis with one panel per value; {@code null} for a single chart
     */
    record Layout(List<String> fixedAxes, String panelAxis, List<String> lineAxes) {

        static Layout of(Summary summary) {
            List<String> varied = new ArrayList<>();
            List<String> fixed = new ArrayList<>();
            for (String axis : summary.axes()) {
                long values = summary.rows().stream().map(r -> r.variant().get(axis)).distinct().count();
                (values > 1 ? varied : fixed).add(axis);
            }
            long lines = summary.rows().stream().map(r -> List.of(r.variant(), r.arm())).distinct().count();
            if (varied.isEmpty() || varied.size() == 1 && lines <= MAX_LINES) {
                return new Layout(fixed, null, varied);
            }
            return new Layout(fixed, varied.get(0), varied.subList(1, varied.size()));
        }

        /** The panels' titles in the summary's order; one empty title for a single chart. */
        List<String> panels(Summary summary) {
            return variants(summary).stream().map(this::panel).distinct().toList();
        }

        /** The panel's title, {@code pruning.rewind=init}; empty for a single chart. */
        String panel(Map<String, String> variant) {
            return panelAxis == null ? "" : panelAxis + "=" + variant.get(panelAxis);
        }

        /** A line's variant in legends: the values of the line axes, {@code global, 0.2}; empty with none. */
        String line(Map<String, String> variant) {
            return lineAxes.stream().map(variant::get).collect(Collectors.joining(", "));
        }
    }

    /** Test accuracy (%) against weights remaining, one chart (panel) per value of the panel axis. */
    static List<JFreeChart> accuracyCharts(Summary summary, Layout layout) {
        List<JFreeChart> charts = charts(summary, layout, ACCURACY_TITLE, "Test accuracy (%)",
                r -> scaled(r.testAccuracy(), 100), axis -> {});
        // a wide interval of a few seeds can reach past 100%: the axis stops at what can be measured
        shareAxes(charts, 0, 100);
        return charts;
    }

    /** Early-stopping iteration against weights remaining, one chart (panel) per value of the panel axis. */
    static List<JFreeChart> earlyStopCharts(Summary summary, Layout layout) {
        List<JFreeChart> charts = charts(summary, layout, EARLY_STOP_TITLE, "Early-stopping iteration",
                r -> r.earlyStopIteration(), axis -> {
                    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                    axis.setAutoRangeMinimumSize(10);
                });
        shareAxes(charts, 0, Double.POSITIVE_INFINITY);
        return charts;
    }

    /**
     * Gives every panel the union of their ranges, so that they compare at a glance; y within
     * [{@code yMin}, {@code yMax}], what can be measured.
     */
    private static void shareAxes(List<JFreeChart> charts, double yMin, double yMax) {
        Range x = null;
        Range y = null;
        for (JFreeChart c : charts) {
            x = Range.combine(x, c.getXYPlot().getDomainAxis().getRange());
            y = Range.combine(y, c.getXYPlot().getRangeAxis().getRange());
        }
        y = new Range(Math.max(y.getLowerBound(), yMin), Math.min(y.getUpperBound(), yMax));
        for (JFreeChart c : charts) {
            c.getXYPlot().getDomainAxis().setRange(x);
            c.getXYPlot().getRangeAxis().setRange(y);
        }
    }

    private static Estimate scaled(Estimate e, double k) {
        return new Estimate(e.n(), k * e.mean(), k * e.sd(), k * e.ciLow(), k * e.ciHigh());
    }

    /** The arms of the summary: the ticket, then the controls in the summary's order. */
    static List<String> arms(Summary summary) {
        List<String> arms = new ArrayList<>();
        arms.add(ArmResult.TICKET);
        summary.rows().stream().map(Row::arm).filter(a -> !arms.contains(a)).forEach(arms::add);
        return arms;
    }

    /** The variants in the summary's order. */
    static List<Map<String, String>> variants(Summary summary) {
        return summary.rows().stream().map(Row::variant).distinct().toList();
    }

    /**
     * A line's name in a legend: the values of the line axes, then the arm's short name where the
     * study has control arms ({@code global: reinit}); the arm's full name when no axis is left.
     */
    static String lineLabel(Layout layout, Map<String, String> variant, String arm, boolean controls) {
        String values = layout.line(variant);
        if (values.isEmpty()) {
            return Charts.label(arm);
        }
        return controls ? values + ": " + Charts.shortLabel(arm) : values;
    }

    private static List<JFreeChart> charts(Summary summary, Layout layout, String title, String yLabel,
            Function<Row, Estimate> metric, Consumer<NumberAxis> yAxis) {
        List<String> arms = arms(summary);
        // one colour per line of the panels, the same in every panel
        List<String> lines = variants(summary).stream().map(layout::line).distinct().toList();
        List<Double> ticks = Charts.tickValues(summary.rows().stream()
                // means over seeds may differ in the last digits between variants: one label each
                .map(r -> Double.parseDouble(Charts.percent(100 * r.weightsRemaining()))).toList(),
                Charts.MAX_TICKS * PANEL_WIDTH / Charts.WIDTH);
        List<JFreeChart> charts = new ArrayList<>();
        for (String panel : layout.panels(summary)) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            List<Color> colors = new ArrayList<>();
            List<Integer> armIndex = new ArrayList<>();
            for (Map<String, String> variant : variants(summary)) {
                if (!layout.panel(variant).equals(panel)) {
                    continue;
                }
                for (int a = 0; a < arms.size(); a++) {
                    String arm = arms.get(a);
                    YIntervalSeries s = new YIntervalSeries(lineLabel(layout, variant, arm, arms.size() > 1), false, true);
                    for (Row r : summary.rows()) {
                        if (r.arm().equals(arm) && r.variant().equals(variant)) {
                            Estimate e = metric.apply(r);
                            // one seed: no interval, the band narrows to the mean
                            s.add(100 * r.weightsRemaining(), e.mean(), e.hasInterval() ? e.ciLow() : e.mean(),
                                    e.hasInterval() ? e.ciHigh() : e.mean());
                        }
                    }
                    if (s.getItemCount() > 0) {
                        data.addSeries(s);
                        colors.add(Charts.ARM_COLORS[lines.indexOf(layout.line(variant)) % Charts.ARM_COLORS.length]);
                        armIndex.add(a);
                    }
                }
            }
            JFreeChart chart = ChartFactory.createXYLineChart(panel.isEmpty() ? title : panel, Charts.WEIGHTS_AXIS,
                    yLabel, data, PlotOrientation.VERTICAL, true, false, false);
            chart.getTitle().setFont(TITLE_FONT);
            XYPlot plot = chart.getXYPlot();
            plot.setDomainAxis(new Charts.RoundsAxis(ticks));
            NumberAxis y = (NumberAxis) plot.getRangeAxis();
            y.setAutoRangeIncludesZero(false);
            yAxis.accept(y);
            DeviationRenderer renderer = Charts.styled(plot, new DeviationRenderer(true, true));
            renderer.setAlpha(0.15f);
            for (int i = 0; i < colors.size(); i++) {
                renderer.setSeriesPaint(i, colors.get(i));
                renderer.setSeriesFillPaint(i, colors.get(i));
                int a = armIndex.get(i);
                if (a > 0) {
                    renderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            DASHES[(a - 1) % DASHES.length], 0f));
                }
            }
            charts.add(chart);
        }
        return charts;
    }

    /**
     * A column of the summary table: its short header, what it shows (the header's tooltip, with
     * the {@code summary.csv} columns), its cells, and a second, smaller line under a cell (the
     * interval), empty for none.
     */
    record Column(String header, String description, String csvColumns, Function<Row, String> cell,
            Function<Row, String> below) {

        Column(String header, String description, String csvColumns, Function<Row, String> cell) {
            this(header, description, csvColumns, cell, r -> "");
        }

        /** The mean of an estimate scaled by {@code k}, its 95% interval below. */
        static Column estimate(String header, String description, String csvColumns, Function<Row, Estimate> metric,
                double k, String format) {
            return new Column(header, description + ": mean over the seeds, 95% interval below", csvColumns,
                    r -> metric.apply(r) == null ? "" : format(format, k * metric.apply(r).mean()),
                    r -> metric.apply(r) == null ? "" : bounds(metric.apply(r), k, format));
        }
    }

    /** The table's columns: the varied axes, then round, arm, seeds and the estimates. */
    static List<Column> columns(Summary summary) {
        List<Column> columns = new ArrayList<>();
        Layout layout = Layout.of(summary);
        for (String axis : summary.axes()) {
            if (!layout.fixedAxes().contains(axis)) {
                columns.add(new Column(axis, "study axis " + axis, axis, r -> r.variant().get(axis)));
            }
        }
        columns.addAll(List.of(
                new Column("Round", "pruning round", "round", r -> Integer.toString(r.round())),
                new Column("Arm", "arm: " + String.join(", ", arms(summary).stream()
                        .map(a -> Charts.shortLabel(a) + " = " + Charts.label(a)).toList()), "arm",
                        r -> Charts.shortLabel(r.arm())),
                new Column("Seeds", "seeds with this round and arm", "n", r -> Integer.toString(r.n())),
                new Column("Weights left (%)", "weights remaining (%), mean over the seeds", "weights_remaining",
                        r -> Charts.percent(100 * r.weightsRemaining())),
                Column.estimate("Test accuracy (%)", "test accuracy at the end of training (%)", "test_accuracy_*",
                        Row::testAccuracy, 100, "%.2f"),
                Column.estimate("Best test accuracy (%)", "highest test accuracy of the learning curve (%)",
                        "best_test_accuracy_*", Row::bestTestAccuracy, 100, "%.2f"),
                Column.estimate("Early-stop iteration", "iteration of the lowest validation loss",
                        "early_stop_iteration_*", Row::earlyStopIteration, 1, "%.0f")));
        if (arms(summary).size() > 1) { // a study of the ticket alone has no differences
            columns.add(Column.estimate("Ticket \u2212 arm (points)",
                    "test accuracy of the ticket minus this arm's, paired by seed (points)",
                    "ticket_minus_arm_test_accuracy_*", Row::ticketMinusArm, 100, "%+.2f"));
            columns.add(new Column("Excludes 0", "whether the 95% interval of ticket minus arm excludes zero",
                    "ticket_minus_arm_excludes_zero",
                    r -> r.ticketMinusArm() == null || !r.ticketMinusArm().hasInterval() ? ""
                            : r.ticketMinusArm().excludesZero() ? "yes" : "no"));
        }
        return columns;
    }

    private static String format(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    /** {@code [low, high]} scaled by {@code k}; empty without an interval (one seed). */
    static String bounds(Estimate e, double k, String format) {
        return e.hasInterval() ? "[" + format(format, k * e.ciLow()) + ", " + format(format, k * e.ciHigh()) + "]" : "";
    }

    static String html(String name, Summary summary) {
        Layout layout = Layout.of(summary);
        StringBuilder sb = new StringBuilder();
        HtmlReport.head(sb, name);
        sb.append("<style>.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:0 1em}")
                .append(".grid p{margin:0 0 .5em}table.study{font-size:.85em}table.study td{white-space:nowrap}")
                .append("table.study .v{text-align:left}table.study td.v{white-space:normal;max-width:14em}")
                .append("table.study small{color:#555}table.study tr.first td{border-top:2px solid #888}</style>\n");
        sb.append("<h1>Lottery-ticket study <code>").append(HtmlReport.esc(name)).append("</code></h1>\n");
        int seeds = summary.rows().stream().mapToInt(Row::n).max().orElse(0);
        sb.append("<p>").append(variants(summary).size()).append(" variant(s), up to ").append(seeds)
                .append(" seed(s) each (axis ").append(code(summary.seedAxis())).append(").");
        if (!layout.fixedAxes().isEmpty()) {
            sb.append(" The same in every finished run: ").append(layout.fixedAxes().stream()
                    .map(a -> code(a + "=" + summary.rows().get(0).variant().get(a))).collect(Collectors.joining(", ")))
                    .append('.');
        }
        if (layout.panelAxis() != null) {
            sb.append(" One chart per value of ").append(code(layout.panelAxis())).append(", all on the same scales");
            sb.append(layout.lineAxes().isEmpty() ? "." : "; lines: " + lineAxes(layout) + ".");
        } else if (!layout.lineAxes().isEmpty()) {
            sb.append(" Lines: ").append(lineAxes(layout)).append('.');
        }
        List<String> arms = arms(summary);
        sb.append(" Shaded bands: 95% confidence interval of the mean over the seeds (Student t); ")
                .append(arms.size() > 1 ? "the winning ticket solid, the control arms dashed. Arms: " : "arm: ")
                .append(arms.stream().map(a -> "<b>" + HtmlReport.esc(Charts.shortLabel(a)) + "</b> = "
                        + HtmlReport.esc(Charts.label(a))).collect(Collectors.joining(", ")))
                .append(". Data: <a href=\"summary.csv\">summary.csv</a>, ")
                .append("<a href=\"summary.json\">summary.json</a>; each experiment's own report is in its ")
                .append("<code>lottery_*</code> folder.</p>\n");
        int panels = layout.panels(summary).size();
        if (panels == 1) {
            grid(sb, List.of("study-accuracy", "study-early-stop"));
        } else {
            sb.append("<h2>").append(HtmlReport.esc(ACCURACY_TITLE)).append("</h2>\n");
            grid(sb, chartNames("study-accuracy", panels));
            sb.append("<h2>").append(HtmlReport.esc(EARLY_STOP_TITLE)).append("</h2>\n");
            grid(sb, chartNames("study-early-stop", panels));
        }
        table(sb, summary);
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static String code(String s) {
        return "<code>" + HtmlReport.esc(s) + "</code>";
    }

    private static String lineAxes(Layout layout) {
        return layout.lineAxes().stream().map(StudyReport::code).collect(Collectors.joining(", "));
    }

    /** The charts side by side, two to a row at 1280 px, one in a narrow window. */
    private static void grid(StringBuilder sb, List<String> charts) {
        sb.append("<div class=\"grid\">\n");
        HtmlReport.images(sb, charts);
        sb.append("</div>\n");
    }

    /** Whether a column holds names (the axes' values, the arms), left-aligned, rather than numbers. */
    private static boolean text(Summary summary, Column c) {
        return c.csvColumns().equals("arm") || summary.axes().contains(c.csvColumns());
    }

    private static void table(StringBuilder sb, Summary summary) {
        List<Column> columns = columns(summary);
        sb.append("<h2>Summary</h2>\n<p>Each cell: the mean over the seeds, its 95% confidence interval below; ")
                .append("hover a header for what it shows and its columns in summary.csv.</p>\n")
                .append("<div class=\"scroll\"><table class=\"study\">\n<tr>");
        for (Column c : columns) {
            sb.append(text(summary, c) ? "<th class=\"v\" title=\"" : "<th title=\"").append(HtmlReport.esc(c.description() + " (summary.csv: " + c.csvColumns() + ")"))
                    .append("\">").append(HtmlReport.esc(c.header())).append("</th>");
        }
        sb.append("</tr>\n");
        Map<String, String> previous = null;
        for (Row r : summary.rows()) {
            // a rule between variants
            sb.append(r.variant().equals(previous) ? "<tr>" : "<tr class=\"first\">");
            previous = r.variant();
            for (Column c : columns) {
                String below = c.below().apply(r);
                sb.append(text(summary, c) ? "<td class=\"v\">" : "<td>")
                        .append(HtmlReport.esc(c.cell().apply(r)))
                        .append(below.isEmpty() ? "" : "<br><small>" + HtmlReport.esc(below) + "</small>").append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table></div>\n");
    }
}

package org.lottery4j.report;

import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.results.ArmResult;
import org.lottery4j.study.Summary;
import org.lottery4j.study.Summary.Estimate;
import org.lottery4j.study.Summary.Row;

/**
 * A study's {@code index.html}: mean test accuracy and mean early-stopping iteration against
 * weights remaining (log axis, labelled at the study's own sparsities) for every variant, with the
 * 95% confidence interval of the mean over the seeds as a shaded band, the ticket solid and the
 * control arms dashed; then the rows of {@code summary.csv} as a table. The charts are written as
 * PNG and SVG into {@code charts/} beside it.
 *
 * <pre>{@code
 * Summary summary = LocalExecutor.writeSummary(runs, studyFolder).orElseThrow();
 * StudyReport.write(studyFolder, "quick", summary);   // studyFolder/index.html, studyFolder/charts/study-*.png|svg
 * }</pre>
 */
public final class StudyReport {

    /** Dash patterns of the control arms, in the summary's (sorted) order of controls. */
    private static final float[][] DASHES = {{8f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};

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
        try {
            Charts.save(charts, "study-accuracy", accuracyChart(summary));
            Charts.save(charts, "study-early-stop", earlyStopChart(summary));
        } catch (AWTError e) {
            throw new IOException("cannot draw the charts of " + folder + ": " + e.getMessage()
                    + "; start Java with -Djava.awt.headless=true to draw without a display", e);
        }
        AtomicFiles.writeString(folder.resolve("index.html"), html(name, summary));
    }

    /** Test accuracy (%) against weights remaining, one line and band per variant and arm. */
    static JFreeChart accuracyChart(Summary summary) {
        JFreeChart chart = chart(summary, "Test accuracy at the end of training (mean, 95% interval)",
                "Test accuracy (%)", r -> scaled(r.testAccuracy(), 100));
        // a wide interval of a few seeds can reach past 100%: the axis stops at what can be measured
        NumberAxis accuracy = (NumberAxis) chart.getXYPlot().getRangeAxis();
        if (accuracy.getUpperBound() > 100) {
            accuracy.setRange(accuracy.getLowerBound(), 100);
        }
        return chart;
    }

    /** Early-stopping iteration against weights remaining, one line and band per variant and arm. */
    static JFreeChart earlyStopChart(Summary summary) {
        JFreeChart chart = chart(summary, "Iteration of the lowest validation loss (mean, 95% interval)",
                "Early-stopping iteration", r -> r.earlyStopIteration());
        NumberAxis iterations = (NumberAxis) chart.getXYPlot().getRangeAxis();
        iterations.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        iterations.setAutoRangeMinimumSize(10);
        return chart;
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

    /** A variant's name in legends: its axis values, {@code pruning.scope=global, ...}; empty with no axes. */
    static String variantLabel(Map<String, String> variant) {
        return variant.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static JFreeChart chart(Summary summary, String title, String yLabel, Function<Row, Estimate> metric) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        List<Map<String, String>> variants = variants(summary);
        List<String> arms = arms(summary);
        List<Color> colors = new ArrayList<>();
        List<Integer> armIndex = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            Map<String, String> variant = variants.get(v);
            for (int a = 0; a < arms.size(); a++) {
                String arm = arms.get(a);
                String label = variant.isEmpty() ? Charts.label(arm) : variantLabel(variant) + ": " + Charts.label(arm);
                YIntervalSeries s = new YIntervalSeries(label, false, true);
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
                    colors.add(Charts.ARM_COLORS[v % Charts.ARM_COLORS.length]);
                    armIndex.add(a);
                }
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, Charts.WEIGHTS_AXIS, yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(new Charts.RoundsAxis(Charts.tickValues(summary.rows().stream()
                // means over seeds may differ in the last digits between variants: one label each
                .map(r -> Double.parseDouble(Charts.percent(100 * r.weightsRemaining()))).toList(), Charts.MAX_TICKS)));
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
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
        return chart;
    }

    /** A column of the summary table: its header, the {@code summary.csv} columns it shows, its cells. */
    record Column(String header, String csvColumns, Function<Row, String> cell) {}

    /** The table's columns: the varied axes, then round, arm, seeds and the estimates. */
    static List<Column> columns(Summary summary) {
        List<Column> columns = new ArrayList<>();
        for (String axis : summary.axes()) {
            columns.add(new Column(axis, axis, r -> r.variant().get(axis)));
        }
        columns.addAll(List.of(
                new Column("Round", "round", r -> Integer.toString(r.round())),
                new Column("Arm", "arm", r -> Charts.label(r.arm())),
                new Column("Seeds", "n", r -> Integer.toString(r.n())),
                new Column("Weights remaining (%)", "weights_remaining", r -> Charts.percent(100 * r.weightsRemaining())),
                new Column("Test accuracy at the end (%): mean [95% interval]", "test_accuracy_*",
                        r -> interval(r.testAccuracy(), 100, "%.2f")),
                new Column("Highest test accuracy (%): mean [95% interval]", "best_test_accuracy_*",
                        r -> interval(r.bestTestAccuracy(), 100, "%.2f")),
                new Column("Early-stop iteration: mean [95% interval]", "early_stop_iteration_*",
                        r -> interval(r.earlyStopIteration(), 1, "%.0f")),
                new Column("Ticket minus arm (points): mean [95% interval]",
                        "ticket_minus_arm_test_accuracy_*",
                        r -> r.ticketMinusArm() == null ? "" : interval(r.ticketMinusArm(), 100, "%+.2f")),
                new Column("Excludes 0", "ticket_minus_arm_excludes_zero",
                        r -> r.ticketMinusArm() == null || !r.ticketMinusArm().hasInterval() ? ""
                                : r.ticketMinusArm().excludesZero() ? "yes" : "no")));
        return columns;
    }

    /** {@code mean [low, high]} scaled by {@code k}; the mean alone without an interval (one seed). */
    static String interval(Estimate e, double k, String format) {
        String mean = String.format(Locale.ROOT, format, k * e.mean());
        return e.hasInterval() ? mean + " [" + String.format(Locale.ROOT, format, k * e.ciLow()) + ", "
                + String.format(Locale.ROOT, format, k * e.ciHigh()) + "]" : mean;
    }

    static String html(String name, Summary summary) {
        StringBuilder sb = new StringBuilder();
        HtmlReport.head(sb, name);
        sb.append("<h1>Lottery-ticket study <code>").append(HtmlReport.esc(name)).append("</code></h1>\n");
        int seeds = summary.rows().stream().mapToInt(Row::n).max().orElse(0);
        sb.append("<p>").append(variants(summary).size()).append(" variant(s), up to ").append(seeds)
                .append(" seed(s) each (axis <code>").append(HtmlReport.esc(summary.seedAxis()))
                .append("</code>). Shaded bands: 95% confidence interval of the mean over the seeds (Student t); ")
                .append("the winning ticket solid, the control arms dashed. Data: <a href=\"summary.csv\">summary.csv</a>, ")
                .append("<a href=\"summary.json\">summary.json</a>; each experiment's own report is in its ")
                .append("<code>lottery_*</code> folder.</p>\n");
        HtmlReport.images(sb, List.of("study-accuracy", "study-early-stop"));
        List<Column> columns = columns(summary);
        // an interval on one line; only the arm's name wraps
        sb.append("<h2>Summary</h2>\n<style>table{font-size:.85em}td{white-space:nowrap}td.arm{white-space:normal;min-width:8em}</style>\n")
                .append("<div class=\"scroll\"><table>\n<tr>");
        for (Column c : columns) {
            sb.append("<th title=\"summary.csv: ").append(HtmlReport.esc(c.csvColumns())).append("\">")
                    .append(HtmlReport.esc(c.header())).append("</th>");
        }
        sb.append("</tr>\n");
        for (Row r : summary.rows()) {
            sb.append("<tr>");
            columns.forEach(c -> sb.append(c.header().equals("Arm") ? "<td class=\"arm\">" : "<td>")
                    .append(HtmlReport.esc(c.cell().apply(r))).append("</td>"));
            sb.append("</tr>\n");
        }
        sb.append("</table></div>\n</body>\n</html>\n");
        return sb.toString();
    }
}

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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.lottery4j.results.ArmResult;
import org.lottery4j.study.Summary.Estimate;
import org.lottery4j.study.Summary.Row;
import org.lottery4j.study.Summary;

/**
 * A study's {@code index.html}: mean test accuracy and mean early-stopping iteration against
 * weights remaining (log axis, labelled at the study's own sparsities) for every variant, with the
 * 95% confidence interval of the mean over the seeds as a shaded band (cut at the bounds of the
 * quantity, 0 and 100% or iteration 0, with a note under the chart), the ticket solid and the
 * control arms dashed, each line with a hollow marker of its own ({@link Charts#marked}) so
 * that lines on top of each other stay visible; then the rows of {@code summary.csv} as a table. The charts are written as
 * PNG and SVG into {@code charts/} beside it, two side by side at 1280 px. When every run stops
 * early at the same iteration, a sentence says so in place of the early-stopping chart.
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

    /**
     * A quantity the charts show: its charts' file prefix, title and y axis, its value per row
     * in the chart's units, and the range it can take (bands are cut there).
     *
     * @param bound how a bound is written in the note under a chart whose bands it cut
     * @param axis sets up the y axis beyond the defaults
     */
    record Metric(String prefix, String title, String yLabel, Function<Row, Estimate> value, double min, double max,
            String bound, Consumer<NumberAxis> axis) {

        /** {@code [low, high]} of the row's band: its 95% interval cut at the bounds; the mean alone for one seed. */
        double[] band(Row r) {
            Estimate e = value.apply(r);
            return e.hasInterval() ? new double[] {Math.max(min, e.ciLow()), Math.min(max, e.ciHigh())}
                    : new double[] {e.mean(), e.mean()};
        }

        /**
         * The note under a chart of {@code rows} whose bands were cut: at which bound and how many
         * intervals; empty when none was.
         */
        String cutNote(List<Row> rows) {
            List<Estimate> intervals = rows.stream().map(value).filter(Estimate::hasInterval).toList();
            long cut = intervals.stream().filter(e -> e.ciLow() < min || e.ciHigh() > max).count();
            if (cut == 0) {
                return "";
            }
            List<String> at = new ArrayList<>();
            if (intervals.stream().anyMatch(e -> e.ciLow() < min)) {
                at.add(format(bound, min));
            }
            if (intervals.stream().anyMatch(e -> e.ciHigh() > max)) {
                at.add(format(bound, max));
            }
            return "Bands cut at " + String.join(" and ", at) + ": " + cut + " of the 95% intervals reach"
                    + (cut == 1 ? "es" : "") + " past " + (at.size() == 1 ? "it" : "them")
                    + "; the table and summary.csv give them uncut.";
        }
    }

    /** Test accuracy (%). */
    static final Metric ACCURACY = new Metric("study-accuracy", ACCURACY_TITLE, "Test accuracy (%)",
            r -> scaled(r.testAccuracy(), 100), 0, 100, "%.0f%%", axis -> {});
    /** The early-stopping iteration: whole iterations, and a readable axis when most runs stop at the same one. */
    static final Metric EARLY_STOP = new Metric("study-early-stop", EARLY_STOP_TITLE, "Early-stopping iteration",
            Row::earlyStopIteration, 0, Double.POSITIVE_INFINITY, "iteration %.0f", axis -> {
                axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                axis.setAutoRangeMinimumSize(10);
            });

    static final String INSTABILITY_TITLE = "Instability: error barrier between two copies (mean, 95% interval)";
    /** The stability arm's instability (points of test error). */
    static final Metric INSTABILITY = new Metric("study-instability", INSTABILITY_TITLE, "Instability (points)",
            r -> scaled(r.instability(), 100), -100, 100, "%.0f points", axis -> {});

    private StudyReport() {}

    /**
     * Writes the charts and {@code index.html} of a study into {@code folder}.
     *
     * @param name the study's name, the page's title
     * @throws IOException if a file cannot be written, or if Java cannot draw because its
     *     {@code DISPLAY} cannot be reached (the message says to run with {@code -Djava.awt.headless=true})
     */
    public static void write(Path folder, String name, Summary summary) throws IOException {
        page(name, summary).write(folder);
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

    /**
     * The sentence in place of the early-stopping charts when every run of the study stops at the
     * same iteration (every mean and interval end the same): a flat line says nothing. Empty when
     * the charts are worth drawing.
     */
    static Optional<String> flatEarlyStop(Summary summary) {
        OptionalDouble same = Charts.constant(summary.rows().stream().map(Row::earlyStopIteration)
                .flatMapToDouble(e -> DoubleStream.of(e.mean(), e.ciLow(), e.ciHigh())));
        return same.isPresent() ? Optional.of(Charts.sameEarlyStop("every run of every variant, round and arm",
                same.getAsDouble(), "early_stop_iteration_* in summary.csv")) : Optional.empty();
    }

    /**
     * The charts of a metric as charts of the page, one per panel, each with the note on its cut
     * bands. The panels are drawn together, once, when the first is written: they share their axes.
     */
    private static List<ReportPage.Chart> pageCharts(Summary summary, Layout layout, Metric metric) {
        List<String> panels = layout.panels(summary);
        List<String> names = chartNames(metric.prefix(), panels.size());
        List<JFreeChart> drawn = new ArrayList<>();
        Supplier<List<JFreeChart>> once = () -> {
            if (drawn.isEmpty()) {
                drawn.addAll(charts(summary, layout, metric));
            }
            return drawn;
        };
        List<ReportPage.Chart> charts = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) {
            String panel = panels.get(i);
            int index = i;
            charts.add(new ReportPage.Chart(names.get(i), metric.cutNote(summary.rows().stream()
                    .filter(r -> layout.panel(r.variant()).equals(panel)).toList()), PANEL_WIDTH, PANEL_HEIGHT,
                    () -> once.get().get(index)));
        }
        return charts;
    }

    /**
     * Gives every panel the union of their ranges, so that they compare at a glance; y within the
     * metric's bounds, what can be measured.
     */
    private static void shareAxes(List<JFreeChart> charts, Metric metric) {
        Range x = null;
        Range y = null;
        for (JFreeChart c : charts) {
            x = Range.combine(x, c.getXYPlot().getDomainAxis().getRange());
            y = Range.combine(y, c.getXYPlot().getRangeAxis().getRange());
        }
        y = new Range(Math.max(y.getLowerBound(), metric.min()), Math.min(y.getUpperBound(), metric.max()));
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

    /** The tickets' test accuracy against the multiply-adds of the trainings that made them, one line per variant. */
    static JFreeChart compute(Summary summary, Layout layout) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map<String, String> variant : variants(summary)) {
            String label = layout.line(variant).isEmpty() && layout.panelAxis() != null ? layout.panel(variant)
                    : (layout.panelAxis() == null ? "" : variant.get(layout.panelAxis()) + ", ") + layout.line(variant);
            XYSeries s = new XYSeries(label.isEmpty() ? Charts.label(ArmResult.TICKET) : label, false);
            for (Row r : summary.rows()) {
                if (r.variant().equals(variant) && r.arm().equals(ArmResult.TICKET) && r.multiplyAdds() != null
                        && r.multiplyAdds().mean() > 0) {
                    s.add(r.multiplyAdds().mean(), 100 * r.testAccuracy().mean());
                }
            }
            if (s.getItemCount() > 0) {
                data.addSeries(s);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Test accuracy against training compute",
                "Training multiply-adds with the masks (log scale)", "Test accuracy (%)", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.getTitle().setFont(TITLE_FONT);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(new org.jfree.chart.axis.LogAxis("Training multiply-adds with the masks (log scale)"));
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = Charts.styled(plot, new XYLineAndShapeRenderer(true, true));
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, Charts.ARM_COLORS[i % Charts.ARM_COLORS.length]);
            Charts.marked(renderer, i, i);
        }
        return chart;
    }

    /**
     * The metric against weights remaining, one chart (panel) per value of the panel axis, all on
     * the same scales.
     */
    static List<JFreeChart> charts(Summary summary, Layout layout, Metric metric) {
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
            List<Integer> markers = new ArrayList<>();
            for (Map<String, String> variant : variants(summary)) {
                if (!layout.panel(variant).equals(panel)) {
                    continue;
                }
                for (int a = 0; a < arms.size(); a++) {
                    String arm = arms.get(a);
                    YIntervalSeries s = new YIntervalSeries(lineLabel(layout, variant, arm, arms.size() > 1), false, true);
                    for (Row r : summary.rows()) {
                        if (r.arm().equals(arm) && r.variant().equals(variant)) {
                            double[] band = metric.band(r);
                            s.add(100 * r.weightsRemaining(), metric.value().apply(r).mean(), band[0], band[1]);
                        }
                    }
                    if (s.getItemCount() > 0) {
                        data.addSeries(s);
                        int line = lines.indexOf(layout.line(variant));
                        colors.add(Charts.ARM_COLORS[line % Charts.ARM_COLORS.length]);
                        armIndex.add(a);
                        markers.add(line * arms.size() + a); // the same line has the same marker in every panel
                    }
                }
            }
            JFreeChart chart = ChartFactory.createXYLineChart(panel.isEmpty() ? metric.title() : panel,
                    Charts.WEIGHTS_AXIS, metric.yLabel(), data, PlotOrientation.VERTICAL, true, false, false);
            chart.getTitle().setFont(TITLE_FONT);
            XYPlot plot = chart.getXYPlot();
            plot.setDomainAxis(new Charts.RoundsAxis(ticks));
            NumberAxis y = (NumberAxis) plot.getRangeAxis();
            y.setAutoRangeIncludesZero(false);
            metric.axis().accept(y);
            DeviationRenderer renderer = Charts.styled(plot, new DeviationRenderer(true, true));
            renderer.setAlpha(0.15f);
            for (int i = 0; i < colors.size(); i++) {
                renderer.setSeriesPaint(i, colors.get(i));
                renderer.setSeriesFillPaint(i, colors.get(i));
                Charts.marked(renderer, i, markers.get(i));
                int a = armIndex.get(i);
                if (a > 0) {
                    renderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            DASHES[(a - 1) % DASHES.length], 0f));
                }
            }
            charts.add(chart);
        }
        shareAxes(charts, metric);
        return charts;
    }

    /**
     * A column of the summary table: its short header, what it shows with the {@code summary.csv}
     * columns it comes from (the header's tooltip), whether it holds names, its cells and a second,
     * smaller line under a cell (the interval), empty for none.
     */
    private static ReportPage.Column<Row> column(String header, String description, String csvColumns, boolean names,
            Function<Row, String> cell, Function<Row, String> below) {
        return new ReportPage.Column<>(header, description + " (summary.csv: " + csvColumns + ")", names, cell, below);
    }

    private static ReportPage.Column<Row> column(String header, String description, String csvColumns,
            Function<Row, String> cell) {
        return column(header, description, csvColumns, false, cell, r -> "");
    }

    /** The mean of an estimate scaled by {@code k}, its 95% interval below. */
    private static ReportPage.Column<Row> estimate(String header, String description, String csvColumns,
            Function<Row, Estimate> metric, double k, String format) {
        return column(header, description + ": mean over the seeds, 95% interval below", csvColumns, false,
                r -> metric.apply(r) == null ? "" : format(format, k * metric.apply(r).mean()),
                r -> metric.apply(r) == null ? "" : bounds(metric.apply(r), k, format));
    }

    /** The table's columns: the varied axes, then round, arm, seeds and the estimates. */
    static List<ReportPage.Column<Row>> columns(Summary summary) {
        List<ReportPage.Column<Row>> columns = new ArrayList<>();
        Layout layout = Layout.of(summary);
        for (String axis : summary.axes()) {
            if (!layout.fixedAxes().contains(axis)) {
                columns.add(column(axis, "study axis " + axis, axis, true, r -> r.variant().get(axis), r -> ""));
            }
        }
        columns.addAll(List.of(
                column("Round", "pruning round", "round", r -> Integer.toString(r.round())),
                column("Arm", "arm: " + String.join(", ", arms(summary).stream()
                        .map(a -> Charts.shortLabel(a) + " = " + Charts.label(a)).toList()), "arm", true,
                        r -> Charts.shortLabel(r.arm()), r -> ""),
                column("Seeds", "seeds with this round and arm", "n", r -> Integer.toString(r.n())),
                column("Weights left (%)", "weights remaining (%), mean over the seeds", "weights_remaining",
                        r -> Charts.percent(100 * r.weightsRemaining())),
                estimate("Test accuracy (%)", "test accuracy at the end of training (%)", "test_accuracy_*",
                        Row::testAccuracy, 100, "%.2f"),
                estimate("Best test accuracy (%)", "highest test accuracy of the learning curve (%)",
                        "best_test_accuracy_*", Row::bestTestAccuracy, 100, "%.2f"),
                estimate("Early-stop iteration", "iteration of the lowest validation loss",
                        "early_stop_iteration_*", Row::earlyStopIteration, 1, "%.0f")));
        if (arms(summary).size() > 1) { // a study of the ticket alone has no differences
            columns.add(estimate("Ticket \u2212 arm (points)",
                    "test accuracy of the ticket minus this arm's, paired by seed (points)",
                    "ticket_minus_arm_test_accuracy_*", Row::ticketMinusArm, 100, "%+.2f"));
            columns.add(column("Excludes 0", "whether the 95% interval of ticket minus arm excludes zero",
                    "ticket_minus_arm_excludes_zero",
                    r -> r.ticketMinusArm() == null || !r.ticketMinusArm().hasInterval() ? ""
                            : r.ticketMinusArm().excludesZero() ? "yes" : "no"));
        }
        if (summary.rows().stream().anyMatch(r -> r.multiplyAdds() != null)) {
            columns.add(estimate("Training (TMAC)", "multiply-adds of the trainings that produced the arm's network, "
                    + "with its masks (tera)", "training_multiply_adds_*", Row::multiplyAdds, 1e-12, "%.3f"));
        }
        if (summary.rows().stream().anyMatch(r -> r.instability() != null)) {
            columns.add(estimate("Instability (points)", "error barrier between the stability arm's two copies (points)",
                    "instability_*", Row::instability, 100, "%.2f"));
        }
        if (summary.rows().stream().anyMatch(r -> r.armMinusBaseline() != null)) {
            columns.add(estimate("Arm \u2212 baseline (points)", "test accuracy of this arm minus the baseline's ticket "
                    + "of the same round, paired by seed (points)", "arm_minus_baseline_test_accuracy_*",
                    Row::armMinusBaseline, 100, "%+.2f"));
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

    /**
     * The study's page: what it varied and how the charts show it, the charts (an early-stopping
     * chart that would be flat replaced by a sentence), then the summary table.
     */
    static ReportPage page(String name, Summary summary) {
        Layout layout = Layout.of(summary);
        ReportPage page = ReportPage.titled("Lottery-ticket study", name).paragraph(description(summary, layout));
        List<ReportPage.Chart> accuracy = pageCharts(summary, layout, ACCURACY);
        Optional<String> flat = flatEarlyStop(summary);
        List<ReportPage.Chart> earlyStop = flat.isPresent() ? List.of()
                : pageCharts(summary, layout, EARLY_STOP);
        if (accuracy.size() == 1) {
            List<ReportPage.Chart> both = new ArrayList<>(accuracy);
            both.addAll(earlyStop);
            page.grid(both);
        } else {
            page.heading(ACCURACY_TITLE).grid(accuracy).heading(EARLY_STOP_TITLE);
            if (!earlyStop.isEmpty()) {
                page.grid(earlyStop);
            }
        }
        flat.ifPresent(page::paragraph);
        List<Row> stable = summary.rows().stream().filter(r -> r.instability() != null).toList();
        if (!stable.isEmpty()) {
            Summary paths = new Summary(summary.seedAxis(), summary.axes(), stable);
            page.heading(INSTABILITY_TITLE).paragraph("The largest test error on the straight line between two copies "
                    + "trained from the round's rewind point on different data orders, minus the mean of its ends "
                    + "(Frankle et al. 2020); a network is stable at up to 2 points.")
                    .grid(pageCharts(paths, Layout.of(paths), INSTABILITY));
        }
        if (summary.rows().stream().anyMatch(r -> r.multiplyAdds() != null && r.arm().equals(ArmResult.TICKET))) {
            page.heading("Test accuracy against training compute").grid(List.of(new ReportPage.Chart("study-compute",
                    "Each point a round's ticket: the multiply-adds of every training it took, with its masks "
                            + "(summary.csv: training_multiply_adds_mean), against its test accuracy.",
                    PANEL_WIDTH, PANEL_HEIGHT, () -> compute(summary, layout))));
        }
        return page.heading("Summary")
                .paragraph("Each cell: the mean over the seeds, its 95% confidence interval below; hover a header for "
                        + "what it shows and its columns in summary.csv.")
                .table(columns(summary), summary.rows(), Row::variant); // a rule above each variant's first row
    }

    /** The paragraph under the title: variants, seeds, fixed axes, how the charts show the rest, the arms, the files. */
    private static Html description(Summary summary, Layout layout) {
        int seeds = summary.rows().stream().mapToInt(Row::n).max().orElse(0);
        Html text = Html.of(variants(summary).size() + " variant(s), up to " + seeds + " seed(s) each (axis ")
                .code(summary.seedAxis()).text(").");
        if (!layout.fixedAxes().isEmpty()) {
            text = text.text(" The same in every finished run: ").append(Html.join(layout.fixedAxes().stream()
                    .map(a -> Html.of("").code(a + "=" + summary.rows().get(0).variant().get(a))).toList(), ", "))
                    .text(".");
        }
        Html lineAxes = Html.join(layout.lineAxes().stream().map(a -> Html.of("").code(a)).toList(), ", ");
        if (layout.panelAxis() != null) {
            text = text.text(" One chart per value of ").code(layout.panelAxis()).text(", all on the same scales");
            text = layout.lineAxes().isEmpty() ? text.text(".") : text.text("; lines: ").append(lineAxes).text(".");
        } else if (!layout.lineAxes().isEmpty()) {
            text = text.text(" Lines: ").append(lineAxes).text(".");
        }
        List<String> arms = arms(summary);
        return text.text(" Shaded bands: 95% confidence interval of the mean over the seeds (Student t); ")
                .text(arms.size() > 1 ? "the winning ticket solid, the control arms dashed. Arms: " : "arm: ")
                .append(Html.join(arms.stream().map(a -> Html.of("").bold(Charts.shortLabel(a)).text(" = "
                        + Charts.label(a))).toList(), ", "))
                .text(". ").data("summary.csv", "summary.json")
                .text("; each experiment's own report is in its ").code("lottery_*").text(" folder.");
    }
}

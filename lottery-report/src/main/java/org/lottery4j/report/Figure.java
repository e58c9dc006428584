package org.lottery4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A line chart of runs that are not lottery experiments (a grokking curve, a double-descent
 * sweep): one or more panels stacked over a shared x axis, linear or logarithmic, with shaded
 * bands (phases) and vertical lines (thresholds) across all panels, and optional 95% intervals
 * drawn as a shaded area around a line. Written as PNG and SVG like the experiment's charts.
 *
 * <pre>{@code
 * Figure f = new Figure("accuracy", "Grokking", "Step (log scale)", true,
 *         List.of(new Figure.Panel("Accuracy (%)", List.of(Figure.Series.of("train", steps, train),
 *                 Figure.Series.of("test", steps, test)))),
 *         List.of(new Figure.Band(1, 20, "memorization")), List.of(new Figure.Line(600, "generalized")));
 * f.write(folder.resolve("charts"));   // charts/accuracy.png and .svg
 * }</pre>
 *
 * @param name file name without extension
 * @param title the chart's title
 * @param xLabel the shared x axis' label
 * @param logX whether the x axis is logarithmic (points at {@code x <= 0} are then left out)
 * @param panels the panels, top to bottom
 * @param bands shaded x intervals, labelled, drawn on every panel (labels on the top one)
 * @param lines vertical lines, labelled, drawn on every panel (labels on the top one)
 */
public record Figure(String name, String title, String xLabel, boolean logX, List<Panel> panels, List<Band> bands,
        List<Line> lines) {

    /** Lines with more points than this are drawn without a marker at each point. */
    static final int MAX_MARKED_POINTS = 30;

    private static final Color[] BAND_COLORS = {new Color(255, 235, 205, 140), new Color(220, 220, 240, 140),
        new Color(210, 240, 215, 140)};

    public Figure {
        Objects.requireNonNull(name, "name");
        if (panels == null || panels.isEmpty()) {
            throw new IllegalArgumentException("figure " + name + " needs at least one panel");
        }
        panels = List.copyOf(panels);
        bands = bands == null ? List.of() : List.copyOf(bands);
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /**
     * One panel: its y axis and lines.
     *
     * @param yLabel the y axis' label
     * @param series the lines, in legend order
     * @param weight the panel's share of the height against the others
     */
    public record Panel(String yLabel, List<Series> series, int weight) {
        public Panel {
            series = List.copyOf(series);
            if (weight < 1) {
                throw new IllegalArgumentException("panel " + yLabel + ": weight must be >= 1, got " + weight);
            }
        }

        /** A panel of weight 1. */
        public Panel(String yLabel, List<Series> series) {
            this(yLabel, series, 1);
        }
    }

    /**
     * One line, with an optional interval around it.
     *
     * @param label the legend's text
     * @param x the x values
     * @param y the y values, as many
     * @param low the interval's lower ends, as many, or {@code null} for none
     * @param high the interval's upper ends, as many, or {@code null} for none
     * @param color index into the project's palette, or -1 for the next one in order (lines of the
     *     same color show one group, such as one arm over several seeds)
     */
    public record Series(String label, double[] x, double[] y, double[] low, double[] high, int color) {
        public Series {
            if (x.length != y.length || (low == null) != (high == null)
                    || (low != null && (low.length != x.length || high.length != x.length))) {
                throw new IllegalArgumentException("series " + label + ": x, y and the interval need as many values ("
                        + x.length + " x, " + y.length + " y" + (low == null ? "" : ", " + low.length + " low, "
                        + high.length + " high") + ")");
            }
        }

        /** A line without interval, colored in order. */
        public static Series of(String label, double[] x, double[] y) {
            return new Series(label, x, y, null, null, -1);
        }

        /** This line in the palette's color {@code color}. */
        public Series colored(int color) {
            return new Series(label, x, y, low, high, color);
        }
    }

    /** A shaded interval of x, such as a phase of training. */
    public record Band(double from, double to, String label) {}

    /** A vertical line at x, such as a threshold. */
    public record Line(double x, String label) {}

    /** Draws the figure into {@code dir} as {@code NAME.png} and {@code NAME.svg}. */
    public void write(Path dir) throws IOException {
        asChart().write(dir);
    }

    /** The figure as a chart of a page, the page's width, taller by 200 px for each panel. */
    ReportPage.Chart asChart() {
        return new ReportPage.Chart(name, "", Charts.WIDTH, 300 + 200 * panels.size(), this::chart);
    }

    JFreeChart chart() {
        ValueAxis x;
        if (logX) {
            LogAxis log = new LogAxis(xLabel);
            log.setBase(10);
            log.setSmallestValue(1e-9);
            log.setMinorTickMarksVisible(true);
            log.setTickUnit(new NumberTickUnit(1)); // a label per power of ten, written 1, 10, 100, 1,000
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            x = log;
        } else {
            x = new NumberAxis(xLabel);
        }
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
        combined.setGap(12);
        int colorOffset = 0;
        for (int i = 0; i < panels.size(); i++) {
            Panel panel = panels.get(i);
            XYPlot plot = plot(panel, colorOffset, i == 0);
            colorOffset += panel.series().size();
            combined.add(plot, panel.weight());
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private XYPlot plot(Panel panel, int colorOffset, boolean top) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Series s : panel.series()) {
            YIntervalSeries out = new YIntervalSeries(s.label(), false, true);
            for (int j = 0; j < s.x().length; j++) {
                if (logX && s.x()[j] <= 0) {
                    continue;
                }
                double y = s.y()[j];
                out.add(s.x()[j], y, s.low() == null ? y : s.low()[j], s.high() == null ? y : s.high()[j]);
            }
            data.addSeries(out);
        }
        NumberAxis y = new NumberAxis(panel.yLabel());
        y.setAutoRangeIncludesZero(false);
        if (panel.series().stream().allMatch(s -> java.util.Arrays.stream(s.y()).allMatch(v -> v >= 0))) {
            y.setRangeType(org.jfree.data.RangeType.POSITIVE); // an interval below zero of an error rate or accuracy means nothing
        }
        XYPlot plot = new XYPlot(data, null, y, null);
        DeviationRenderer renderer = Charts.styled(plot, new DeviationRenderer(true, true));
        renderer.setAlpha(0.18f);
        for (int j = 0; j < panel.series().size(); j++) {
            renderer.setSeriesShapesVisible(j, panel.series().get(j).x().length <= MAX_MARKED_POINTS);
            int color = panel.series().get(j).color();
            Color c = Charts.ARM_COLORS[(color >= 0 ? color : colorOffset + j) % Charts.ARM_COLORS.length];
            renderer.setSeriesPaint(j, c);
            renderer.setSeriesFillPaint(j, c);
        }
        for (int b = 0; b < bands.size(); b++) {
            Band band = bands.get(b);
            IntervalMarker m = new IntervalMarker(band.from(), band.to(), BAND_COLORS[b % BAND_COLORS.length]);
            if (top) {
                label(m, band.label(), RectangleAnchor.TOP, TextAnchor.TOP_CENTER);
            }
            plot.addDomainMarker(m, Layer.BACKGROUND);
        }
        for (Line line : lines) {
            ValueMarker m = new ValueMarker(line.x(), Color.DARK_GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            if (top) {
                label(m, line.label(), RectangleAnchor.TOP_RIGHT, TextAnchor.TOP_LEFT);
            }
            plot.addDomainMarker(m, Layer.FOREGROUND);
        }
        return plot;
    }

    private static void label(org.jfree.chart.plot.Marker m, String text, RectangleAnchor anchor, TextAnchor textAnchor) {
        m.setLabel(text);
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        m.setLabelAnchor(anchor);
        m.setLabelTextAnchor(textAnchor);
    }
}

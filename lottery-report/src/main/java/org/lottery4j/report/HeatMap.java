package org.lottery4j.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.IntStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A heat map: a value at each (x, y) cell, such as a spectrum's power share per frequency (y) at
 * each recorded step (x, optionally on a log axis), coloured from white (the smallest value) to
 * dark blue (the largest) with a colour scale beside it. Written as PNG and SVG like a {@link Figure}.
 *
 * <pre>{@code
 * HeatMap map = new HeatMap("spectrum", "First layer's spectrum", "Step (log scale)", true,
 *         steps, "Frequency", frequencies, shares, "Power share");   // shares[x][y]
 * page.heatMap(map);
 * }</pre>
 *
 * @param name file name without extension
 * @param title the chart's title
 * @param xLabel the x axis' label
 * @param logX whether the x axis is logarithmic (columns at {@code x <= 0} are left out)
 * @param x the columns' positions, increasing
 * @param yLabel the y axis' label
 * @param y the rows' positions, increasing
 * @param values {@code values[column][row]}
 * @param valueLabel what the colour says
 */
public record HeatMap(String name, String title, String xLabel, boolean logX, double[] x, String yLabel, double[] y,
        double[][] values, String valueLabel) {

    private static final int SHADES = 64;

    public HeatMap {
        Objects.requireNonNull(name, "name");
        if (x.length == 0 || y.length == 0 || values.length != x.length) {
            throw new IllegalArgumentException("heat map " + name + " needs a column of values per x, got " + values.length
                    + " columns for " + x.length + " x values");
        }
        for (double[] column : values) {
            if (column.length != y.length) {
                throw new IllegalArgumentException("heat map " + name + ": a column of " + column.length
                        + " values for " + y.length + " rows");
            }
        }
    }

    /** Draws the map into {@code dir} as {@code NAME.png} and {@code NAME.svg}. */
    public void write(Path dir) throws IOException {
        asChart().write(dir);
    }

    ReportPage.Chart asChart() {
        return new ReportPage.Chart(name, "", Charts.WIDTH, 500, this::chart);
    }

    JFreeChart chart() {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (!logX || x[i] > 0) {
                for (double v : values[i]) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        // XYBlockRenderer draws every cell equally wide, so columns go on an even grid: on a log axis
        // a grid of log10(x), each cell showing the last column recorded by its right edge
        int[] source;
        double[] at;
        double width;
        if (logX) {
            double lo = Double.NaN;
            for (double v : x) {
                if (v > 0) {
                    lo = Math.log10(v);
                    break;
                }
            }
            if (Double.isNaN(lo)) {
                throw new IllegalArgumentException("heat map " + name + " on a log axis has no x above 0");
            }
            double hi = Math.log10(x[x.length - 1]);
            int cells = hi > lo ? LOG_CELLS : 1;
            width = hi > lo ? (hi - lo) / cells : 1;
            source = new int[cells];
            at = new double[cells];
            int i = 0;
            for (int c = 0; c < cells; c++) {
                at[c] = lo + c * width;
                double upTo = Math.pow(10, at[c] + width) * (1 + 1e-12); // the cell's right edge
                while (i + 1 < x.length && x[i + 1] <= upTo) {
                    i++;
                }
                source[c] = i;
            }
        } else {
            source = IntStream.range(0, x.length).toArray();
            at = x.clone();
            width = 1;
            for (int i = 1; i < x.length; i++) {
                width = i == 1 ? x[1] - x[0] : Math.min(width, x[i] - x[i - 1]);
            }
        }
        double[][] xyz = new double[3][source.length * y.length];
        int k = 0;
        for (int c = 0; c < source.length; c++) {
            for (int j = 0; j < y.length; j++) {
                xyz[0][k] = at[c];
                xyz[1][k] = y[j];
                xyz[2][k] = values[source[c]][j];
                k++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(valueLabel, xyz);
        NumberAxis xAxis = new NumberAxis(xLabel);
        if (logX) {
            xAxis.setTickUnit(new NumberTickUnit(1, new PowerOfTen())); // a label per power of ten
            xAxis.setRange(at[0], at[at.length - 1] + width);
        }
        return chart(data, xAxis, min, max, width);
    }

    /** Cells across a log axis. */
    private static final int LOG_CELLS = 240;

    /** Formats log10(x) as x: 1, 10, 100, 1,000. */
    private static final class PowerOfTen extends java.text.NumberFormat {
        private final DecimalFormat plain = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));

        @Override
        public StringBuffer format(double number, StringBuffer to, java.text.FieldPosition pos) {
            return plain.format(Math.pow(10, number), to, pos);
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, java.text.FieldPosition pos) {
            return format((double) number, to, pos);
        }

        @Override
        public Number parse(String source, java.text.ParsePosition pos) {
            throw new UnsupportedOperationException("labels only");
        }
    }

    private JFreeChart chart(DefaultXYZDataset data, NumberAxis xAxis, double min, double max, double width) {
        NumberAxis yAxis = new NumberAxis(yLabel);
        yAxis.setRange(y[0] - 0.5, y[y.length - 1] + 0.5);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_LEFT);
        renderer.setBlockWidth(width);
        renderer.setBlockHeight(1);
        // white at the smallest value, dark blue at the largest: the contrast of values that differ
        // by little, such as a spectrum's shares around 1 / 48
        double lo = min < max ? min : min - 1;
        double hi = min < max ? max : max + 1;
        LookupPaintScale scale = new LookupPaintScale(lo, hi, Color.WHITE);
        for (int s = 0; s < SHADES; s++) {
            double t = (double) s / (SHADES - 1);
            scale.add(lo + (hi - lo) * s / SHADES, new Color((int) (255 - 247 * t), (int) (255 - 207 * t),
                    (int) (255 - 148 * t)));
        }
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis scaleAxis = new NumberAxis(valueLabel);
        scaleAxis.setRange(lo, hi);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        return chart;
    }
}

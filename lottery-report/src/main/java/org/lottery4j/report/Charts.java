package org.lottery4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.ExperimentResult;

/**
 * The experiment's charts, each as PNG and SVG: test accuracy against weights remaining (log
 * axis, falling left to right, as in the lottery-ticket papers' figures, labelled at the rounds'
 * own sparsities), the early-stopping iteration against weights remaining (left out when every
 * point would be the same iteration, or every run was evaluated only before and after training),
 * and the ticket's learning curves per round (coloured from dark to light as the rounds get
 * sparser, the accuracy axis spanning the curves after their untrained first evaluation).
 *
 * <p>Drawing needs no display: JFreeChart draws into a {@code BufferedImage} and an
 * {@code SVGGraphics2D}. On Linux the JVM is headless by itself when {@code DISPLAY} is unset;
 * where a {@code DISPLAY} is set but cannot be reached (a forwarded session that has gone), start
 * the JVM with {@code -Djava.awt.headless=true}. This class leaves that global setting to the
 * program's {@code main}.
 *
 * <pre>{@code
 * List<String> names = Charts.write(folder.resolve("charts"), result);   // accuracy, early-stop, curves
 * }</pre>
 */
public final class Charts {

    static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    /** Labels on the weights-remaining axis at most; about 55 px each at {@link #WIDTH}. */
    static final int MAX_TICKS = 14;
    /** Learning curves drawn at most; beyond it, every other (or every third...) round. */
    static final int MAX_CURVES = 8;
    static final String WEIGHTS_AXIS = "Weights remaining (%, log scale)";
    /** Tableau's ten categorical colours (matplotlib's default cycle), for arms and a study's variants. */
    static final Color[] ARM_COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    /**
     * Markers of lines that may run on top of each other (arms, a study's variants), one shape each,
     * drawn hollow by {@link #marked}: where lines overlap, each marker still shows.
     */
    static final Shape[] MARKERS = {new Ellipse2D.Double(-4, -4, 8, 8), new Rectangle2D.Double(-3.5, -3.5, 7, 7),
        ShapeUtils.createUpTriangle(4.5f), ShapeUtils.createDiamond(4.5f), ShapeUtils.createDownTriangle(4.5f),
        ShapeUtils.createDiagonalCross(4f, 1f), ShapeUtils.createRegularCross(4.5f, 1f)};
    /** Viridis from dark purple to green (its light yellow end is unreadable on white). */
    private static final Color[] SEQUENTIAL = {new Color(68, 1, 84), new Color(59, 82, 139), new Color(33, 145, 140),
        new Color(94, 201, 98), new Color(170, 220, 50)};

    private Charts() {}

    /**
     * Writes every chart as {@code NAME.png} and {@code NAME.svg}; returns the names. The
     * early-stopping chart is left out when it would say nothing ({@link #flatEarlyStop}).
     */
    public static List<String> write(Path dir, ExperimentResult result) throws IOException {
        List<ReportPage.Chart> charts = charts(result);
        for (ReportPage.Chart c : charts) {
            c.write(dir);
        }
        return charts.stream().map(ReportPage.Chart::name).toList();
    }

    /**
     * The experiment's charts, drawn when written: test accuracy against weights remaining, the
     * early-stopping iteration (unless {@link #flatEarlyStop} says why not) and the learning
     * curves, captioned with what their accuracy axis shows.
     */
    static List<ReportPage.Chart> charts(ExperimentResult result) {
        List<ReportPage.Chart> charts = new ArrayList<>();
        charts.add(new ReportPage.Chart("accuracy", "", WIDTH, HEIGHT, () -> byWeightsRemaining(result,
                "Test accuracy (%)", r -> 100 * r.training().finalTestAccuracy(), "Test accuracy at the end of training")));
        if (flatEarlyStop(result).isEmpty()) {
            charts.add(new ReportPage.Chart("early-stop", "", WIDTH, HEIGHT, () -> earlyStop(result)));
        }
        List<ArmResult> shown = curveRounds(result.ticketRounds(), MAX_CURVES);
        double[] range = curveRange(shown);
        charts.add(new ReportPage.Chart("curves", curvesCaption(shown, range), WIDTH, HEIGHT,
                () -> curves(shown, result.ticketRounds().size(), range)));
        List<ArmResult> stability = result.results().stream().filter(r -> r.stability() != null).toList();
        if (!stability.isEmpty()) {
            List<ArmResult> paths = spread(stability.size(), MAX_CURVES).stream().map(stability::get).toList();
            charts.add(new ReportPage.Chart("stability", stabilityCaption(paths, stability.size()), WIDTH, HEIGHT,
                    () -> stabilityPaths(paths)));
        }
        return charts;
    }

    /** What the stability chart shows: the instability of every round drawn. */
    static String stabilityCaption(List<ArmResult> paths, int rounds) {
        return "Instability (largest error on the path minus the mean of its ends, Frankle et al. 2020): "
                + paths.stream().map(r -> String.format(Locale.ROOT, "round %d %.2f points", r.round(),
                        100 * r.stability().instability())).collect(java.util.stream.Collectors.joining(", "))
                + (paths.size() < rounds ? "; " + paths.size() + " of " + rounds + " rounds drawn, results.json holds every path"
                        : "") + ".";
    }

    /** Test error along the straight line between the stability arm's two copies, one line per round. */
    private static JFreeChart stabilityPaths(List<ArmResult> paths) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (ArmResult r : paths) {
            XYSeries s = new XYSeries(String.format(Locale.ROOT, "round %d (%s%%)", r.round(),
                    percent(100 * r.weightsRemaining())), false);
            for (int i = 0; i < r.stability().alphas().size(); i++) {
                s.add((double) r.stability().alphas().get(i), 100 * r.stability().errors().get(i));
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Test error between two copies trained from the rewind point",
                "Interpolation (0 = first copy, 1 = second)", "Test error (%)", data, PlotOrientation.VERTICAL, true,
                false, false);
        XYLineAndShapeRenderer renderer = renderer(chart.getXYPlot());
        for (int i = 0; i < paths.size(); i++) {
            renderer.setSeriesPaint(i, sequential(i, paths.size()));
        }
        return chart;
    }

    private static JFreeChart earlyStop(ExperimentResult result) {
        JFreeChart chart = byWeightsRemaining(result, "Early-stopping iteration", r -> r.training().earlyStopIteration(),
                "Iteration of the lowest validation loss");
        // whole iterations, and a readable axis when most rounds stop at the same one
        NumberAxis iterations = (NumberAxis) chart.getXYPlot().getRangeAxis();
        iterations.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        iterations.setAutoRangeMinimumSize(10);
        return chart;
    }

    /**
     * Why the early-stopping chart would say nothing, as the sentence the page shows in its place;
     * empty when it is worth drawing. It says nothing when every run was evaluated only before
     * training and at its end (the lowest validation loss has nowhere to fall in between), or when
     * every round of every arm stops at the same iteration (a flat line).
     */
    static Optional<String> flatEarlyStop(ExperimentResult result) {
        if (!result.results().isEmpty() && result.results().stream().allMatch(r -> r.training().curve().size() <= 2)) {
            return Optional.of("No chart of the early-stopping iteration: every run was evaluated only before and at "
                    + "the end of its training, so its lowest validation loss could not fall in between "
                    + "(early_stop_iteration in rounds.csv). A shorter training.evalEvery shows when each round "
                    + "learned best.");
        }
        OptionalDouble same = constant(result.results().stream().mapToDouble(r -> r.training().earlyStopIteration()));
        return same.isPresent() ? Optional.of(sameEarlyStop("every round of every arm", same.getAsDouble(),
                "early_stop_iteration in rounds.csv")) : Optional.empty();
    }

    /** The sentence in place of an early-stopping chart whose every point is {@code iteration}. */
    static String sameEarlyStop(String who, double iteration, String column) {
        return String.format(Locale.ROOT, "No chart of the early-stopping iteration: %s has its lowest validation loss "
                + "at iteration %.0f (%s).", who, iteration, column);
    }

    /** The one value of {@code values} when they are all the same ({@code NaN}s left out); else empty. */
    static OptionalDouble constant(DoubleStream values) {
        double[] distinct = values.filter(v -> !Double.isNaN(v)).distinct().limit(2).toArray();
        return distinct.length == 1 ? OptionalDouble.of(distinct[0]) : OptionalDouble.empty();
    }

    /** The arms of the charts and the table: the ticket, then the control arms. */
    static List<String> arms(ExperimentResult result) {
        List<String> arms = new ArrayList<>();
        arms.add(ArmResult.TICKET);
        arms.addAll(result.arms());
        return arms;
    }

    private static JFreeChart byWeightsRemaining(ExperimentResult result, String yLabel,
            ToDoubleFunction<ArmResult> y, String title) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> arms = arms(result);
        for (String arm : arms) {
            XYSeries s = new XYSeries(label(arm), false);
            result.results().stream().filter(r -> r.arm().equals(arm))
                    .forEach(r -> s.add(100 * r.weightsRemaining(), y.applyAsDouble(r)));
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, WEIGHTS_AXIS, yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(new RoundsAxis(tickValues(
                result.ticketRounds().stream().map(r -> 100 * r.weightsRemaining()).toList(), MAX_TICKS)));
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = renderer(plot);
        for (int i = 0; i < arms.size(); i++) {
            renderer.setSeriesPaint(i, ARM_COLORS[i % ARM_COLORS.length]);
            marked(renderer, i, i);
        }
        return chart;
    }

    /**
     * The weights remaining (percent) to label on the log axis: the rounds' own values, thinned
     * to at most {@code max} by keeping every k-th from the densest, and always the sparsest, so
     * that the labels are data and never collide.
     */
    static List<Double> tickValues(List<Double> percents, int max) {
        List<Double> distinct = percents.stream().distinct().sorted((a, b) -> Double.compare(b, a)).toList();
        return spread(distinct.size(), max).stream().map(distinct::get).toList();
    }

    /**
     * At most {@code max} of the indices {@code 0..n-1}, evenly spaced: 0, every k-th, and
     * {@code n-1}, leaving out the one before {@code n-1} when it is closer to it than k (on a log
     * axis of rounds pruned at one rate, labels closer than the others may collide).
     */
    static List<Integer> spread(int n, int max) {
        List<Integer> out = new ArrayList<>();
        int stride = n <= max ? 1 : (n - 1 + max - 2) / (max - 1);
        for (int i = 0; i < n - 1; i += stride) {
            out.add(i);
        }
        if (out.size() > 1 && n - 1 - out.get(out.size() - 1) < stride) {
            out.remove(out.size() - 1);
        }
        if (n > 0) {
            out.add(n - 1);
        }
        return out;
    }

    /** A percentage with three significant digits and no trailing zeros: 100, 80, 64.1, 8.59, 0.512. */
    static String percent(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static JFreeChart curves(List<ArmResult> shown, int rounds, double[] range) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (ArmResult r : shown) {
            XYSeries s = new XYSeries(String.format(Locale.ROOT, "round %d (%s%%)", r.round(),
                    percent(100 * r.weightsRemaining())), false);
            for (CurvePoint p : r.training().curve()) {
                s.add(p.iteration(), 100 * p.testAccuracy());
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Ticket learning curves by round", "Training iteration",
                "Test accuracy (%)", data, PlotOrientation.VERTICAL, true, false, false);
        if (shown.size() < rounds) {
            chart.addSubtitle(new TextTitle(String.format(Locale.ROOT,
                    "%d of %d rounds shown, the densest and sparsest included; results.json holds every curve",
                    shown.size(), rounds)));
        }
        XYPlot plot = chart.getXYPlot();
        plot.getRangeAxis().setRange(range[0], range[1]);
        XYLineAndShapeRenderer renderer = renderer(plot);
        for (int i = 0; i < shown.size(); i++) {
            renderer.setSeriesPaint(i, sequential(i, shown.size()));
        }
        return chart;
    }

    /**
     * The rounds whose learning curves are drawn: all of them up to {@code max}, else round 0,
     * every k-th and the sparsest, at most {@code max} ({@link #spread}).
     */
    static List<ArmResult> curveRounds(List<ArmResult> rounds, int max) {
        return spread(rounds.size(), max).stream().map(rounds::get).toList();
    }

    /**
     * The test-accuracy axis (percent) of the learning curves: from the lowest to the highest
     * point after each curve's first evaluation, widened by half a point and rounded out to whole
     * percents, never outside [0, 100]. The first evaluation (iteration 0, before training: chance
     * level for the dense network) is left out: far below the rest, it would squeeze the curves into
     * one band at the top. A curve of one evaluation counts it.
     */
    static double[] curveRange(List<ArmResult> rounds) {
        double low = 100;
        double high = 0;
        for (ArmResult r : rounds) {
            for (CurvePoint p : trained(r.training().curve())) {
                low = Math.min(low, 100 * p.testAccuracy());
                high = Math.max(high, 100 * p.testAccuracy());
            }
        }
        if (low > high) {
            return new double[] {0, 100};
        }
        double bottom = Math.max(0, Math.floor(low - 0.5));
        double top = Math.min(100, Math.ceil(high + 0.5));
        return new double[] {bottom, Math.max(top, bottom + 1)};
    }

    /** The evaluations of a curve after its first; the first alone if it has no other. */
    private static List<CurvePoint> trained(List<CurvePoint> curve) {
        return curve.size() > 1 ? curve.subList(1, curve.size()) : curve;
    }

    /**
     * The learning curves' caption: the accuracy axis' range, and where the first evaluations lie
     * when the axis leaves them out.
     */
    static String curvesCaption(List<ArmResult> shown, double[] range) {
        String caption = "The accuracy axis spans " + percent(range[0]) + "% to " + percent(range[1])
                + "%, the range of the curves after their first evaluation (iteration 0, before training)";
        double[] first = shown.stream().filter(r -> !r.training().curve().isEmpty())
                .mapToDouble(r -> 100 * r.training().curve().get(0).testAccuracy()).sorted().toArray();
        if (first.length == 0 || first[0] >= range[0] && first[first.length - 1] <= range[1]) {
            return caption + ".";
        }
        String at = first[0] == first[first.length - 1] ? percent(first[0]) + "%"
                : percent(first[0]) + "% to " + percent(first[first.length - 1]) + "%";
        return caption + ", which lies " + (first[first.length - 1] < range[0] ? "below" : "outside") + " it at " + at
                + ".";
    }

    /** Colour {@code i} of {@code n} on the sequential palette, dark for the first. */
    static Color sequential(int i, int n) {
        double t = n <= 1 ? 0 : (double) i / (n - 1) * (SEQUENTIAL.length - 1);
        int k = Math.min((int) t, SEQUENTIAL.length - 2);
        double f = t - k;
        Color a = SEQUENTIAL[k];
        Color b = SEQUENTIAL[k + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static XYLineAndShapeRenderer renderer(XYPlot plot) {
        return styled(plot, new XYLineAndShapeRenderer(true, true));
    }

    /** Sets the plot's look and {@code renderer}'s lines (2 px) and points, and installs it. */
    static <R extends XYLineAndShapeRenderer> R styled(XYPlot plot, R renderer) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        plot.setRenderer(renderer);
        return renderer;
    }

    /** Gives {@code series} the hollow marker {@code marker} of {@link #MARKERS} (modulo their number). */
    static void marked(XYLineAndShapeRenderer renderer, int series, int marker) {
        renderer.setSeriesShape(series, MARKERS[marker % MARKERS.length]);
        renderer.setSeriesShapesFilled(series, false);
        renderer.setSeriesOutlineStroke(series, new BasicStroke(1.5f));
    }

    /** The label of an arm in legends and table headers. */
    static String label(String arm) {
        return switch (arm) {
            case ArmResult.TICKET -> "winning ticket (pruned, rewound)";
            case "reinit" -> "random re-initialization (same masks)";
            case "random_pruning" -> "random pruning (same sparsity)";
            case "inverted" -> "inverted scores (most important pruned)";
            case "stability" -> "stability (first of two copies)";
            default -> arm;
        };
    }

    /**
     * The short name of an arm in a study's legends and table, where space is scarce; the page
     * spells out each with {@link #label}.
     */
    static String shortLabel(String arm) {
        return switch (arm) {
            case ArmResult.TICKET -> "ticket";
            case "random_pruning" -> "random pruning";
            default -> arm;
        };
    }

    /** Something that draws and writes charts. */
    interface Drawing<T> {
        T draw() throws IOException;
    }

    /**
     * Runs {@code drawing}; Java's failure to reach a display becomes an {@code IOException} naming
     * {@code folder} and the cure.
     */
    static <T> T drawn(Path folder, Drawing<T> drawing) throws IOException {
        try {
            return drawing.draw();
        } catch (java.awt.AWTError e) {
            throw new IOException("cannot draw the charts of " + folder + ": " + e.getMessage()
                    + "; start Java with -Djava.awt.headless=true to draw without a display", e);
        }
    }

    /** Writes {@code chart} as {@code NAME.png} and {@code NAME.svg} of {@code width x height} pixels. */
    static void save(Path dir, String name, JFreeChart chart, int width, int height) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".png"), out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        chart.draw(g2, new Rectangle(width, height));
        AtomicFiles.writeString(dir.resolve(name + ".svg"), g2.getSVGDocument());
    }

    /**
     * The weights-remaining axis: logarithmic, dense on the left, labelled and grid-lined at the
     * given values only (JFreeChart's own log ticks, 100, 79.4, 63.1, ..., look like data).
     */
    static final class RoundsAxis extends LogAxis {

        private final List<Double> ticks;

        RoundsAxis(List<Double> ticks) {
            super(WEIGHTS_AXIS);
            this.ticks = ticks;
            setBase(10);
            setInverted(true);
            setSmallestValue(1e-4);
            setMinorTickMarksVisible(false);
        }

        @Override
        protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            TextAnchor anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
            List<NumberTick> out = new ArrayList<>();
            for (double v : ticks) {
                if (getRange().contains(v)) {
                    out.add(new NumberTick(TickType.MAJOR, v, percent(v), anchor, TextAnchor.CENTER, 0.0));
                }
            }
            return out;
        }
    }
}

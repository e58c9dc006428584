package org.lottery4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.ExperimentResult;

/**
 * The experiment's charts, each as PNG and SVG: test accuracy against weights remaining (log
 * axis, falling left to right, as in the lottery-ticket papers' figures), the ticket's learning
 * curves per round, and the early-stopping iteration against weights remaining.
 *
 * <pre>{@code
 * List<String> names = Charts.write(folder.resolve("charts"), result);   // accuracy, curves, early-stop
 * }</pre>
 */
public final class Charts {

    static {
        // charts render off-screen; a server or CI machine has no display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final Color[] ARM_COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44)};

    private Charts() {}

    /** Writes every chart as {@code NAME.png} and {@code NAME.svg}; returns the names. */
    public static List<String> write(Path dir, ExperimentResult result) throws IOException {
        save(dir, "accuracy", byWeightsRemaining(result, "Test accuracy (%)", r -> 100 * r.training().finalTestAccuracy(),
                "Test accuracy at the end of training"));
        save(dir, "early-stop", byWeightsRemaining(result, "Early-stopping iteration",
                r -> r.training().earlyStopIteration(), "Iteration of the lowest validation loss"));
        save(dir, "curves", curves(result));
        return List.of("accuracy", "early-stop", "curves");
    }

    private static JFreeChart byWeightsRemaining(ExperimentResult result, String yLabel,
            ToDoubleFunction<ArmResult> y, String title) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> arms = new java.util.ArrayList<>();
        arms.add(ArmResult.TICKET);
        arms.addAll(result.arms());
        for (String arm : arms) {
            XYSeries s = new XYSeries(label(arm), false);
            result.results().stream().filter(r -> r.arm().equals(arm))
                    .forEach(r -> s.add(100 * r.weightsRemaining(), y.applyAsDouble(r)));
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "Weights remaining (%)", yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("Weights remaining (%)");
        x.setBase(10);
        x.setInverted(true); // dense on the left, sparsest on the right
        x.setNumberFormatOverride(new DecimalFormat("0.#"));
        x.setSmallestValue(0.01);
        plot.setDomainAxis(x);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        style(plot, arms.size());
        return chart;
    }

    private static JFreeChart curves(ExperimentResult result) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<ArmResult> rounds = result.ticketRounds();
        for (ArmResult r : rounds) {
            XYSeries s = new XYSeries(String.format(Locale.ROOT, "round %d (%.1f%%)", r.round(), 100 * r.weightsRemaining()), false);
            for (CurvePoint p : r.training().curve()) {
                s.add(p.iteration(), 100 * p.testAccuracy());
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Ticket learning curves by round", "Training iteration",
                "Test accuracy (%)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        NumberAxis yAxis = (NumberAxis) plot.getRangeAxis();
        // the interesting part is the top: start the axis near the lowest accuracy after the first evaluation
        double low = rounds.stream().flatMap(r -> r.training().curve().stream().skip(1))
                .mapToDouble(p -> 100 * p.testAccuracy()).min().orElse(0);
        double high = rounds.stream().flatMap(r -> r.training().curve().stream())
                .mapToDouble(p -> 100 * p.testAccuracy()).max().orElse(100);
        yAxis.setRange(Math.max(0, Math.floor(low - 1)), Math.min(100, Math.ceil(high + 0.5)));
        yAxis.setTickUnit(new NumberTickUnit(yAxis.getRange().getLength() > 20 ? 10 : 1));
        style(plot, 0);
        return chart;
    }

    private static void style(XYPlot plot, int armColors) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            if (i < armColors) {
                renderer.setSeriesPaint(i, ARM_COLORS[i % ARM_COLORS.length]);
            }
        }
        plot.setRenderer(renderer);
    }

    private static String label(String arm) {
        return switch (arm) {
            case ArmResult.TICKET -> "winning ticket (pruned, rewound)";
            case "reinit" -> "random re-initialization (same masks)";
            case "random_pruning" -> "random pruning (same sparsity)";
            default -> arm;
        };
    }

    private static void save(Path dir, String name, JFreeChart chart) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".png"), out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g2, new Rectangle(WIDTH, HEIGHT));
        AtomicFiles.writeString(dir.resolve(name + ".svg"), g2.getSVGDocument());
    }
}

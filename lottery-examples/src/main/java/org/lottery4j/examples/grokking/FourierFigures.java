package org.lottery4j.examples.grokking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.lottery4j.report.Figure;
import org.lottery4j.report.HeatMap;
import org.lottery4j.results.CurvePoint;

/**
 * The grokking page's Fourier charts: the measures over training beside the losses, the first
 * layer's spectrum over training as a heat map, and the spectrum at memorization, mid-plateau and
 * after generalization.
 *
 * <pre>{@code
 * page.figure(FourierFigures.measures(curve, fourier, GrokkingPhases.of(curve)));
 * }</pre>
 */
final class FourierFigures {

    private FourierFigures() {}

    /** One sentence: the key frequencies and when each measure crossed halfway, against test accuracy. */
    static String describe(FourierSummary s, GrokkingHparams hp, List<FourierPoint> fourier) {
        java.util.IntSummaryStatistics counts = fourier.stream().mapToInt(FourierPoint::dominantFrequencies)
                .summaryStatistics();
        String dominant = counts.getMin() == counts.getMax() ? counts.getMin() + " throughout"
                : counts.getMin() + " to " + counts.getMax() + " (" + fourier.get(fourier.size() - 1).dominantFrequencies()
                        + " at the end)";
        return String.format(Locale.ROOT, "Key frequencies (the fewest of the final outputs' %d frequencies along a %s b - c "
                + "that hold %.0f%% of their energy, strongest first): %s. Halfway from start to end: Fourier concentration at step %s, top-5 power share at %s, restricted test loss at %s, "
                + "excluded training loss at %s, test loss at %s; test accuracy reached 50%% at step %s. Distinct "
                + "dominant frequencies of the first layer's units: %s. The measures took %.1f s of the run's %.1f s.", (hp.p() - 1) / 2, hp.operation() == ModularArithmetic.Operation.SUBTRACT ? "-" : "+",
                100 * FourierProgress.KEY_ENERGY, s.keyFrequencies().length + " frequencies " + Arrays.toString(s.keyFrequencies()),
                step(s.concentrationHalfway()), step(s.topShareHalfway()), step(s.restrictedTestLossHalfway()),
                step(s.excludedTrainLossHalfway()), step(s.testLossHalfway()), step(s.testAccuracy50()), dominant,
                s.measureSeconds(), s.runSeconds());
    }

    private static String step(Long step) {
        return step == null ? "(never)" : String.format(Locale.ROOT, "%,d", step);
    }

    /** Concentration and top-5 share; distinct dominant frequencies; the four losses; phases shaded. */
    static Figure measures(List<CurvePoint> curve, List<FourierPoint> fourier, GrokkingPhases phases) {
        double[] steps = fourier.stream().mapToDouble(FourierPoint::step).toArray();
        List<Figure.Series> shares = List.of(
                Figure.Series.of("Fourier concentration", steps, fourier.stream().mapToDouble(FourierPoint::concentration).toArray()),
                Figure.Series.of("top-5 frequencies' power share", steps, fourier.stream().mapToDouble(FourierPoint::topShare).toArray()));
        List<Figure.Series> dominant = List.of(Figure.Series.of("distinct dominant frequencies", steps,
                fourier.stream().mapToDouble(FourierPoint::dominantFrequencies).toArray()));
        List<Figure.Series> losses = new ArrayList<>();
        losses.add(Figure.Series.of("train loss", steps, curve.stream().mapToDouble(CurvePoint::trainLoss).toArray()));
        losses.add(Figure.Series.of("test loss", steps, curve.stream().mapToDouble(CurvePoint::testLoss).toArray()));
        if (fourier.stream().noneMatch(f -> Double.isNaN(f.restrictedTestLoss()))) {
            losses.add(Figure.Series.of("restricted test loss", steps,
                    fourier.stream().mapToDouble(FourierPoint::restrictedTestLoss).toArray()));
            losses.add(Figure.Series.of("excluded test loss", steps,
                    fourier.stream().mapToDouble(FourierPoint::excludedTestLoss).toArray()));
            losses.add(Figure.Series.of("excluded train loss", steps,
                    fourier.stream().mapToDouble(FourierPoint::excludedTrainLoss).toArray()));
        }
        List<Figure.Panel> panels = new ArrayList<>();
        panels.add(new Figure.Panel("Share of power", shares, 2));
        if (fourier.stream().mapToInt(FourierPoint::dominantFrequencies).distinct().count() > 1) {
            panels.add(new Figure.Panel("Frequencies", dominant, 1)); // a constant count is said in the text
        }
        panels.add(new Figure.Panel("Loss", losses, 2));
        return new Figure("fourier", "Fourier progress measures", "Step (log scale)", true, panels,
                GrokkingReport.bands(curve, phases), List.of());
    }

    /** The first layer's power share per frequency (y) at each recorded step (x, log scale). */
    static HeatMap heatMap(List<FourierPoint> fourier, GrokkingHparams hp) {
        double[] steps = fourier.stream().mapToDouble(FourierPoint::step).toArray();
        double[] frequencies = IntStream.rangeClosed(1, (hp.p() - 1) / 2).asDoubleStream().toArray();
        double[][] shares = fourier.stream().map(FourierPoint::shares).toArray(double[][]::new);
        return new HeatMap("spectrum", "First layer's spectrum over training", "Step (log scale)", true, steps,
                "Frequency", frequencies, shares, "Share of power");
    }

    /** The spectrum at memorization, mid-plateau (the geometric middle) and the end or generalization's last point. */
    static Figure moments(List<FourierPoint> fourier, GrokkingPhases phases, GrokkingHparams hp) {
        double[] frequencies = IntStream.rangeClosed(1, (hp.p() - 1) / 2).asDoubleStream().toArray();
        long last = fourier.get(fourier.size() - 1).step();
        long memorized = Math.max(1, phases.memorization().orElse(1));
        long generalized = phases.generalization().orElse(last);
        long middle = Math.round(Math.sqrt((double) memorized * generalized));
        List<Figure.Series> series = new ArrayList<>();
        for (long[] moment : new long[][] {{memorized, 0}, {middle, 1}, {last, 2}}) {
            FourierPoint at = nearest(fourier, moment[0]);
            String label = switch ((int) moment[1]) {
                case 0 -> "memorization";
                case 1 -> "mid-plateau";
                default -> phases.generalization().isPresent() ? "after generalization" : "end";
            };
            series.add(Figure.Series.of(String.format(Locale.ROOT, "%s (step %,d)", label, at.step()), frequencies,
                    at.shares()));
        }
        return new Figure("spectrum-moments", "First layer's spectrum", "Frequency", false,
                List.of(new Figure.Panel("Share of power", series)), List.of(), List.of());
    }

    private static FourierPoint nearest(List<FourierPoint> fourier, long step) {
        FourierPoint best = fourier.get(0);
        for (FourierPoint f : fourier) {
            if (Math.abs(f.step() - step) < Math.abs(best.step() - step)) {
                best = f;
            }
        }
        return best;
    }
}

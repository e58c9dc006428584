package org.lottery4j.examples.grokking;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.Utf8;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.io.Provenance;
import org.lottery4j.report.Figure;
import org.lottery4j.report.ReportPage;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.training.TrainingLoop;

/**
 * The files of a grokking run in its folder beside {@code hparams.json}: {@code curve.csv}
 * ({@link #CSV_HEADER}) and {@code index.html} with the accuracy curves on a log axis, the three
 * phases shaded, and the weight norm. The run's {@code results.json} ({@link GrokkingResult}) is
 * the record of its one {@code Phase}, written after them.
 *
 * <pre>{@code
 * GrokkingReport.write(folder, hp, loopResult, progress, progress.measure(loopResult.curve()));
 * List<CurvePoint> curve = GrokkingReport.readCurve(folder.resolve("curve.csv"));
 * }</pre>
 */
public final class GrokkingReport {

    /** The header of {@code curve.csv}. */
    public static final String CSV_HEADER = "step,train_accuracy,test_accuracy,train_loss,test_loss,weight_norm";

    private GrokkingReport() {}

    /**
     * Writes {@code curve.csv} (with the Fourier measures' columns), {@code spectrum.csv},
     * {@code fourier.json} and {@code index.html}, each atomically; returns the run's result.
     */
    public static GrokkingResult write(Path folder, GrokkingHparams hp, TrainingLoop.Result r, FourierProgress progress,
            List<FourierPoint> fourier) throws IOException {
        GrokkingResult result = GrokkingResult.of(r);
        writeCurve(folder.resolve("curve.csv"), r.curve(), fourier);
        writeSpectrum(folder.resolve("spectrum.csv"), fourier);
        FourierSummary summary = FourierSummary.of(progress.keys(), r.curve(), fourier, progress.seconds(),
                r.wallSeconds() + progress.measureSeconds());
        Json.write(folder.resolve("fourier.json"), summary);
        GrokkingPhases phases = GrokkingPhases.of(r.curve());
        ReportPage.titled("Grokking " + hp.folderName())
                .paragraph(String.format(Locale.ROOT, "%s on %s, modulus %d, %.0f%% of the pairs trained on: %s.",
                        hp.model().text(), "(a " + hp.operation().symbol() + " b) mod p", hp.p(), 100 * hp.trainFraction(),
                        result.describe()))
                .links(dataLinks())
                .figure(figure("grokking", "Grokking: " + hp.model().text() + ", weight decay " + hp.weightDecay(),
                        List.of(new Run("", r.curve())), phases))
                .paragraph(FourierFigures.describe(summary, hp, fourier))
                .figure(FourierFigures.measures(r.curve(), fourier, phases))
                .heatMap(FourierFigures.heatMap(fourier, hp))
                .figure(FourierFigures.moments(fourier, phases, hp))
                .keyValues("Hyperparameters", hp.fields())
                .canonical(hp.canonical())
                .keyValues("Provenance", Provenance.current())
                .write(folder);
        return result;
    }

    static Map<String, String> dataLinks() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("curve.csv", "curve.csv");
        links.put("spectrum.csv", "spectrum.csv");
        links.put("fourier.json", "fourier.json");
        links.put("results.json", "results.json");
        links.put("hparams.json", "hparams.json");
        return links;
    }


    /** A grokking curve as CSV, header first, full precision, {@code .} as decimal point. */
    public static void writeCurve(Path file, List<CurvePoint> curve) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        curve.forEach(p -> sb.append(p.iteration()).append(',').append(p.trainAccuracy()).append(',')
                .append(p.testAccuracy()).append(',').append(p.trainLoss()).append(',').append(p.testLoss()).append(',')
                .append(p.weightNorm()).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
    }

    /** The columns {@code curve.csv} has after {@link #CSV_HEADER} when it holds the Fourier measures. */
    public static final String FOURIER_COLUMNS = "fourier_concentration,dominant_frequencies,top5_power_share,"
            + "restricted_test_loss,excluded_test_loss,excluded_train_loss";

    /** A grokking curve with its Fourier measures at the same steps. */
    public static void writeCurve(Path file, List<CurvePoint> curve, List<FourierPoint> fourier) throws IOException {
        if (fourier.size() != curve.size()) {
            throw new IllegalArgumentException(fourier.size() + " Fourier points for " + curve.size() + " curve points");
        }
        StringBuilder sb = new StringBuilder(CSV_HEADER).append(',').append(FOURIER_COLUMNS).append('\n');
        for (int i = 0; i < curve.size(); i++) {
            CurvePoint p = curve.get(i);
            FourierPoint f = fourier.get(i);
            if (f.step() != p.iteration()) {
                throw new IllegalArgumentException("Fourier point at step " + f.step() + " beside curve point " + p.iteration());
            }
            sb.append(p.iteration()).append(',').append(p.trainAccuracy()).append(',').append(p.testAccuracy()).append(',')
                    .append(p.trainLoss()).append(',').append(p.testLoss()).append(',').append(p.weightNorm()).append(',')
                    .append(f.concentration()).append(',').append(f.dominantFrequencies()).append(',').append(f.topShare())
                    .append(',').append(f.restrictedTestLoss()).append(',').append(f.excludedTestLoss()).append(',')
                    .append(f.excludedTrainLoss()).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** The first layer's power share per frequency at each step: {@code step,f1,...}. */
    public static void writeSpectrum(Path file, List<FourierPoint> fourier) throws IOException {
        StringBuilder sb = new StringBuilder("step");
        int frequencies = fourier.isEmpty() ? 0 : fourier.get(0).shares().length;
        for (int f = 1; f <= frequencies; f++) {
            sb.append(",f").append(f);
        }
        sb.append('\n');
        for (FourierPoint point : fourier) {
            sb.append(point.step());
            for (double share : point.shares()) {
                sb.append(',').append(share);
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Reads a {@code curve.csv} written with {@link #writeCurve}.
     *
     * @throws FileFormatException naming the file and line if the header or a row is not a curve's
     */
    public static List<CurvePoint> readCurve(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Utf8.decode(Files.readAllBytes(file)).lines().toList();
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "is not UTF-8 text", e);
        }
        boolean withFourier = !lines.isEmpty() && lines.get(0).equals(CSV_HEADER + "," + FOURIER_COLUMNS);
        if (lines.isEmpty() || !(lines.get(0).equals(CSV_HEADER) || withFourier)) {
            throw new FileFormatException(file, "is not a curve: its first line must be " + CSV_HEADER
                    + " (then, optionally, " + FOURIER_COLUMNS + ")");
        }
        int columns = withFourier ? 12 : 6;
        List<CurvePoint> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            try {
                if (f.length != columns) {
                    throw new NumberFormatException(f.length + " values instead of " + columns);
                }
                out.add(CurvePoint.at(Long.parseLong(f[0]))
                        .withTrain(Double.parseDouble(f[3]), Double.parseDouble(f[1]))
                        .withTest(Double.parseDouble(f[4]), Double.parseDouble(f[2]))
                        .withWeightNorm(Double.parseDouble(f[5])));
            } catch (NumberFormatException e) {
                throw new FileFormatException(file, "line " + (i + 1) + " is not a curve point (" + e.getMessage() + "): "
                        + lines.get(i), e);
            }
        }
        return out;
    }

    /** A labelled curve to draw. */
    record Run(String label, List<CurvePoint> curve) {}

    /**
     * Train and test accuracy against steps (log axis) over the weight norm, with the phases of
     * {@code phases} shaded: memorization up to the step train accuracy reaches 99%, the plateau up
     * to the step test accuracy does, then generalization. Several runs share the axes (with
     * {@code phases} null, nothing is shaded).
     */
    static Figure figure(String name, String title, List<Run> runs, GrokkingPhases phases) {
        List<Figure.Series> accuracy = new ArrayList<>();
        List<Figure.Series> norm = new ArrayList<>();
        for (Run run : runs) {
            String prefix = run.label().isEmpty() ? "" : run.label() + ": ";
            double[] steps = run.curve().stream().mapToDouble(CurvePoint::iteration).toArray();
            accuracy.add(Figure.Series.of(prefix + "train accuracy", steps,
                    run.curve().stream().mapToDouble(p -> 100 * p.trainAccuracy()).toArray()));
            accuracy.add(Figure.Series.of(prefix + "test accuracy", steps,
                    run.curve().stream().mapToDouble(p -> 100 * p.testAccuracy()).toArray()));
            norm.add(Figure.Series.of(prefix + "weight norm", steps,
                    run.curve().stream().mapToDouble(CurvePoint::weightNorm).toArray()));
        }
        return new Figure(name, title, "Step (log scale)", true,
                List.of(new Figure.Panel("Accuracy (%)", accuracy, 2), new Figure.Panel("Weight norm (L2)", norm, 1)),
                bands(runs.get(0).curve(), phases), List.of());
    }

    /** The phases of a run as shaded bands: memorization, the plateau, generalized (none for {@code phases} null). */
    static List<Figure.Band> bands(List<CurvePoint> curve, GrokkingPhases phases) {
        List<Figure.Band> bands = new ArrayList<>();
        if (phases != null && phases.memorization().isPresent()) {
            long last = curve.get(curve.size() - 1).iteration();
            long mem = Math.max(1, phases.memorization().getAsLong());
            long gen = phases.generalization().orElse(last);
            bands.add(new Figure.Band(1, mem, "1 memorization"));
            bands.add(new Figure.Band(mem, gen, phases.generalization().isPresent() ? "2 plateau" : "2 plateau (no jump)"));
            if (phases.generalization().isPresent()) {
                bands.add(new Figure.Band(gen, last, "3 generalized"));
            }
        }
        return bands;
    }
}

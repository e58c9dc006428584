package org.lottery4j.examples.grokking;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lottery4j.examples.RunFiles;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.Json;
import org.lottery4j.io.Provenance;
import org.lottery4j.report.Figure;
import org.lottery4j.report.ReportPage;

/**
 * The files of a grokking run in its folder: {@code hparams.json}, {@code curve.csv}
 * ({@link CurvePoint#CSV_HEADER}), {@code results.json} ({@link GrokkingResult}) and
 * {@code index.html} with the accuracy curves on a log axis, the three phases shaded, and the
 * weight norm.
 *
 * <pre>{@code
 * GrokkingReport.write(folder, hp, trainingResult);
 * }</pre>
 */
public final class GrokkingReport {

    private GrokkingReport() {}

    /** Writes all four files, each atomically; {@code results.json} last, as the mark of a finished run. */
    public static void write(Path folder, GrokkingHparams hp, GrokkingTraining.Result r) throws IOException {
        GrokkingResult result = GrokkingResult.of(r);
        RunFiles.writeHparams(folder, hp.fields(), hp.canonical());
        writeCurve(folder.resolve("curve.csv"), r.curve());
        ReportPage.titled("Grokking " + hp.folderName())
                .paragraph(String.format(java.util.Locale.ROOT, "%s on %s, modulus %d, %.0f%% of the pairs trained on: %s.", hp.model().text(),
                        "(a " + hp.operation().symbol() + " b) mod p", hp.p(), 100 * hp.trainFraction(), result.describe()))
                .links(dataLinks())
                .figure(figure("grokking", "Grokking: " + hp.model().text() + ", weight decay " + hp.weightDecay(),
                        List.of(new Run("", r.curve())), r.phases()))
                .keyValues("Hyperparameters", hp.fields())
                .canonical(hp.canonical())
                .keyValues("Provenance", Provenance.current())
                .write(folder);
        Json.writeChecked(folder.resolve("results.json"), result);
    }

    /**
     * The result of a finished run in {@code folder}, if its {@code results.json} is there.
     *
     * @throws org.lottery4j.io.FileFormatException naming the file if it is not a run's result
     */
    public static java.util.Optional<GrokkingResult> finished(Path folder) throws IOException {
        Path file = folder.resolve("results.json");
        if (!java.nio.file.Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(RunFiles.readResult(file, GrokkingResult.class, "a grokking run's result",
                "delete it to run again"));
    }

    static Map<String, String> dataLinks() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("curve.csv", "curve.csv");
        links.put("results.json", "results.json");
        links.put("hparams.json", "hparams.json");
        return links;
    }


    /** A curve as CSV, header first. */
    public static void writeCurve(Path file, List<CurvePoint> curve) throws IOException {
        StringBuilder sb = new StringBuilder(CurvePoint.CSV_HEADER).append('\n');
        curve.forEach(p -> sb.append(p.csvRow()).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
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
            double[] steps = run.curve().stream().mapToDouble(CurvePoint::step).toArray();
            accuracy.add(Figure.Series.of(prefix + "train accuracy", steps,
                    run.curve().stream().mapToDouble(p -> 100 * p.trainAccuracy()).toArray()));
            accuracy.add(Figure.Series.of(prefix + "test accuracy", steps,
                    run.curve().stream().mapToDouble(p -> 100 * p.testAccuracy()).toArray()));
            norm.add(Figure.Series.of(prefix + "weight norm", steps,
                    run.curve().stream().mapToDouble(CurvePoint::weightNorm).toArray()));
        }
        List<Figure.Band> bands = new ArrayList<>();
        if (phases != null && phases.memorization().isPresent()) {
            long last = runs.get(0).curve().get(runs.get(0).curve().size() - 1).step();
            long mem = Math.max(1, phases.memorization().getAsLong());
            long gen = phases.generalization().orElse(last);
            bands.add(new Figure.Band(1, mem, "1 memorization"));
            bands.add(new Figure.Band(mem, gen, phases.generalization().isPresent() ? "2 plateau" : "2 plateau (no jump)"));
            if (phases.generalization().isPresent()) {
                bands.add(new Figure.Band(gen, last, "3 generalized"));
            }
        }
        return new Figure(name, title, "Step (log scale)", true,
                List.of(new Figure.Panel("Accuracy (%)", accuracy, 2), new Figure.Panel("Weight norm (L2)", norm, 1)),
                bands, List.of());
    }
}

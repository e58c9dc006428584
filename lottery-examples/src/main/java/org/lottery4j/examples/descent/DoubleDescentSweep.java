package org.lottery4j.examples.descent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.internal.Json;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.io.Provenance;
import org.lottery4j.report.Figure;
import org.lottery4j.report.ReportPage;
import org.lottery4j.run.Phase;
import org.lottery4j.run.RunFolder;
import org.lottery4j.study.Summary;
import org.slf4j.LoggerFactory;

/**
 * Runs a double-descent sweep into its folder, one file per (width, seed) under {@code runs/},
 * written when the run ends, so an interrupted sweep resumes at the first run without a file; then
 * summarizes it: per width, the mean train and test error with 95% intervals over the seeds, the
 * peak of the test error and whether it descends again past it, in {@code summary.csv},
 * {@code results.json} and {@code index.html}.
 *
 * <pre>{@code
 * DoubleDescentSweep.Outcome o = DoubleDescentSweep.run(hp, Mnist.bundled(), Path.of("out"), System.out::println);
 * o.secondDescent();
 * }</pre>
 */
public final class DoubleDescentSweep {

    private DoubleDescentSweep() {}

    /**
     * One width's errors over the seeds.
     *
     * @param width hidden units
     * @param parameters the MLP's trained parameters ({@link DoubleDescentHparams#trainedParameters})
     * @param trainError mean train error (noisy labels) with its 95% interval
     * @param testError mean test error with its 95% interval
     * @param noisyFitted mean fraction of relabelled digits predicted as their noisy label
     */
    public record WidthSummary(
            @JsonProperty("width") int width,
            @JsonProperty("parameters") long parameters,
            @JsonProperty("train_error") Summary.Estimate trainError,
            @JsonProperty("test_error") Summary.Estimate testError,
            @JsonProperty("noisy_fitted") Summary.Estimate noisyFitted) {}

    /**
     * One width's errors against epochs, over the seeds: epoch-wise double descent (Nakkiran et al.
     * 2019) shows as a test error that falls, rises and falls again during one run.
     *
     * @param width hidden units
     * @param epochs the epochs evaluated, from 0
     * @param trainError mean train error (noisy labels) at each, with its 95% interval
     * @param testError mean test error at each, with its 95% interval
     */
    public record EpochCurve(
            @JsonProperty("width") int width,
            @JsonProperty("epochs") List<Integer> epochs,
            @JsonProperty("train_error") List<Summary.Estimate> trainError,
            @JsonProperty("test_error") List<Summary.Estimate> testError) {

        public EpochCurve {
            epochs = List.copyOf(epochs);
            trainError = List.copyOf(trainError);
            testError = List.copyOf(testError);
        }

        /**
         * Where the mean test error is lowest, the highest it reaches after that, and where it ends,
         * in one sentence: {@code "width 2000: test error lowest at epoch 40 (20.4%), then rising to
         * 32.9% at the end"}, or {@code "..., up to 35.5% at epoch 5, 25.5% at the end"} when it
         * falls again.
         */
        public String describe() {
            int low = 0;
            for (int i = 1; i < epochs.size(); i++) {
                low = testError.get(i).mean() < testError.get(low).mean() ? i : low;
            }
            int high = low;
            for (int i = low + 1; i < epochs.size(); i++) {
                high = testError.get(i).mean() > testError.get(high).mean() ? i : high;
            }
            int last = epochs.size() - 1;
            String lowest = String.format(Locale.ROOT, "width %d: test error lowest at epoch %d (%.1f%%)", width,
                    epochs.get(low), 100 * testError.get(low).mean());
            if (low == last) {
                return lowest + ", at the end";
            }
            if (high == last) {
                return lowest + String.format(Locale.ROOT, ", then rising to %.1f%% at the end",
                        100 * testError.get(last).mean());
            }
            return lowest + String.format(Locale.ROOT, ", up to %.1f%% at epoch %d, %.1f%% at the end",
                    100 * testError.get(high).mean(), epochs.get(high), 100 * testError.get(last).mean());
        }
    }

    /**
     * The sweep's result, as {@code results.json} holds it.
     *
     * @param interpolationParameters examples x classes
     * @param interpolationWidth the width with that many parameters
     * @param widths each width's errors, ascending
     * @param peakWidth the width with the highest mean test error past the first local minimum of
     *     the curve (the end of the classical descent), 0 if the error falls all the way
     * @param peakTestError that error ({@code NaN} without a peak)
     * @param bestBeforePeak the lowest mean test error at a narrower width ({@code NaN} without a peak)
     * @param bestAfterPeak the lowest mean test error at a wider width ({@code NaN} if none)
     * @param widestTestError the mean test error of the widest model
     * @param rise whether the peak stands above the best narrower model: that model's 95% interval
     *     entirely below the peak's (means alone with one seed)
     * @param secondDescent whether a wider model's test error falls below the peak's in the same sense
     * @param epochCurves errors against epochs of every width whose runs all recorded them at the
     *     same epochs, ascending by width (runs saved before curves were recorded have none)
     */
    public record Outcome(
            @JsonProperty("interpolation_parameters") long interpolationParameters,
            @JsonProperty("interpolation_width") double interpolationWidth,
            @JsonProperty("widths") List<WidthSummary> widths,
            @JsonProperty("peak_width") int peakWidth,
            @JsonProperty("peak_test_error") double peakTestError,
            @JsonProperty("best_test_error_before_peak") double bestBeforePeak,
            @JsonProperty("best_test_error_after_peak") double bestAfterPeak,
            @JsonProperty("widest_test_error") double widestTestError,
            @JsonProperty("rise") boolean rise,
            @JsonProperty("second_descent") boolean secondDescent,
            @JsonProperty("epoch_curves") List<EpochCurve> epochCurves) {

        public Outcome {
            widths = List.copyOf(widths);
            epochCurves = epochCurves == null ? List.of() : List.copyOf(epochCurves);
        }

        /** One sentence for the console and the page. */
        public String describe() {
            if (peakWidth == 0) {
                return String.format(Locale.ROOT, "test error falls with width all the way, to %.1f%% at the widest: no peak "
                        + "(interpolation threshold at width %.1f).", 100 * widestTestError, interpolationWidth);
            }
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "test error peaks at width %d (%.1f%%; interpolation threshold at width %.1f), against %.1f%% at best "
                            + "before it", peakWidth, 100 * peakTestError, interpolationWidth, 100 * bestBeforePeak));
            if (!Double.isNaN(bestAfterPeak)) {
                s.append(String.format(Locale.ROOT, " and %.1f%% at best after it (%.1f%% at the widest)",
                        100 * bestAfterPeak, 100 * widestTestError));
            }
            s.append(rise && secondDescent ? ": double descent (rise and second descent clear of the 95% intervals)."
                    : secondDescent ? ": a second descent, but the rise to the peak is within the 95% intervals."
                    : rise ? ": a rise to the peak, but no second descent clear of the 95% intervals."
                    : ": neither the rise nor a second descent is clear of the 95% intervals.");
            return s.toString();
        }
    }

    /** Where the run of {@code width} and {@code seed} is saved. */
    public static Path runFile(Path folder, int width, long seed) {
        return folder.resolve("runs").resolve(String.format(Locale.ROOT, "w%05d-s%d.json", width, seed));
    }

    /**
     * Trains every (width, seed) run without a file yet, narrowest first, then writes the summary
     * and the page.
     *
     * @param log receives a line per run
     * @throws IOException if a file cannot be written, or a run's file cannot be read back (naming it)
     */
    public static Outcome run(DoubleDescentHparams hp, Mnist digits, Path out, Consumer<String> log) throws IOException {
        RunFolder folder = RunFolder.create(out.resolve(hp.folderName()));
        folder.bind(hp.identity(), hp, LoggerFactory.getLogger(DoubleDescentSweep.class));
        List<WidthRun.Result> results = new ArrayList<>();
        for (int width : hp.widths()) {
            for (long seed : hp.seeds()) {
                Path file = runFile(folder.path(), width, seed);
                WidthRun.Result r = Phase.run(file, WidthRun.Result.class, () -> WidthRun.train(hp, digits, width, seed));
                if (r.width() != width || r.seed() != seed) {
                    throw new FileFormatException(file, "holds width " + r.width() + " seed " + r.seed() + ", not width "
                            + width + " seed " + seed + "; delete it to run it again");
                }
                log.accept(String.format(Locale.ROOT,
                        "width %5d seed %d: %,9d parameters  train error %6.2f%%  test error %6.2f%%  noise fitted %5.1f%%  %.0f s",
                        width, seed, r.parameters(), 100 * r.trainError(), 100 * r.testError(), 100 * r.noisyFitted(),
                        r.seconds()));
                results.add(r);
            }
        }
        Outcome outcome = summarize(hp, results);
        write(folder.path(), hp, outcome);
        return outcome;
    }

    /** The per-width estimates, the peak and whether the error descends again after it. */
    public static Outcome summarize(DoubleDescentHparams hp, List<WidthRun.Result> results) {
        Map<Integer, List<WidthRun.Result>> byWidth = results.stream()
                .collect(java.util.stream.Collectors.groupingBy(WidthRun.Result::width));
        List<WidthSummary> widths = new ArrayList<>();
        for (int width : hp.widths()) {
            List<WidthRun.Result> runs = byWidth.getOrDefault(width, List.of());
            widths.add(new WidthSummary(width, hp.trainedParameters(width), estimate(runs, WidthRun.Result::trainError),
                    estimate(runs, WidthRun.Result::testError), estimate(runs, WidthRun.Result::noisyFitted)));
        }
        // the classical regime falls first: the peak is the highest error past the first local minimum
        int firstMinimum = 0;
        while (firstMinimum + 1 < widths.size() && mean(widths.get(firstMinimum + 1)) < mean(widths.get(firstMinimum))) {
            firstMinimum++;
        }
        if (firstMinimum == widths.size() - 1) { // falls all the way: no peak
            double widest = mean(widths.get(firstMinimum));
            return new Outcome(hp.interpolationParameters(), hp.interpolationWidth(), widths, 0, Double.NaN,
                    Double.NaN, Double.NaN, widest, false, false, epochCurves(hp, byWidth));
        }
        int peak = firstMinimum + 1;
        for (int i = peak + 1; i < widths.size(); i++) {
            peak = mean(widths.get(i)) > mean(widths.get(peak)) ? i : peak;
        }
        WidthSummary top = widths.get(peak);
        WidthSummary left = widths.subList(0, peak).stream().min(java.util.Comparator.comparingDouble(DoubleDescentSweep::mean))
                .orElseThrow();
        List<WidthSummary> after = widths.subList(peak + 1, widths.size());
        double best = after.stream().mapToDouble(DoubleDescentSweep::mean).min().orElse(Double.NaN);
        boolean rises = below(left, top);
        boolean descends = after.stream().anyMatch(w -> below(w, top));
        return new Outcome(hp.interpolationParameters(), hp.interpolationWidth(), widths, top.width(),
                mean(top), mean(left), best, mean(widths.get(widths.size() - 1)), rises, descends, epochCurves(hp, byWidth));
    }

    // per width, the seeds' errors at each evaluated epoch: only where every run has the same epochs
    private static List<EpochCurve> epochCurves(DoubleDescentHparams hp, Map<Integer, List<WidthRun.Result>> byWidth) {
        List<EpochCurve> curves = new ArrayList<>();
        for (int width : hp.widths()) {
            List<WidthRun.Result> runs = byWidth.getOrDefault(width, List.of());
            if (runs.isEmpty() || runs.stream().anyMatch(r -> r.curve() == null)) {
                continue;
            }
            List<Integer> epochs = runs.get(0).curve().stream().map(WidthRun.EpochPoint::epoch).toList();
            if (runs.stream().anyMatch(r -> !r.curve().stream().map(WidthRun.EpochPoint::epoch).toList().equals(epochs))) {
                continue;
            }
            List<Summary.Estimate> train = new ArrayList<>();
            List<Summary.Estimate> test = new ArrayList<>();
            for (int i = 0; i < epochs.size(); i++) {
                int at = i;
                train.add(Summary.Estimate.of(runs.stream().mapToDouble(r -> r.curve().get(at).trainError()).toArray()));
                test.add(Summary.Estimate.of(runs.stream().mapToDouble(r -> r.curve().get(at).testError()).toArray()));
            }
            curves.add(new EpochCurve(width, epochs, train, test));
        }
        return curves;
    }

    private static double mean(WidthSummary w) {
        return w.testError().mean();
    }

    // a's test error below b's: its 95% interval entirely below b's when both have one, else the means
    private static boolean below(WidthSummary a, WidthSummary b) {
        Summary.Estimate x = a.testError();
        Summary.Estimate y = b.testError();
        return x.hasInterval() && y.hasInterval() ? x.ciHigh() < y.ciLow() : x.mean() < y.mean();
    }

    private static Summary.Estimate estimate(List<WidthRun.Result> runs, ToDoubleFunction<WidthRun.Result> value) {
        return Summary.Estimate.of(runs.stream().mapToDouble(value).toArray());
    }

    private static void write(Path folder, DoubleDescentHparams hp, Outcome o) throws IOException {
        StringBuilder csv = new StringBuilder("width,parameters,seeds,train_error,train_error_ci_low,train_error_ci_high,"
                + "test_error,test_error_ci_low,test_error_ci_high,noisy_fitted\n");
        List<List<String>> rows = new ArrayList<>();
        for (WidthSummary w : o.widths()) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", w.width(), w.parameters(),
                    w.testError().n(), w.trainError().mean(), w.trainError().ciLow(), w.trainError().ciHigh(),
                    w.testError().mean(), w.testError().ciLow(), w.testError().ciHigh(), w.noisyFitted().mean()));
            rows.add(List.of(Integer.toString(w.width()), String.format(Locale.ROOT, "%,d", w.parameters()),
                    Integer.toString(w.testError().n()), percentWithInterval(w.trainError()),
                    percentWithInterval(w.testError()), percentWithInterval(w.noisyFitted())));
        }
        org.lottery4j.io.AtomicFiles.writeString(folder.resolve("summary.csv"), csv.toString());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("summary.csv", "summary.csv");
        links.put("results.json", "results.json");
        links.put("hparams.json", "hparams.json");
        links.put("runs/", "runs/");
        StringBuilder epochs = new StringBuilder("width,epoch,seeds,train_error,train_error_ci_low,train_error_ci_high,"
                + "test_error,test_error_ci_low,test_error_ci_high\n");
        for (EpochCurve c : o.epochCurves()) {
            for (int i = 0; i < c.epochs().size(); i++) {
                Summary.Estimate tr = c.trainError().get(i);
                Summary.Estimate te = c.testError().get(i);
                epochs.append(String.format(Locale.ROOT, "%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", c.width(), c.epochs().get(i),
                        te.n(), tr.mean(), tr.ciLow(), tr.ciHigh(), te.mean(), te.ciLow(), te.ciHigh()));
            }
        }
        org.lottery4j.io.AtomicFiles.writeString(folder.resolve("epochs.csv"), epochs.toString());
        links.put("epochs.csv", "epochs.csv");
        List<EpochCurve> shown = shownCurves(o);
        ReportPage page = ReportPage.titled("Double descent " + hp.folderName())
                .paragraph(String.format(Locale.ROOT, "One-hidden-layer ReLU MLPs (%s) on the first %,d training digits, "
                        + "%.0f%% of their labels replaced by another class, trained on %s for %d epochs (batch %d, optimizer %s at "
                        + "a constant %s) without early stopping or weight decay; test error on the %s clean test digits. "
                        + "Seeds: %s.", hp.hidden() == DoubleDescentHparams.Hidden.TRAINED ? "both layers trained"
                                : "random features: the hidden layer keeps its initial weights", hp.trainExamples(),
                        100 * hp.labelNoise(), hp.loss() == DoubleDescentHparams.Loss.SQUARED
                                ? "the squared error of linear outputs against one-hot labels" : "cross-entropy",
                        hp.epochs(), hp.batchSize(), hp.optimizer().describe(),
                        hp.learningRate(), "bundled", hp.seeds()))
                .paragraph(o.describe())
                .links(links)
                .figure(figure(hp, o));
        if (!shown.isEmpty()) {
            page.paragraph("Epoch-wise: " + String.join("; ", shown.stream().map(EpochCurve::describe).toList()) + ".")
                    .figure(epochFigure(shown));
        }
        if (o.epochCurves().size() >= 2) {
            page.figure(widthsAtEpochs(o.epochCurves()));
        }
        page.table("Errors by width (mean over seeds, 95% interval)",
                        List.of("Width", "Trained parameters", "Seeds", "Train error (%)", "Test error (%)",
                                "Relabelled digits fitted to their noisy label (%)"), rows)
                .keyValues("Hyperparameters", hp.fields())
                .canonical(hp.canonical())
                .keyValues("Provenance", Provenance.current())
                .write(folder);
        Json.write(folder.resolve("results.json"), o);
    }

    /** The curves the page shows: the peak's width and the three widest. */
    static List<EpochCurve> shownCurves(Outcome o) {
        List<EpochCurve> all = o.epochCurves();
        List<EpochCurve> shown = new ArrayList<>(all.stream().filter(c -> c.width() == o.peakWidth()).toList());
        for (EpochCurve c : all.subList(Math.max(0, all.size() - 3), all.size())) {
            if (c.width() != o.peakWidth()) {
                shown.add(c);
            }
        }
        return shown;
    }

    // test error against epochs on a log axis (epoch 0 left off it), with the seeds' 95% interval
    static Figure epochFigure(List<EpochCurve> curves) {
        List<Figure.Series> series = new ArrayList<>();
        for (EpochCurve c : curves) {
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < c.epochs().size(); i++) {
                if (c.epochs().get(i) > 0) {
                    at.add(i);
                }
            }
            series.add(series("width " + c.width() + " test error", at.stream().mapToDouble(i -> c.epochs().get(i)).toArray(),
                    at.stream().map(i -> c.testError().get(i)).toList()));
        }
        return new Figure("double-descent-epochs", "Epoch-wise: test error during training", "Epochs (log scale)", true,
                List.of(new Figure.Panel("Test error (%)", series)), List.of(), List.of());
    }

    /**
     * Test error against width after a few epochs, evenly spaced on a log axis up to the last (1%,
     * 3%, 10%, 32% and 100% of the run, the nearest evaluated): how the peak grows with training.
     */
    static Figure widthsAtEpochs(List<EpochCurve> curves) {
        List<Integer> epochs = curves.get(0).epochs();
        int last = epochs.get(epochs.size() - 1);
        java.util.SortedSet<Integer> picked = new java.util.TreeSet<>();
        for (int k = 4; k >= 0; k--) {
            double target = last * Math.pow(10, -k / 2.0);
            picked.add(epochs.stream().filter(e -> e > 0)
                    .min(java.util.Comparator.comparingDouble(e -> Math.abs(Math.log(e / target)))).orElseThrow());
        }
        double[] x = curves.stream().mapToDouble(EpochCurve::width).toArray();
        List<Figure.Series> series = new ArrayList<>();
        for (int epoch : picked) {
            series.add(Figure.Series.of("after " + epoch + (epoch == 1 ? " epoch" : " epochs"), x, curves.stream()
                    .mapToDouble(c -> {
                        int i = c.epochs().indexOf(epoch);
                        return i < 0 ? Double.NaN : 100 * c.testError().get(i).mean();
                    }).toArray()));
        }
        return new Figure("double-descent-by-epoch", "Test error against width as training goes on",
                "Hidden units (log scale)", true, List.of(new Figure.Panel("Test error (%)", series)), List.of(), List.of());
    }

    private static String percentWithInterval(Summary.Estimate e) {
        return e.hasInterval() ? String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", 100 * e.mean(), 100 * e.ciLow(), 100 * e.ciHigh())
                : String.format(Locale.ROOT, "%.2f", 100 * e.mean());
    }

    static Figure figure(DoubleDescentHparams hp, Outcome o) {
        double[] widths = o.widths().stream().mapToDouble(WidthSummary::width).toArray();
        return new Figure("double-descent", String.format(Locale.ROOT, "Double descent: %,d digits, %.0f%% label noise",
                hp.trainExamples(), 100 * hp.labelNoise()), "Hidden units (log scale)", true,
                List.of(new Figure.Panel("Error (%)", List.of(
                        series("test error", widths, o.widths().stream().map(WidthSummary::testError).toList()),
                        series("train error (noisy labels)", widths,
                                o.widths().stream().map(WidthSummary::trainError).toList())))),
                List.of(), List.of(new Figure.Line(o.interpolationWidth(), String.format(Locale.ROOT,
                        " parameters = examples x classes (%,d)", o.interpolationParameters()))));
    }

    // the estimates in percent, with their 95% intervals when every one has one (more than one seed)
    private static Figure.Series series(String label, double[] x, List<Summary.Estimate> estimates) {
        double[] y = estimates.stream().mapToDouble(e -> 100 * e.mean()).toArray();
        if (estimates.stream().allMatch(Summary.Estimate::hasInterval)) {
            return new Figure.Series(label + " (95% interval)", x, y,
                    estimates.stream().mapToDouble(e -> 100 * e.ciLow()).toArray(),
                    estimates.stream().mapToDouble(e -> 100 * e.ciHigh()).toArray(), -1);
        }
        return Figure.Series.of(label, x, y);
    }
}

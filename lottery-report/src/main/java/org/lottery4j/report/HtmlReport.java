package org.lottery4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;

/**
 * The experiment's {@code index.html}: the charts, the per-round table, the hyperparameters and
 * the provenance, in one static page that any browser opens from the output folder. Its
 * {@link #write} is an {@link org.lottery4j.results.ExperimentReport}, so an experiment writes it
 * after every round.
 *
 * <pre>{@code
 * new Experiment(hp, workload, Path.of("out"), HtmlReport::write).run();
 * HtmlReport.write(folder, result);   // folder/index.html and folder/charts/*.png|svg
 * }</pre>
 */
public final class HtmlReport {

    private HtmlReport() {}

    /**
     * Writes the charts and {@code index.html} into {@code folder}.
     *
     * @throws IOException if a file cannot be written, or if Java cannot draw because its
     *     {@code DISPLAY} cannot be reached (the message says to run with {@code -Djava.awt.headless=true})
     */
    public static void write(Path folder, ExperimentResult result) throws IOException {
        page(result).write(folder);
    }

    /** The experiment's page, its charts drawn when it is written. */
    static ReportPage page(ExperimentResult result) {
        ReportPage page = ReportPage.titled("Lottery-ticket experiment", result.name())
                .paragraph(Html.of(result.ticketRounds().size() + " rounds finished"
                        + (result.arms().isEmpty() ? "" : ", control arms: " + String.join(", ", result.arms())) + ". ")
                        .data("rounds.csv", "results.json", "hparams.json").text("."));
        Charts.charts(result).forEach(page::chart);
        Charts.flatEarlyStop(result).ifPresent(page::paragraph);
        page.heading("Rounds").table(columns(result), result.ticketRounds(), null)
                .paragraph(Html.of("The highest test accuracy and the early stop come from different evaluations: the "
                        + "early stop is the evaluation with the lowest validation loss (").code("early_stop_iteration")
                        .text(" in rounds.csv)."));
        return page.keyValues("Hyperparameters", result.hparams())
                .canonical(result.canonical())
                .keyValues("Provenance", result.provenance());
    }

    /** A column of the rounds table, its tooltip naming the {@code rounds.csv} column it shows. */
    private static ReportPage.Column<ArmResult> column(String header, String csvColumn,
            Function<ArmResult, String> cell) {
        return new ReportPage.Column<>(header, "rounds.csv: " + csvColumn, cell);
    }

    /** The rounds table's columns: the ticket's, the control arms', then the training time. */
    static List<ReportPage.Column<ArmResult>> columns(ExperimentResult result) {
        List<ReportPage.Column<ArmResult>> columns = new ArrayList<>(List.of(
                column("Round", "round", r -> Integer.toString(r.round())),
                column("Weights remaining (%)", "weights_remaining", r -> Charts.percent(100 * r.weightsRemaining())),
                column("Test accuracy at the end (%)", "test_accuracy", r -> pct(r.training().finalTestAccuracy())),
                column("Highest test accuracy of the round (%)", "best_test_accuracy",
                        r -> pct(r.training().bestTestAccuracy())),
                column("Early-stop iteration (lowest validation loss)", "early_stop_iteration",
                        r -> Long.toString(r.training().earlyStopIteration())),
                column("Test accuracy at early stop (%)", "test_accuracy_at_early_stop",
                        r -> pct(r.training().testAccuracyAtEarlyStop()))));
        for (String arm : result.arms()) {
            columns.add(column(capitalized(Charts.label(arm)) + ": test accuracy at the end (%)", arm + "_test_accuracy",
                    r -> result.arm(r.round(), arm).map(a -> pct(a.training().finalTestAccuracy())).orElse("")));
        }
        columns.add(column("Training time (s)", "train_seconds",
                r -> String.format(Locale.ROOT, "%.1f", r.training().trainSeconds())));
        return columns;
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

package org.lottery4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.lottery4j.internal.AtomicFiles;
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
        List<String> charts = Charts.drawn(folder, () -> Charts.write(folder.resolve("charts"), result));
        AtomicFiles.writeString(folder.resolve("index.html"), html(result, charts));
    }

    static String html(ExperimentResult result, List<String> charts) {
        StringBuilder sb = new StringBuilder();
        head(sb, result.name());
        sb.append("<h1>Lottery-ticket experiment <code>").append(esc(result.name())).append("</code></h1>\n");
        sb.append("<p>").append(result.ticketRounds().size()).append(" rounds finished");
        if (!result.arms().isEmpty()) {
            sb.append(", control arms: ").append(esc(String.join(", ", result.arms())));
        }
        sb.append(". Data: <a href=\"rounds.csv\">rounds.csv</a>, <a href=\"results.json\">results.json</a>, ")
                .append("<a href=\"hparams.json\">hparams.json</a>.</p>\n");
        images(sb, charts);
        rounds(sb, result);
        table(sb, "Hyperparameters", result.hparams());
        sb.append("<p>Canonical form (hashed into the folder name):</p>\n<pre>").append(esc(result.canonical()))
                .append("</pre>\n");
        table(sb, "Provenance", result.provenance());
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    /** The page's head and the opening of its body, titled {@code name - lottery4j}. */
    static void head(StringBuilder sb, String name) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(name)).append(" - lottery4j</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}\n")
                .append(".scroll{overflow-x:auto}table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .6em;")
                .append("text-align:right}th{background:#f3f3f3;font-weight:600;vertical-align:bottom}")
                .append("td.k{text-align:left;font-family:monospace;overflow-wrap:anywhere}\n")
                .append("img{max-width:100%;border:1px solid #eee;margin:.5em 0}\n</style>\n</head>\n<body>\n");
    }

    /** Each chart of {@code charts/} as its SVG, with a link to its PNG. */
    static void images(StringBuilder sb, List<String> charts) {
        for (String c : charts) {
            sb.append("<p><img src=\"charts/").append(c).append(".svg\" alt=\"").append(c)
                    .append("\"><br><a href=\"charts/").append(c).append(".png\">PNG</a></p>\n");
        }
    }

    /** A column of the rounds table: its header, the {@code rounds.csv} column it shows, its cells. */
    record Column(String header, String csvColumn, Function<ArmResult, String> cell) {}

    /** The rounds table's columns: the ticket's, the control arms', then the training time. */
    static List<Column> columns(ExperimentResult result) {
        List<Column> columns = new ArrayList<>(List.of(
                new Column("Round", "round", r -> Integer.toString(r.round())),
                new Column("Weights remaining (%)", "weights_remaining", r -> Charts.percent(100 * r.weightsRemaining())),
                new Column("Test accuracy at the end (%)", "test_accuracy", r -> pct(r.training().finalTestAccuracy())),
                new Column("Highest test accuracy of the round (%)", "best_test_accuracy",
                        r -> pct(r.training().bestTestAccuracy())),
                new Column("Early-stop iteration (lowest validation loss)", "early_stop_iteration",
                        r -> Long.toString(r.training().earlyStopIteration())),
                new Column("Test accuracy at early stop (%)", "test_accuracy_at_early_stop",
                        r -> pct(r.training().testAccuracyAtEarlyStop()))));
        for (String arm : result.arms()) {
            columns.add(new Column(capitalized(Charts.label(arm)) + ": test accuracy at the end (%)", arm + "_test_accuracy",
                    r -> result.arm(r.round(), arm).map(a -> pct(a.training().finalTestAccuracy())).orElse("")));
        }
        columns.add(new Column("Training time (s)", "train_seconds",
                r -> String.format(Locale.ROOT, "%.1f", r.training().trainSeconds())));
        return columns;
    }

    private static void rounds(StringBuilder sb, ExperimentResult result) {
        List<Column> columns = columns(result);
        sb.append("<h2>Rounds</h2>\n<div class=\"scroll\"><table>\n<tr>");
        for (Column c : columns) {
            sb.append("<th title=\"rounds.csv: ").append(c.csvColumn()).append("\">").append(esc(c.header())).append("</th>");
        }
        sb.append("</tr>\n");
        for (ArmResult r : result.ticketRounds()) {
            sb.append("<tr>");
            columns.forEach(c -> sb.append("<td>").append(esc(c.cell().apply(r))).append("</td>"));
            sb.append("</tr>\n");
        }
        sb.append("</table></div>\n<p>The highest test accuracy and the early stop come from different evaluations: the early stop is the evaluation with the lowest ")
                .append("validation loss (<code>best_iteration</code> in rounds.csv, kept under its old name, is the ")
                .append("same iteration as <code>early_stop_iteration</code>).</p>\n");
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static void table(StringBuilder sb, String title, Map<String, String> rows) {
        sb.append("<h2>").append(esc(title)).append("</h2>\n<table>\n");
        rows.forEach((k, v) -> sb.append("<tr><td class=\"k\">").append(esc(k)).append("</td><td class=\"k\">")
                .append(esc(v)).append("</td></tr>\n"));
        sb.append("</table>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

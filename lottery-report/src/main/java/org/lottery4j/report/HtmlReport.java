package org.lottery4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.ResultsWriter;

/**
 * The experiment's {@code index.html}: the charts, the per-round table, the hyperparameters and
 * the provenance, in one static page that any browser opens from the output folder.
 *
 * <pre>{@code
 * HtmlReport.write(folder, result);   // folder/index.html and folder/charts/*.png|svg
 * }</pre>
 */
public final class HtmlReport {

    private HtmlReport() {}

    /** Writes the charts and {@code index.html} into {@code folder}. */
    public static void write(Path folder, ExperimentResult result) throws IOException {
        List<String> charts = Charts.write(folder.resolve("charts"), result);
        AtomicFiles.writeString(folder.resolve("index.html"), html(result, charts));
    }

    static String html(ExperimentResult result, List<String> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(result.name())).append(" - lottery4j</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}\n")
                .append(".scroll{overflow-x:auto}table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .6em;")
                .append("text-align:right}th{background:#f3f3f3}td.k{text-align:left;font-family:monospace}\n")
                .append("img{max-width:100%;border:1px solid #eee;margin:.5em 0}\n</style>\n</head>\n<body>\n");
        sb.append("<h1>Lottery-ticket experiment <code>").append(esc(result.name())).append("</code></h1>\n");
        sb.append("<p>").append(result.ticketRounds().size()).append(" rounds finished");
        if (!result.arms().isEmpty()) {
            sb.append(", control arms: ").append(esc(String.join(", ", result.arms())));
        }
        sb.append(". Data: <a href=\"rounds.csv\">rounds.csv</a>, <a href=\"results.json\">results.json</a>, ")
                .append("<a href=\"hparams.json\">hparams.json</a>.</p>\n");
        for (String c : charts) {
            sb.append("<p><img src=\"charts/").append(c).append(".svg\" alt=\"").append(c)
                    .append("\"><br><a href=\"charts/").append(c).append(".png\">PNG</a></p>\n");
        }
        sb.append("<h2>Rounds</h2>\n<div class=\"scroll\"><table>\n");
        String[] lines = ResultsWriter.csv(result).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String cell = i == 0 ? "th" : "td";
            sb.append("<tr>");
            for (String v : lines[i].split(",", -1)) {
                sb.append('<').append(cell).append('>').append(esc(v)).append("</").append(cell).append('>');
            }
            sb.append("</tr>\n");
        }
        sb.append("</table></div>\n");
        table(sb, "Hyperparameters", result.hparams());
        sb.append("<p>Canonical form (hashed into the folder name):</p>\n<pre>").append(esc(result.canonical()))
                .append("</pre>\n");
        table(sb, "Provenance", result.provenance());
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void table(StringBuilder sb, String title, Map<String, String> rows) {
        sb.append("<h2>").append(esc(title)).append("</h2>\n<table>\n");
        rows.forEach((k, v) -> sb.append("<tr><td class=\"k\">").append(esc(k)).append("</td><td class=\"k\">")
                .append(esc(v)).append("</td></tr>\n"));
        sb.append("</table>\n");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package org.lottery4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lottery4j.internal.AtomicFiles;

/**
 * The {@code index.html} of a run that is not a lottery experiment (grokking, double descent):
 * a title, paragraphs, {@link Figure}s, tables and the hyperparameters with their canonical form,
 * in the same static style as the experiment's page. Text is escaped; links are given as
 * (text, relative path) pairs.
 *
 * <pre>{@code
 * ReportPage.titled("Grokking grokking_1a2b3c4d5e")
 *         .paragraph("Memorized at step 20, generalized at step 600 (30x).")
 *         .links(Map.of("curve.csv", "curve.csv", "results.json", "results.json"))
 *         .figure(accuracyFigure)
 *         .table("Phases", List.of("phase", "step"), rows)
 *         .keyValues("Hyperparameters", hp.fields())
 *         .canonical(hp.canonical())
 *         .write(folder);   // folder/index.html, folder/charts/*.png|svg
 * }</pre>
 */
public final class ReportPage {

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<Figure> figures = new ArrayList<>();

    private ReportPage(String title) {
        this.title = title;
    }

    /** A page with this title (also the heading). */
    public static ReportPage titled(String title) {
        return new ReportPage(title);
    }

    /** A paragraph of plain text. */
    public ReportPage paragraph(String text) {
        body.append("<p>").append(HtmlReport.esc(text)).append("</p>\n");
        return this;
    }

    /** A second-level heading. */
    public ReportPage heading(String text) {
        body.append("<h2>").append(HtmlReport.esc(text)).append("</h2>\n");
        return this;
    }

    /** A line of links, text to relative path, in the map's order. */
    public ReportPage links(Map<String, String> links) {
        body.append("<p>Data:");
        String sep = " ";
        for (Map.Entry<String, String> e : links.entrySet()) {
            body.append(sep).append("<a href=\"").append(HtmlReport.esc(e.getValue())).append("\">")
                    .append(HtmlReport.esc(e.getKey())).append("</a>");
            sep = ", ";
        }
        body.append(".</p>\n");
        return this;
    }

    /** A figure, drawn into {@code charts/} when the page is written and shown here. */
    public ReportPage figure(Figure figure) {
        figures.add(figure);
        HtmlReport.images(body, List.of(figure.name()));
        return this;
    }

    /** A table: a header row, then rows of as many cells. */
    public ReportPage table(String heading, List<String> header, List<List<String>> rows) {
        body.append("<h2>").append(HtmlReport.esc(heading)).append("</h2>\n<div class=\"scroll\"><table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(HtmlReport.esc(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table " + heading + ": a row has " + row.size() + " cells, the header "
                        + header.size());
            }
            body.append("<tr>");
            row.forEach(c -> body.append("<td>").append(HtmlReport.esc(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
        return this;
    }

    /** A two-column table of names and values, such as the hyperparameters or the provenance. */
    public ReportPage keyValues(String heading, Map<String, String> rows) {
        HtmlReport.table(body, heading, rows);
        return this;
    }

    /** The canonical form hashed into the folder's name, as the experiment's page shows it. */
    public ReportPage canonical(String canonical) {
        body.append("<p>Canonical form (hashed into the folder name):</p>\n<pre>").append(HtmlReport.esc(canonical))
                .append("</pre>\n");
        return this;
    }

    /** The page's HTML. */
    public String html() {
        StringBuilder sb = new StringBuilder();
        HtmlReport.head(sb, title);
        sb.append("<h1>").append(HtmlReport.esc(title)).append("</h1>\n").append(body).append("</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * Draws the figures into {@code folder/charts} and writes {@code folder/index.html}.
     *
     * @throws IOException if a file cannot be written, or if Java cannot draw for want of a display
     */
    public void write(Path folder) throws IOException {
        Charts.drawn(folder, () -> {
            for (Figure f : figures) {
                f.write(folder.resolve("charts"));
            }
            return null;
        });
        AtomicFiles.writeString(folder.resolve("index.html"), html());
    }
}

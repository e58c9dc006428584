package org.lottery4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.jfree.chart.JFreeChart;
import org.lottery4j.io.AtomicFiles;

/**
 * A static {@code index.html} that any browser opens from a run's folder: a title, paragraphs,
 * charts, tables and the hyperparameters with their canonical form. The experiment's page
 * ({@link HtmlReport}), the study's ({@link StudyReport}) and those of other runs (grokking,
 * double descent, through {@link Figure}) are all written with it, in one style. Text is escaped;
 * links are given as (text, relative path) pairs.
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

    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}",
            ".scroll{overflow-x:auto}table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
                    + "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
                    + "th{background:#f3f3f3;font-weight:600;vertical-align:bottom}",
            // numbers and intervals stay on one line; names (class v) wrap, keys and values (class k) anywhere
            "td{white-space:nowrap}.v{text-align:left}td.v{white-space:normal;max-width:14em}td small{color:#555}"
                    + "tr.first td{border-top:2px solid #888}",
            "td.k{text-align:left;font-family:monospace;overflow-wrap:anywhere;white-space:normal}",
            // a caption as wide as its chart, under it
            "figure{margin:1em 0;display:table}figure img{max-width:100%;border:1px solid #eee}"
                    + "figcaption{display:table-caption;caption-side:bottom;font-size:.9em;color:#444;margin-top:.2em}",
            // two charts side by side in the page's 72em (1152 px at 1280 px), one in a narrow window
            ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:0 1em}"
                    + ".grid figure{margin:0 0 1em}");

    private final String title;
    private final Html heading;
    private final StringBuilder body = new StringBuilder();
    private final List<Chart> charts = new ArrayList<>();

    private ReportPage(String title, Html heading) {
        this.title = title;
        this.heading = heading;
    }

    /** A page with this title (also the heading). */
    public static ReportPage titled(String title) {
        return new ReportPage(title, Html.of(title));
    }

    /**
     * A page titled {@code name}, headed by what it is and the name as code: {@code Lottery-ticket
     * study <code>quick</code>}.
     */
    static ReportPage titled(String kind, String name) {
        return new ReportPage(name, Html.of(kind + " ").code(name));
    }

    /** A paragraph of plain text. */
    public ReportPage paragraph(String text) {
        return paragraph(Html.of(text));
    }

    /** A paragraph. */
    ReportPage paragraph(Html text) {
        body.append("<p>").append(text).append("</p>\n");
        return this;
    }

    /** A second-level heading. */
    public ReportPage heading(String text) {
        body.append("<h2>").append(Html.esc(text)).append("</h2>\n");
        return this;
    }

    /** A line of links, text to relative path, in the map's order. */
    public ReportPage links(Map<String, String> links) {
        return paragraph(Html.of("").data(links).text("."));
    }

    /** A figure, drawn into {@code charts/} when the page is written and shown here. */
    public ReportPage figure(Figure figure) {
        return chart(figure.asChart());
    }

    /** A heat map, drawn into {@code charts/} when the page is written and shown here. */
    public ReportPage heatMap(HeatMap map) {
        return chart(map.asChart());
    }

    /**
     * A chart of the page: written into {@code charts/} as {@code NAME.png} and {@code NAME.svg} of
     * {@code width x height} pixels when the page is written, shown as its SVG with a link to its
     * PNG.
     *
     * @param caption the text under it, saying what a reader cannot see in the chart; empty for none
     * @param draw makes the chart; called when the page is written, since drawing may need the display
     */
    record Chart(String name, String caption, int width, int height, Supplier<JFreeChart> draw) {

        Chart {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(caption, "caption of chart " + name);
        }

        /** Draws the chart into {@code dir} as {@code NAME.png} and {@code NAME.svg}. */
        void write(Path dir) throws IOException {
            Charts.save(dir, name, draw.get(), width, height);
        }
    }

    /** A chart, on a line of its own. */
    ReportPage chart(Chart chart) {
        charts.add(chart);
        show(chart);
        return this;
    }

    /** Charts side by side, two to a row at 1280 px, one in a narrow window. */
    ReportPage grid(List<Chart> grid) {
        body.append("<div class=\"grid\">\n");
        grid.forEach(this::chart);
        body.append("</div>\n");
        return this;
    }

    private void show(Chart chart) {
        String file = "charts/" + chart.name();
        body.append("<figure><img src=\"").append(Html.esc(file)).append(".svg\" alt=\"").append(Html.esc(chart.name()))
                .append("\"><figcaption>")
                .append(Html.of(chart.caption().isEmpty() ? "" : chart.caption() + " ").link("PNG", file + ".png"))
                .append("</figcaption></figure>\n");
    }

    /**
     * A column of a table of rows of type {@code R}.
     *
     * @param header the header's text
     * @param tooltip what the column shows, for a reader who hovers the header; empty for none
     * @param names whether it holds names (left-aligned, wrapped) rather than numbers
     * @param cell a row's cell
     * @param below a smaller second line under a row's cell (an interval); empty for none
     */
    record Column<R>(String header, String tooltip, boolean names, Function<R, String> cell, Function<R, String> below) {

        /** A column of numbers on one line. */
        Column(String header, String tooltip, Function<R, String> cell) {
            this(header, tooltip, false, cell, r -> "");
        }
    }

    /** A table: a header row, then rows of as many cells. */
    public ReportPage table(String heading, List<String> header, List<List<String>> rows) {
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table " + heading + ": a row has " + row.size() + " cells, the header "
                        + header.size());
            }
        }
        List<Column<List<String>>> columns = IntStream.range(0, header.size())
                .mapToObj(i -> new Column<List<String>>(header.get(i), "", row -> row.get(i))).toList();
        return heading(heading).table(columns, rows, null);
    }

    /**
     * A table of {@code rows}, one line per row.
     *
     * @param group a row's group: a rule is drawn above each row whose group differs from the row
     *     before it (the first row's included); {@code null} for no rules
     */
    <R> ReportPage table(List<Column<R>> columns, List<R> rows, Function<R, ?> group) {
        body.append("<div class=\"scroll\"><table>\n<tr>");
        for (Column<R> c : columns) {
            body.append(c.names() ? "<th class=\"v\"" : "<th")
                    .append(c.tooltip().isEmpty() ? "" : " title=\"" + Html.esc(c.tooltip()) + "\"").append('>')
                    .append(Html.esc(c.header())).append("</th>");
        }
        body.append("</tr>\n");
        Object previous = null;
        for (int i = 0; i < rows.size(); i++) {
            R row = rows.get(i);
            Object key = group == null ? null : group.apply(row);
            boolean rule = group != null && (i == 0 || !Objects.equals(key, previous));
            previous = key;
            body.append(rule ? "<tr class=\"first\">" : "<tr>");
            for (Column<R> c : columns) {
                String below = c.below().apply(row);
                body.append(c.names() ? "<td class=\"v\">" : "<td>").append(Html.esc(c.cell().apply(row)))
                        .append(below.isEmpty() ? "" : "<br><small>" + Html.esc(below) + "</small>").append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
        return this;
    }

    /** A two-column table of names and values, such as the hyperparameters or the provenance. */
    public ReportPage keyValues(String heading, Map<String, String> rows) {
        heading(heading);
        body.append("<table>\n");
        rows.forEach((k, v) -> body.append("<tr><td class=\"k\">").append(Html.esc(k)).append("</td><td class=\"k\">")
                .append(Html.esc(v)).append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    /** The canonical form hashed into the folder's name, as the experiment's page shows it. */
    public ReportPage canonical(String canonical) {
        body.append("<p>Canonical form (hashed into the folder name):</p>\n<pre>").append(Html.esc(canonical))
                .append("</pre>\n");
        return this;
    }

    /** The page's HTML. */
    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Html.esc(title)
                + " - lottery4j</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n<body>\n<h1>" + heading + "</h1>\n"
                + body + "</body>\n</html>\n";
    }

    /**
     * Draws the charts into {@code folder/charts} and writes {@code folder/index.html}.
     *
     * @throws IOException if a file cannot be written, or if Java cannot draw because its
     *     {@code DISPLAY} cannot be reached (the message says to run with {@code -Djava.awt.headless=true})
     */
    public void write(Path folder) throws IOException {
        Charts.drawn(folder, () -> {
            for (Chart c : charts) {
                c.write(folder.resolve("charts"));
            }
            return null;
        });
        AtomicFiles.writeString(folder.resolve("index.html"), html());
    }
}

package org.lottery4j.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a page's HTML whose text is escaped where the piece is made. The pages of this
 * package are built from these and {@link ReportPage}, never by joining strings of markup, so a
 * run's name or an axis value cannot open a tag.
 *
 * <pre>{@code
 * Html.of("Lines: ").code("pruning.scope").text(".")   // Lines: <code>pruning.scope</code>.
 * }</pre>
 */
final class Html {

    private final String markup;

    private Html(String markup) {
        this.markup = markup;
    }

    /** Plain text. */
    static Html of(String text) {
        return new Html(esc(text));
    }

    /** This, then plain text. */
    Html text(String text) {
        return new Html(markup + esc(text));
    }

    /** This, then {@code text} as code (a name, a file, a value). */
    Html code(String text) {
        return new Html(markup + "<code>" + esc(text) + "</code>");
    }

    /** This, then {@code text} in bold. */
    Html bold(String text) {
        return new Html(markup + "<b>" + esc(text) + "</b>");
    }

    /** This, then a link to the relative path {@code href}. */
    Html link(String text, String href) {
        return new Html(markup + "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>");
    }

    /** This, then {@code more}. */
    Html append(Html more) {
        return new Html(markup + more.markup);
    }

    /**
     * This, then {@code Data: } and the links to a run's files, text to relative path in the map's
     * order, separated by commas.
     */
    Html data(Map<String, String> links) {
        Html out = text("Data: ");
        String separator = "";
        for (Map.Entry<String, String> e : links.entrySet()) {
            out = out.text(separator).link(e.getKey(), e.getValue());
            separator = ", ";
        }
        return out;
    }

    /** This, then {@code Data: } and links to the run's files, each named by its relative path. */
    Html data(String... files) {
        Map<String, String> links = new LinkedHashMap<>();
        for (String f : files) {
            links.put(f, f);
        }
        return data(links);
    }

    /** The pieces, {@code separator} between each two. */
    static Html join(List<Html> pieces, String separator) {
        Html out = of("");
        for (int i = 0; i < pieces.size(); i++) {
            out = out.text(i == 0 ? "" : separator).append(pieces.get(i));
        }
        return out;
    }

    /** The markup. */
    @Override
    public String toString() {
        return markup;
    }

    /** {@code s} with the characters that HTML reads as markup (in text and in quoted attributes) escaped. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

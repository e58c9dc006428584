package org.lottery4j.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of a Markdown file, by the name an HTML comment on the line before gives them
 * (invisible when the Markdown is rendered):
 *
 * <pre>{@code
 * <!-- snippet: ticket-basic -->
 * ```java
 * import java.nio.file.Path;
 * LotteryTicket ticket = ...;
 * ```
 * }</pre>
 *
 * Java blocks without a marker are listed in {@link #unmarked()}, so a test can refuse them and
 * nothing in the docs escapes testing. Blocks in other languages are found by their marker too
 * ({@code .ci/consumer-check} reads the library guide's {@code pom.xml} that way). A marker that is
 * not followed by a code block, or a name used twice, is an error naming the line.
 */
final class MarkdownSnippets {

    /**
     * One marked block: its name, its language ({@code java}, {@code xml}, ...), the Markdown line of
     * its first code line, and its lines.
     */
    record Snippet(String name, String language, Path file, int firstLine, List<String> lines) {

        /** The leading {@code import} lines (blank and comment lines before them included). */
        List<String> imports() {
            return lines.subList(0, importCount());
        }

        /** Everything after the imports. */
        List<String> body() {
            return lines.subList(importCount(), lines.size());
        }

        /** The Markdown line of the first line of {@link #body()}. */
        int bodyLine() {
            return firstLine + importCount();
        }

        private int importCount() {
            int n = 0;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (IMPORT.matcher(l).matches()) {
                    n = i + 1;
                } else if (!l.isEmpty() && !l.startsWith("//")) {
                    break;
                }
            }
            return n;
        }
    }

    static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([a-z0-9][a-z0-9-]*)\\s*-->\\s*$");
    private static final Pattern ANY_MARKER = Pattern.compile("^\\s*<!--\\s*snippet\\b.*");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([A-Za-z0-9_+-]*).*$");
    private static final Pattern IMPORT = Pattern.compile("import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;.*");

    private final Map<String, Snippet> marked;
    private final List<Integer> unmarked;

    private MarkdownSnippets(Map<String, Snippet> marked, List<Integer> unmarked) {
        this.marked = marked;
        this.unmarked = unmarked;
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalStateException when the file is missing, naming where it was looked for
     * @throws IllegalArgumentException for a malformed or misplaced marker, naming its line
     */
    static MarkdownSnippets read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file.toAbsolutePath().normalize() + " not found: the docs tests "
                    + "read the Markdown files from the repository root, one folder above the module (run them with "
                    + "Maven from the repository or the module folder)");
        }
        return parse(file, Files.readAllLines(file));
    }

    static MarkdownSnippets parse(Path file, List<String> lines) {
        Map<String, Snippet> marked = new LinkedHashMap<>();
        List<Integer> unmarked = new ArrayList<>();
        String pendingName = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNo = i + 1;
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                int end = closingFence(file, lines, i, fence.group(1));
                String language = fence.group(2);
                if (pendingName == null && language.equals("java")) {
                    unmarked.add(lineNo);
                } else if (pendingName != null) {
                    if (marked.containsKey(pendingName)) {
                        throw new IllegalArgumentException(file + ":" + pendingLine + ": snippet name '" + pendingName
                                + "' already names the block at line " + (marked.get(pendingName).firstLine() - 1));
                    }
                    marked.put(pendingName, new Snippet(pendingName, language, file, lineNo + 1,
                            List.copyOf(lines.subList(i + 1, end))));
                }
                pendingName = null;
                i = end;
                continue;
            }
            Matcher marker = MARKER.matcher(line);
            if (marker.matches()) {
                if (pendingName != null) {
                    throw misplaced(file, pendingLine, pendingName, "is followed by another marker");
                }
                pendingName = marker.group(1);
                pendingLine = lineNo;
            } else if (ANY_MARKER.matcher(line).matches()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": malformed snippet marker '" + line.strip()
                        + "': write <!-- snippet: NAME --> (lower case, digits and '-') on the line before the block");
            } else if (pendingName != null && !line.isBlank()) {
                throw misplaced(file, pendingLine, pendingName, "is followed by text instead of a code block");
            }
        }
        if (pendingName != null) {
            throw misplaced(file, pendingLine, pendingName, "is not followed by a code block");
        }
        return new MarkdownSnippets(marked, unmarked);
    }

    private static int closingFence(Path file, List<String> lines, int open, String fence) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).strip().startsWith(fence) && lines.get(j).strip().replace(fence.substring(0, 1), "").isEmpty()) {
                return j;
            }
        }
        throw new IllegalArgumentException(file + ": the code block opened at line " + (open + 1) + " is never closed");
    }

    private static IllegalArgumentException misplaced(Path file, int line, String name, String problem) {
        return new IllegalArgumentException(file + ":" + line + ": the marker of snippet '" + name + "' " + problem);
    }

    /** The marked blocks, by name, in file order. */
    Map<String, Snippet> marked() {
        return marked;
    }

    /** The Markdown line numbers of {@code ```java} fences without a marker. */
    List<Integer> unmarked() {
        return unmarked;
    }
}

package org.lottery4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks what the docs point at, without running anything: every relative link and {@code #anchor}
 * of README.md, docs/*.md, RESULTS.md, BENCHMARKS.md and SECURITY.md resolves to a file and a
 * heading that exist; the shell blocks of README.md and docs/*.md name real example commands
 * ({@code java -jar lottery-examples/target/lottery-examples.jar <command>}, with the options that
 * command's sources declare), real modules ({@code -pl}), profiles ({@code -P}) and repository
 * files; and their XML blocks name real lottery4j modules.
 */
class DocsLinksTest {

    private static final Path ROOT = DocsSnippetsTest.ROOT;
    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([A-Za-z0-9_+-]*).*$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern COMMAND_NAME = Pattern.compile("@Command\\(\\s*name\\s*=\\s*\"([a-z0-9-]+)\"");
    private static final Pattern OPTION_NAME = Pattern.compile("\"(--[a-z0-9-]+)\"");
    private static final Pattern REPO_PATH = Pattern.compile("^(?:\\./)?((?:lottery-[a-z]+|\\.ci|docs)/[\\w./-]+)$");
    private static final Path EXAMPLES_SOURCES = ROOT.resolve("lottery-examples/src/main/java/org/lottery4j/examples");

    /** A Markdown page split into prose (code spans blanked) and fenced blocks. */
    record Page(Path file, List<String> prose, List<Block> blocks) {}

    record Block(String language, int line, List<String> lines) {}

    static List<Path> linkedPages() throws IOException {
        List<Path> pages = new ArrayList<>(DocsSnippetsTest.pages());
        for (String top : List.of("RESULTS.md", "BENCHMARKS.md", "SECURITY.md")) {
            pages.add(ROOT.resolve(top));
        }
        return pages;
    }

    static Page read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> prose = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (fence.matches()) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals(fence.group(1))) {
                    end++;
                }
                blocks.add(new Block(fence.group(2), i + 2, lines.subList(i + 1, Math.min(end, lines.size()))));
                for (int j = i; j <= end && j < lines.size(); j++) {
                    prose.add("");
                }
                i = end;
            } else {
                prose.add(lines.get(i).replaceAll("`[^`]*`", "``"));
            }
        }
        return new Page(file, prose, blocks);
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
    static Set<String> anchors(Page page) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        List<String> lines = page.prose();
        List<String> raw;
        try {
            raw = Files.readAllLines(page.file());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isEmpty() && !raw.get(i).isEmpty()) {
                continue; // inside a code block
            }
            Matcher h = HEADING.matcher(raw.get(i));
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    @Test
    void slugsAreGitHubs() {
        assertThat(slug("What `summary.csv` holds")).isEqualTo("what-summarycsv-holds");
        assertThat(slug("2:4 sparsity and export")).isEqualTo("24-sparsity-and-export");
        assertThat(slug("The papers' settings")).isEqualTo("the-papers-settings");
        assertThat(slug("Run folders that resume: RunIdentity, RunFolder, Phase"))
                .isEqualTo("run-folders-that-resume-runidentity-runfolder-phase");
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        for (Path file : linkedPages()) {
            Page page = read(file);
            for (int i = 0; i < page.prose().size(); i++) {
                Matcher m = LINK.matcher(page.prose().get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    String where = ROOT.relativize(file) + ":" + (i + 1) + ": " + target;
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(where + " (no such file)");
                        continue;
                    }
                    if (hash >= 0) {
                        String anchor = target.substring(hash + 1);
                        Set<String> anchors = anchorsByFile.computeIfAbsent(resolved.toAbsolutePath().normalize(), f -> {
                            try {
                                return anchors(read(resolved));
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        if (!anchors.contains(anchor)) {
                            broken.add(where + " (no such heading; the page has " + anchors + ")");
                        }
                    }
                }
            }
        }
        assertThat(broken).as("links of the docs that lead nowhere").isEmpty();
    }

    /**
     * The sub-commands the examples jar has (nested ones, such as {@code study run}, included), each
     * with the options that any example's sources declare.
     */
    static Map<String, Set<String>> exampleCommands() throws IOException {
        Map<String, Set<String>> commands = new HashMap<>();
        Set<String> allOptions = new TreeSet<>(List.of("--help", "--version"));
        try (Stream<Path> s = Files.walk(EXAMPLES_SOURCES)) {
            for (Path source : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                Matcher c = COMMAND_NAME.matcher(text);
                while (c.find()) {
                    commands.put(c.group(1), allOptions);
                }
                Matcher o = OPTION_NAME.matcher(text);
                while (o.find()) {
                    allOptions.add(o.group(1));
                }
            }
        }
        return commands;
    }

    @Test
    void shellBlocksNameRealCommandsModulesAndFiles() throws IOException {
        Map<String, Set<String>> commands = exampleCommands();
        assertThat(commands).containsKeys("mnist-lenet", "study", "run", "status", "report", "predict");
        List<String> wrong = new ArrayList<>();
        int examples = 0;
        for (Path file : DocsSnippetsTest.pages()) {
            for (Block block : read(file).blocks()) {
                if (!block.language().equals("bash") && !block.language().equals("sh")) {
                    continue;
                }
                for (String command : commands(block)) {
                    String where = ROOT.relativize(file) + ":" + block.line() + ": ";
                    List<String> words = List.of(command.trim().split("\\s+"));
                    int jar = exampleCommandStart(words);
                    if (jar >= 0) {
                        examples++;
                        String sub = jar + 1 < words.size() ? words.get(jar + 1) : "";
                        if (!commands.containsKey(sub) || sub.equals("run") || sub.equals("status")
                                || sub.equals("report")) {
                            wrong.add(where + "'" + sub + "' is not a command of lottery-examples.jar: " + command);
                        } else if (sub.equals("study")) {
                            String action = jar + 2 < words.size() ? words.get(jar + 2) : "";
                            if (!List.of("run", "status", "report").contains(action)) {
                                wrong.add(where + "'study " + action + "' is not a study command: " + command);
                            }
                        }
                        for (String w : words.subList(jar + 1, words.size())) {
                            String option = w.replaceAll("=.*", "");
                            if (option.startsWith("--") && !commands.get("study").contains(option)) {
                                wrong.add(where + "no example declares the option " + option + ": " + command);
                            }
                        }
                    }
                    for (int i = 0; i < words.size(); i++) {
                        String w = words.get(i);
                        if (w.equals("-pl") && i + 1 < words.size()) {
                            for (String module : words.get(i + 1).split(",")) {
                                if (!Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml"))) {
                                    wrong.add(where + "no module '" + module + "': " + command);
                                }
                            }
                        }
                        if (w.startsWith("-P") && w.length() > 2 && !profiles().contains(w.substring(2))) {
                            wrong.add(where + "no Maven profile '" + w.substring(2) + "': " + command);
                        }
                        Matcher path = REPO_PATH.matcher(w);
                        if (path.matches() && !w.contains("/target/") && !Files.exists(ROOT.resolve(path.group(1)))) {
                            wrong.add(where + "no file '" + path.group(1) + "' in the repository: " + command);
                        }
                    }
                }
            }
        }
        assertThat(wrong).as("shell commands of the docs that name something that does not exist").isEmpty();
        assertThat(examples).as("example commands found in the docs' shell blocks").isGreaterThan(20);
    }

    /**
     * Where the examples' command line starts in {@code words}, -1 if it has none: after the examples
     * jar, after the cluster job jar (which spark-submit runs with the same commands), or after
     * {@code spark-standalone submit}.
     */
    private static int exampleCommandStart(List<String> words) {
        for (String jar : List.of("lottery-examples/target/lottery-examples.jar",
                "lottery-spark-job/target/lottery-spark-job.jar")) {
            if (words.contains(jar)) {
                return words.indexOf(jar);
            }
        }
        boolean standalone = !words.isEmpty() && words.get(0).endsWith("bin/spark-standalone");
        return standalone ? words.indexOf("submit") : -1;
    }

    /** The block's commands: continuation lines joined, comments dropped, split at {@code &&}, {@code ;} and {@code |}. */
    static List<String> commands(Block block) {
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.lines()) {
            String l = line.strip();
            if (l.startsWith("#") && current.length() == 0) {
                continue;
            }
            int comment = l.indexOf(" #");
            if (comment >= 0) {
                l = l.substring(0, comment);
            }
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            current.append(l);
            joined.add(current.toString());
            current.setLength(0);
        }
        if (current.length() > 0) {
            joined.add(current.toString());
        }
        List<String> commands = new ArrayList<>();
        for (String j : joined) {
            for (String c : j.split("&&|;|\\|")) {
                if (!c.isBlank()) {
                    commands.add(c.strip());
                }
            }
        }
        return commands;
    }

    private static Set<String> profiles;

    static synchronized Set<String> profiles() throws IOException {
        if (profiles == null) {
            profiles = new TreeSet<>();
            try (Stream<Path> s = Files.list(ROOT)) {
                for (Path dir : s.filter(Files::isDirectory).toList()) {
                    addProfiles(dir.resolve("pom.xml"));
                }
            }
            addProfiles(ROOT.resolve("pom.xml"));
        }
        return profiles;
    }

    private static void addProfiles(Path pom) throws IOException {
        if (Files.isRegularFile(pom)) {
            Matcher m = Pattern.compile("<profile>\\s*(?:<!--.*?-->\\s*)*<id>([^<]+)</id>", Pattern.DOTALL)
                    .matcher(Files.readString(pom));
            while (m.find()) {
                profiles.add(m.group(1));
            }
        }
    }

    @Test
    void xmlBlocksNameRealModules() throws IOException {
        List<String> wrong = new ArrayList<>();
        Pattern artifact = Pattern.compile("<groupId>org\\.lottery4j</groupId>\\s*<artifactId>([^<]+)</artifactId>");
        for (Path file : DocsSnippetsTest.pages()) {
            for (Block block : read(file).blocks()) {
                if (!block.language().equals("xml")) {
                    continue;
                }
                Matcher m = artifact.matcher(String.join("\n", block.lines()));
                while (m.find()) {
                    if (!Files.isRegularFile(ROOT.resolve(m.group(1)).resolve("pom.xml"))) {
                        wrong.add(ROOT.relativize(file) + ":" + block.line() + ": no module " + m.group(1));
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}

package org.lottery4j.docs;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.lottery4j.docs.MarkdownSnippets.Snippet;

/**
 * Compiles a snippet of the docs (README.md, docs/*.md) inside a {@code main} method, with the
 * imports, variables and checks its {@link Context} supplies, and runs it in a fresh JVM whose
 * working folder is an empty temporary folder, as a user who pastes it into their program would
 * (relative paths such as {@code Path.of("ticket.zip")} land there). Compile errors point at
 * Markdown lines. A snippet that is a whole program (a class with its own {@code main}, such as the
 * library guide's {@code Main.java}) is compiled as it is and run by its class name
 * ({@link Context#program}).
 *
 * <pre>{@code
 * Context c = Context.of().imports("org.nd4j.linalg.dataset.api.iterator.DataSetIterator")
 *         .prelude("DataSetIterator train = DocsData.mnistShaped(120, 60, 7);");
 * SnippetRunner.Run run = SnippetRunner.run(snippet, c, tempDir);
 * }</pre>
 */
final class SnippetRunner {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int OUTPUT_TAIL_LINES = 60;

    private SnippetRunner() {}

    /**
     * What a snippet needs around it and what the test checks inside the program: {@code imports}
     * (fully qualified names) for the prelude and epilogue, {@code prelude} statements before the
     * snippet (its inputs, such as {@code train}), {@code epilogue} statements after it (they see
     * the snippet's variables), environment variables of the JVM ({@code null} removes one), and
     * {@code mainClass}: for a snippet that is a whole program, the fully qualified name of its class
     * ({@code null} for a snippet that is the body of a {@code main} method).
     */
    record Context(List<String> imports, String prelude, String epilogue, Map<String, String> env, String mainClass) {

        static Context of() {
            return new Context(List.of(), "", "", Map.of(), null);
        }

        Context imports(String... names) {
            return new Context(List.of(names), prelude, epilogue, env, mainClass);
        }

        Context prelude(String code) {
            return new Context(imports, code, epilogue, env, mainClass);
        }

        Context epilogue(String code) {
            return new Context(imports, prelude, code, env, mainClass);
        }

        Context env(Map<String, String> variables) {
            return new Context(imports, prelude, epilogue, variables, mainClass);
        }

        /** The snippet is a whole program, one compilation unit, whose class {@code className} has {@code main}. */
        Context program(String className) {
            return new Context(imports, prelude, epilogue, env, className);
        }
    }

    /** A finished run: its working folder (what the snippet wrote) and everything it printed. */
    record Run(Path workDir, String output) {}

    /**
     * Compiles and runs {@code snippet} with {@code context} in {@code dir} (sources, classes and
     * the working folder {@code dir/work}).
     *
     * @throws AssertionError when the snippet does not compile (errors by Markdown line), exits with a
     *     non-zero status or runs past the time limit (with the tail of its output)
     */
    static Run run(Snippet snippet, Context context, Path dir) throws IOException, InterruptedException {
        String className = context.mainClass() != null ? context.mainClass()
                : "DocsSnippet_" + snippet.name().replace('-', '_');
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(snippet, context, className, dir.resolve("src"), classes);
        Path work = Files.createDirectories(dir.resolve("work"));
        Path log = dir.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classPath() + File.pathSeparator + classes, className)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1"); // 2 shared cores: one thread is the fastest (BENCHMARKS.md)
        context.env().forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(where(snippet) + " ran longer than " + TIMEOUT.toSeconds() + " s; its output:\n"
                    + tail(Files.readString(log)));
        }
        String output = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new AssertionError(where(snippet) + " failed (exit status " + p.exitValue() + "); its output:\n"
                    + tail(output));
        }
        return new Run(work, output);
    }

    /** The generated source, and for each of its lines where it came from (a Markdown line or the context). */
    record Source(String text, List<String> origins) {}

    static Source source(Snippet snippet, Context context, String className) {
        List<String> lines = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        String readme = snippet.file().getFileName().toString();
        if (context.mainClass() != null) { // a whole program: its lines as they are
            int n = snippet.firstLine();
            for (String l : snippet.lines()) {
                add(lines, origins, l, readme + ":" + n++);
            }
            return new Source(String.join("\n", lines) + "\n", origins);
        }
        Set<String> imports = new LinkedHashSet<>();
        context.imports().forEach(i -> imports.add("import " + i + ";"));
        for (String i : imports) {
            add(lines, origins, i, "the test's imports for '" + snippet.name() + "'");
        }
        int n = snippet.firstLine();
        for (String l : snippet.imports()) {
            add(lines, origins, l, readme + ":" + n++);
        }
        add(lines, origins, "public final class " + className + " {", "the wrapper");
        add(lines, origins, "public static void main(String[] args) throws Exception {", "the wrapper");
        context.prelude().lines().forEach(l -> add(lines, origins, l, "the test's prelude for '" + snippet.name() + "'"));
        n = snippet.bodyLine();
        for (String l : snippet.body()) {
            add(lines, origins, l, readme + ":" + n++);
        }
        context.epilogue().lines().forEach(l -> add(lines, origins, l, "the test's epilogue for '" + snippet.name() + "'"));
        add(lines, origins, "}", "the wrapper");
        add(lines, origins, "}", "the wrapper");
        return new Source(String.join("\n", lines) + "\n", origins);
    }

    private static void add(List<String> lines, List<String> origins, String line, String origin) {
        lines.add(line);
        origins.add(origin);
    }

    /**
     * Compiles the snippet into {@code classes}.
     *
     * @throws AssertionError listing each error as {@code FILE.md:LINE: message} and the line's code
     */
    static void compile(Snippet snippet, Context context, String className, Path srcDir, Path classes)
            throws IOException {
        Source source = source(snippet, context, className);
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        Path file = Files.createDirectories(srcDir).resolve(simpleName + ".java");
        Files.writeString(file, source.text(), StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + ": the docs snippet tests need a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", classPath(), "--release", "17",
                    "-proc:none", "-implicit:none", "-nowarn");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
            if (!ok) {
                throw new AssertionError(where(snippet) + " does not compile:\n" + errors(diagnostics, source));
            }
        }
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics, Source source) {
        StringBuilder sb = new StringBuilder();
        List<String> lines = source.text().lines().toList();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            int line = (int) d.getLineNumber();
            boolean known = line >= 1 && line <= lines.size();
            sb.append(known ? source.origins().get(line - 1) : "?").append(": ").append(d.getMessage(Locale.ROOT))
                    .append('\n');
            if (known) {
                sb.append("    ").append(lines.get(line - 1).strip()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String where(Snippet snippet) {
        return "Docs snippet '" + snippet.name() + "' (" + snippet.file().getFileName() + ":" + snippet.firstLine() + ")";
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size()));
    }

    /**
     * The test classpath: Surefire's (its JVM may see only a manifest jar), else the JVM's, plus
     * this module's classes and test classes wherever they are.
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(e);
            }
        }
        entries.add(location(SnippetRunner.class));
        entries.add(location(org.lottery4j.ticket.LotteryTicket.class));
        return String.join(File.pathSeparator, entries);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
        }
    }
}

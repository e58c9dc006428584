package org.lottery4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code <pre>{@code ...}</pre>} example in the Javadoc of lottery-core's public types
 * compiles against the library as it is, as the docs' code blocks do: an example that calls a
 * removed or renamed method fails here, naming its file and line. Each example is compiled as the
 * body of a method (or, when it declares methods, as the body of a class) that imports every
 * public package of lottery4j, and takes the few names examples use without declaring them
 * ({@link #GIVEN}: {@code net}, {@code ticket}, {@code train}...) as given. Examples are compiled,
 * not run: most need data and a trained network.
 */
class JavadocExamplesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern EXAMPLE = Pattern.compile("<pre>\\{@code\\n(.*?)\\}</pre>", Pattern.DOTALL);

    /** The names examples use as given, with their types: what a reader has at that point. */
    static final Map<String, String> GIVEN = Map.ofEntries(
            Map.entry("net", "MultiLayerNetwork"),
            Map.entry("graph", "ComputationGraph"),
            Map.entry("model", "Model"),
            Map.entry("ticket", "LotteryTicket"),
            Map.entry("view", "NetworkView"),
            Map.entry("train", "DataSet"),
            Map.entry("test", "DataSet"),
            Map.entry("validation", "DataSet"),
            Map.entry("examples", "DataSet"),
            Map.entry("batch", "DataSet"),
            Map.entry("features", "INDArray"),
            Map.entry("labels", "INDArray"),
            Map.entry("out", "Path"),
            Map.entry("folder", "Path"),
            Map.entry("file", "Path"),
            Map.entry("hp", "ExperimentHparams"),
            Map.entry("hparams", "ExperimentHparams"),
            Map.entry("workload", "Workload"),
            Map.entry("record", "TrainingRecord"),
            Map.entry("arm", "ArmResult"),
            Map.entry("result", "ExperimentResult"),
            Map.entry("masks", "MaskSet"),
            Map.entry("key", "ParamKey"),
            Map.entry("random", "java.util.Random"),
            Map.entry("LOG", "org.slf4j.Logger"),
            Map.entry("nm", "NmHparams"),
            Map.entry("path", "Path"),
            Map.entry("trainAll", "DataSet"),
            Map.entry("seed", "long"),
            Map.entry("rows", "int"),
            Map.entry("k", "int"),
            Map.entry("nIn", "int"),
            Map.entry("nOut", "int"),
            Map.entry("pixels", "float[]"),
            Map.entry("weights", "float[]"),
            Map.entry("values", "float[]"),
            Map.entry("bias", "float[]"),
            Map.entry("w", "float[]"),
            Map.entry("x", "float[]"),
            Map.entry("bytes", "byte[]"),
            Map.entry("csv", "String"),
            Map.entry("conf", "org.deeplearning4j.nn.conf.MultiLayerConfiguration"),
            Map.entry("cropFlip", "BatchAugmentation"),
            Map.entry("initial", "Map<ParamKey, float[]>"),
            Map.entry("run", "StudyRun"),
            Map.entry("axesOfRun1", "Map<String, String>"),
            Map.entry("axesOfRun2", "Map<String, String>"),
            Map.entry("result1", "ExperimentResult"),
            Map.entry("result2", "ExperimentResult"));

    /**
     * Classes of lottery4j's other modules that examples of lottery-core name, with the signatures
     * they use: lottery-report's page writer.
     */
    private static final String OTHER_MODULES = """
                static final class HtmlReport {
                    static void write(Path folder, ExperimentResult result) {}
                }
            """;

    /** An example: where it is, and its code as a reader sees it. */
    record Example(Path file, int line, String code) {
        String where() {
            return file + ":" + line;
        }
    }

    @TempDir
    Path dir;

    @Test
    void everyExampleOfAPublicTypeCompiles() throws IOException {
        List<Example> examples = examples();
        assertThat(examples).as("examples found").hasSizeGreaterThan(60);
        List<String> failures = new ArrayList<>();
        Map<Example, List<String>> asStatements = failing(examples, false);
        Map<Example, List<String>> asMembers = failing(new ArrayList<>(asStatements.keySet()), true);
        asMembers.keySet().forEach(e -> failures.add("Javadoc example at " + e.where() + " does not compile:\n  "
                + String.join("\n  ", asStatements.get(e)) + "\n" + e.code()));
        assertThat(failures).as("%d of %d examples", failures.size(), examples.size()).isEmpty();
    }

    /**
     * The examples that do not compile, with their errors. A syntax error in one file hides the
     * others' errors from javac, so those that fail are taken out and the rest compiled again
     * until they all compile.
     */
    private Map<Example, List<String>> failing(List<Example> examples, boolean asMembers) throws IOException {
        Map<Example, List<String>> failed = new java.util.LinkedHashMap<>();
        List<Example> left = new ArrayList<>(examples);
        for (int attempt = 0; !left.isEmpty(); attempt++) {
            Map<Integer, List<String>> errors = compile(left, asMembers, attempt);
            if (errors.isEmpty()) {
                break;
            }
            List<Example> next = new ArrayList<>();
            for (int k = 0; k < left.size(); k++) {
                if (errors.containsKey(k)) {
                    failed.put(left.get(k), errors.get(k));
                } else {
                    next.add(left.get(k));
                }
            }
            left = next;
        }
        return failed;
    }

    /** The examples in the sources of lottery-core's public types, outside the internal package. */
    static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f);
                if (f.toString().contains("/internal/") || !isPublicType(f, text)) {
                    continue;
                }
                Matcher m = EXAMPLE.matcher(text);
                while (m.find()) {
                    int line = (int) text.substring(0, m.start(1)).lines().count() + 1;
                    String code = m.group(1).lines().map(l -> l.replaceFirst("^\\s*\\* ?", ""))
                            .collect(Collectors.joining("\n"));
                    code = code.replace("&lt;", "<").replace("&gt;", ">").replace("&#64;", "@").replace("&amp;", "&");
                    if (!code.strip().startsWith("{") && !code.strip().startsWith("[")) { // JSON, not Java
                        out.add(new Example(f, line, code));
                    }
                }
            }
        }
        return out;
    }

    private static boolean isPublicType(Path f, String text) {
        String name = f.getFileName().toString().replace(".java", "");
        return name.equals("package-info")
                || Pattern.compile("^public (final |abstract |sealed )*(class|interface|record|enum) " + name + "\\b",
                Pattern.MULTILINE).matcher(text).find();
    }

    /** Compiles each example; returns the errors of those that failed, by their index in {@code examples}. */
    private Map<Integer, List<String>> compile(List<Example> examples, boolean asMembers, int attempt) throws IOException {
        Path src = Files.createDirectories(dir.resolve((asMembers ? "members" : "statements") + attempt));
        List<Path> sources = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (int k = 0; k < examples.size(); k++) {
            String header = header(k, asMembers);
            offsets.add((int) header.lines().count());
            Path file = src.resolve("Example" + k + ".java");
            Files.writeString(file, header + examples.get(k).code() + "\n" + (asMembers ? "}\n" : "}\n}\n"));
            sources.add(file);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            javac.getTask(null, files, diagnostics, List.of("-proc:none", "-d", Files.createDirectories(
                    src.resolve("classes")).toString(), "-cp", System.getProperty("java.class.path")),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
        }
        Map<Integer, List<String>> errors = new java.util.TreeMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
                continue;
            }
            String name = Path.of(d.getSource().toUri()).getFileName().toString();
            int k = Integer.parseInt(name.replaceAll("\\D", ""));
            Example e = examples.get(k);
            long line = d.getLineNumber() - offsets.get(k);
            errors.computeIfAbsent(k, x -> new ArrayList<>()).add((line >= 1 ? e.file() + ":" + (e.line() + line - 1) + ": "
                    : "(the test's wrapper) ") + d.getMessage(Locale.ROOT).lines().limit(2).map(String::strip).collect(Collectors.joining(": ")));
        }
        return errors;
    }

    private static String header(int k, boolean asMembers) {
        StringBuilder h = new StringBuilder("package javadoc.examples;\n");
        for (String p : packages()) {
            h.append("import ").append(p).append(".*;\n");
        }
        for (String c : List.of("java.util.*", "java.util.function.*", "java.nio.file.*", "java.io.IOException",
                "org.deeplearning4j.nn.api.Model", "org.deeplearning4j.nn.multilayer.MultiLayerNetwork",
                "org.deeplearning4j.nn.graph.ComputationGraph", "org.nd4j.linalg.dataset.DataSet",
                "org.nd4j.linalg.api.ndarray.INDArray", "org.nd4j.linalg.factory.Nd4j",
                "org.nd4j.linalg.learning.config.IUpdater", "org.nd4j.linalg.learning.regularization.Regularization",
                "org.deeplearning4j.nn.conf.NeuralNetConfiguration", "org.deeplearning4j.nn.conf.layers.DenseLayer",
                "org.deeplearning4j.nn.conf.layers.OutputLayer", "org.nd4j.linalg.activations.Activation",
                "org.nd4j.linalg.lossfunctions.LossFunctions")) {
            h.append("import ").append(c).append(";\n");
        }
        h.append("@SuppressWarnings(\"all\")\nabstract class Example").append(k).append(" {\n");
        GIVEN.forEach((name, type) -> h.append("    ").append(type).append(' ').append(name).append(";\n"));
        h.append(OTHER_MODULES);
        if (!asMembers) {
            h.append("    void example() throws Exception {\n");
        }
        return h.toString();
    }

    /** Every package of lottery-core with a public type, the internal one aside. */
    private static List<String> packages() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return new ArrayList<>(files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java"))
                    .map(p -> SOURCES.relativize(p.getParent()).toString().replace('/', '.'))
                    .filter(p -> !p.endsWith(".internal"))
                    .collect(Collectors.toCollection(TreeSet::new)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

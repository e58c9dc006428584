package org.lottery4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Markdown tables of a JMH JSON result file of {@link SparseInferenceBenchmark} (and of
 * {@link MlpKernelBenchmark}, when the same file holds it): per model, one table per quantity with
 * a row per sparsity and a column per batch. First the ratios {@code ortDense / sparse} (how many
 * times faster the sparse model is than ONNX Runtime, one thread each) and
 * {@code ortDenseTwoThreads / sparseTwoThreads} (two threads each), then the microseconds per call
 * of each engine. A point the file lacks (a trial that failed, a grid cut short) is an empty cell.
 *
 * <pre>
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.SparseInferenceTable sparse-full.json
 * </pre>
 */
public final class SparseInferenceTable {

    private static final List<String> MODELS = List.of("lenet", "mlp4096", "conv2", "resnet20");
    private static final List<String> ENGINES =
            List.of("dl4j", "ortDense", "ortDenseTwoThreads", "sparse", "sparseTwoThreads", "javaDense", "floor");
    private static final List<String> BENCHMARKS = List.of("SparseInferenceBenchmark", "MlpKernelBenchmark");

    /** One measured point: microseconds per call of an engine on a model at a sparsity and batch. */
    record Point(String model, String engine, double sparsity, int batch, double micros) {}

    private SparseInferenceTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SparseInferenceTable <JMH JSON result file of SparseInferenceBenchmark>");
            System.exit(2);
        }
        System.out.print(markdown(read(Path.of(args[0]))));
    }

    /** The points of the file's SparseInferenceBenchmark and MlpKernelBenchmark results; other benchmarks are skipped. */
    static List<Point> read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(json + " is not a JMH JSON result file (an array of results)");
        }
        List<Point> points = new ArrayList<>();
        for (JsonNode run : root) {
            String benchmark = run.path("benchmark").asText();
            String[] parts = benchmark.split("\\.");
            if (parts.length < 2 || !BENCHMARKS.contains(parts[parts.length - 2])) {
                continue;
            }
            JsonNode params = run.path("params");
            JsonNode metric = run.path("primaryMetric");
            points.add(new Point(params.path("model").asText(), parts[parts.length - 1],
                    Double.parseDouble(params.path("sparsity").asText()), Integer.parseInt(params.path("batch").asText()),
                    micros(metric.path("score").asDouble(), metric.path("scoreUnit").asText(), benchmark)));
        }
        return points;
    }

    // JMH writes the unit of @OutputTimeUnit per operation: us/op unless a run overrode it (-tu).
    private static double micros(double score, String unit, String benchmark) {
        return switch (unit) {
            case "ns/op" -> score / 1e3;
            case "us/op" -> score;
            case "ms/op" -> score * 1e3;
            case "s/op" -> score * 1e6;
            default -> throw new IllegalArgumentException(benchmark + ": score in " + unit
                    + ", not time per call (run it in the average-time mode)");
        };
    }

    /** The tables, in markdown: per model (in the benchmark's order), the ratios and then each engine. */
    static String markdown(List<Point> points) {
        Map<String, Map<String, Map<Double, Map<Integer, Double>>>> byModel = new TreeMap<>(order(MODELS));
        for (Point p : points) {
            byModel.computeIfAbsent(p.model(), m -> new TreeMap<>(order(ENGINES)))
                    .computeIfAbsent(p.engine(), e -> new TreeMap<>())
                    .computeIfAbsent(p.sparsity(), s -> new TreeMap<>())
                    .put(p.batch(), p.micros());
        }
        StringBuilder out = new StringBuilder();
        byModel.forEach((model, engines) -> {
            TreeSet<Double> sparsities = new TreeSet<>();
            TreeSet<Integer> batches = new TreeSet<>();
            engines.values().forEach(rows -> rows.forEach((s, cells) -> {
                sparsities.add(s);
                batches.addAll(cells.keySet());
            }));
            out.append("### ").append(model).append("\n\n");
            Map<String, Map<Double, Map<Integer, String>>> tables = new LinkedHashMap<>();
            tables.put("ortDense / sparse: times faster than ONNX Runtime, one thread each",
                    ratios(engines.get("ortDense"), engines.get("sparse")));
            tables.put("ortDenseTwoThreads / sparseTwoThreads: times faster than ONNX Runtime, two threads each",
                    ratios(engines.get("ortDenseTwoThreads"), engines.get("sparseTwoThreads")));
            engines.forEach((engine, rows) -> tables.put(engine + ": microseconds per call", format(rows)));
            tables.forEach((title, cells) -> {
                if (!cells.isEmpty()) { // no ratio without both engines
                    table(out, title, cells, sparsities, batches);
                }
            });
        });
        return out.toString();
    }

    private static void table(StringBuilder out, String title, Map<Double, Map<Integer, String>> cells,
            TreeSet<Double> sparsities, TreeSet<Integer> batches) {
        out.append("**").append(title).append("**\n\n| pruned |");
        batches.forEach(b -> out.append(" batch ").append(b).append(" |"));
        out.append("\n| ---: |");
        batches.forEach(b -> out.append(" ---: |"));
        out.append('\n');
        for (double s : sparsities) {
            out.append("| ").append(percent(s)).append(" |");
            Map<Integer, String> row = cells.getOrDefault(s, Map.of());
            batches.forEach(b -> out.append(' ').append(row.getOrDefault(b, "")).append(" |"));
            out.append('\n');
        }
        out.append('\n');
    }

    private static Map<Double, Map<Integer, String>> ratios(Map<Double, Map<Integer, Double>> slower,
            Map<Double, Map<Integer, Double>> faster) {
        Map<Double, Map<Integer, String>> out = new TreeMap<>();
        if (slower == null || faster == null) {
            return out;
        }
        slower.forEach((s, row) -> row.forEach((b, us) -> {
            Double other = faster.getOrDefault(s, Map.of()).get(b);
            if (other != null) {
                double r = us / other;
                out.computeIfAbsent(s, k -> new TreeMap<>())
                        .put(b, String.format(Locale.ROOT, r < 10 ? "%.2fx" : "%.1fx", r));
            }
        }));
        return out;
    }

    private static Map<Double, Map<Integer, String>> format(Map<Double, Map<Integer, Double>> micros) {
        Map<Double, Map<Integer, String>> out = new TreeMap<>();
        micros.forEach((s, row) -> row.forEach((b, us) -> out.computeIfAbsent(s, k -> new TreeMap<>()).put(b, formatMicros(us))));
        return out;
    }

    // three significant figures, as BENCHMARKS.md writes them: 8.82, 11.5, 532, 16,360
    static String formatMicros(double us) {
        if (us >= 100) {
            return String.format(Locale.ROOT, "%,d", Math.round(us));
        }
        return String.format(Locale.ROOT, us >= 10 ? "%.1f" : "%.2f", us);
    }

    static String percent(double sparsity) {
        double p = sparsity * 100;
        return String.format(Locale.ROOT, Math.abs(p - Math.rint(p)) < 1e-9 ? "%.0f%%" : "%.1f%%", p);
    }

    // The listed names first, in their order, then any others alphabetically.
    private static Comparator<String> order(List<String> known) {
        return Comparator.<String>comparingInt(n -> known.contains(n) ? known.indexOf(n) : known.size())
                .thenComparing(Comparator.naturalOrder());
    }
}

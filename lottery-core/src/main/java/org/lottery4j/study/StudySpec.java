package org.lottery4j.study;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.Utf8;

/**
 * A study: a base experiment and the fields to vary, read from a JSON file and validated before
 * anything runs. Fields are named as {@link ExperimentHparams#fields()} prints them.
 *
 * <pre>{@code
 * {
 *   "name": "scopes",
 *   "base": {"dataset.name": "mnist-10k", "model.name": "lenet-300-100", "controls": ["reinit"]},
 *   "axes": {"pruning.scope": ["layerwise", "global"], "training.seed": [1, 2]},
 *   "runs": [{"pruning.rounds": 2}, {"pruning.rounds": 4, "pruning.fraction": 0.5}]
 * }
 * }</pre>
 *
 * <p>Without {@code runs}, the study is the product of its axes, each combination on top of the
 * base, in file order with the last axis varying fastest. With {@code runs}, it is every listed run
 * on top of the base, each multiplied by the axes (runs outer, axes inner); a run may not set a field
 * that is also an axis. Without axes either, it is the base alone. Runs with the same hash (one
 * folder) collapse into the first, with the control arms of all of them.
 *
 * <p>An optional {@code baseline} names one variant by values of the varied fields, such as
 * {@code "baseline": {"pruning.schedule": "iterative", "pruning.method": "magnitude"}}: every row of
 * the summary is then also compared with that variant's ticket in the same round, paired by seed
 * (the {@code arm_minus_baseline_*} columns), so a study of methods says which come within the
 * baseline's interval. It must match exactly one variant.
 *
 * <pre>{@code
 * StudySpec spec = StudySpec.read(Path.of("lottery-examples/studies/quick.json"));
 * for (StudyRun run : spec.runs()) {
 *     System.out.println(run.hparams().folderName() + " " + run.varied());
 * }
 * }</pre>
 */
public final class StudySpec {

    /**
     * The most runs a study may expand to unless the caller allows more ({@link #parse(String, Path, long)}):
     * 10,000 experiments are days of training on one machine, and a typing error in an axis
     * ({@code [1, 2, ... 400]} where 4 values were meant) should be a message, not a silent minute
     * of expansion followed by months of work.
     */
    public static final long DEFAULT_MAX_RUNS = 10_000;

    /** The largest study file read: a study is a few kilobytes of JSON. */
    public static final long MAX_FILE_BYTES = 1 << 20;

    private static final List<String> SECTIONS = List.of("name", "base", "axes", "runs", "baseline");

    private final Path file;
    private final String name;
    private final Map<String, String> base;
    private final Map<String, List<String>> axes;
    private final List<Map<String, String>> explicitRuns;
    private final List<String> variedKeys;
    private final Map<String, String> baseline;
    private final List<StudyRun> runs;

    private StudySpec(Path file, String name, Map<String, String> base, Map<String, List<String>> axes,
            List<Map<String, String>> explicitRuns, Map<String, String> baseline, long maxRuns) throws StudySpecException {
        this.file = file;
        this.name = name;
        this.base = Collections.unmodifiableMap(base);
        this.axes = Collections.unmodifiableMap(axes);
        this.explicitRuns = explicitRuns == null ? null : List.copyOf(explicitRuns);
        Set<String> varied = new LinkedHashSet<>(axes.keySet());
        if (explicitRuns != null) {
            explicitRuns.forEach(r -> varied.addAll(r.keySet()));
        }
        this.variedKeys = List.copyOf(varied);
        this.baseline = Collections.unmodifiableMap(baseline);
        for (String k : baseline.keySet()) {
            if (!varied.contains(k) || k.equals(StudyRun.SEED)) {
                throw new StudySpecException(file, "$.baseline[\"" + k + "\"]", "is not a field the study varies (other "
                        + "than the seed); the baseline names one variant by values of " + variedKeys.stream()
                        .filter(v -> !v.equals(StudyRun.SEED)).toList());
            }
        }
        long combinations = combinations(axes, explicitRuns);
        if (combinations > maxRuns) {
            throw new StudySpecException(file, "$", "expands to " + (combinations == Long.MAX_VALUE ? "more than "
                    + Long.MAX_VALUE : String.format(java.util.Locale.ROOT, "%,d", combinations)) + " runs ("
                    + describe(axes, explicitRuns) + "), more than the limit of "
                    + String.format(java.util.Locale.ROOT, "%,d", maxRuns)
                    + "; check the axes, or allow more (study run --max-runs N)");
        }
        this.runs = expand();
        if (!baseline.isEmpty()) {
            long variants = runs.stream().filter(StudyRun::baseline).map(StudyRun::variant).distinct().count();
            if (variants != 1) {
                throw new StudySpecException(file, "$.baseline", variants == 0 ? "matches no run of the study"
                        : "matches " + variants + " variants; give a value for each of " + variedKeys.stream()
                                .filter(v -> !v.equals(StudyRun.SEED)).toList());
            }
        }
    }

    /**
     * Reads and validates a study file of at most {@value #MAX_FILE_BYTES} bytes that expands to at
     * most {@value #DEFAULT_MAX_RUNS} runs, expanding it into its runs.
     *
     * @throws StudySpecException naming the file and the problem, as {@link #parse(String, Path, long)}
     *     does, also when the path is a folder or the file is not UTF-8 text
     * @throws IOException if it cannot be read
     */
    public static StudySpec read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_RUNS);
    }

    /** As {@link #read(Path)}, allowing up to {@code maxRuns} runs. */
    public static StudySpec read(Path file, long maxRuns) throws IOException {
        return parse(text(file), file, maxRuns);
    }

    /**
     * The text of a study file, checked to be a file of at most {@value #MAX_FILE_BYTES} bytes of
     * UTF-8: what {@link #read} parses, for a caller that keeps a copy.
     *
     * @throws StudySpecException naming the file if it is a folder, too large, or not UTF-8
     * @throws IOException if it cannot be read
     */
    public static String text(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new StudySpecException(file, "$", "is a folder, not a study file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new StudySpecException(file, "$", String.format(java.util.Locale.ROOT,
                    "has %,d bytes; a study file has at most %,d (a study is a few kilobytes of JSON)", size, MAX_FILE_BYTES));
        }
        try {
            return Utf8.decode(Files.readAllBytes(file));
        } catch (CharacterCodingException e) {
            throw new StudySpecException(file, "$", "is not UTF-8 text", e);
        }
    }

    /**
     * Parses and validates a study's JSON text, expanding it into at most {@value #DEFAULT_MAX_RUNS} runs.
     *
     * @param file the file the text came from, named in errors
     * @throws StudySpecException naming the file, the JSON path of the first bad field and what is allowed
     */
    public static StudySpec parse(String json, Path file) throws StudySpecException {
        return parse(json, file, DEFAULT_MAX_RUNS);
    }

    /**
     * Parses and validates a study's JSON text, expanding it into its runs; one that expands to more
     * than {@code maxRuns} is refused, before it is expanded, with how many it would be.
     *
     * @param file the file the text came from, named in errors
     * @throws StudySpecException naming the file, the JSON path of the first bad field and what is allowed
     */
    public static StudySpec parse(String json, Path file, long maxRuns) throws StudySpecException {
        JsonNode root;
        try {
            root = Json.reader().readTree(json); // duplicate keys and anything after the study are refused
        } catch (JsonProcessingException e) {
            // a size limit's error (a nesting or string Jackson will not read) has no location
            JsonLocation at = e.getLocation();
            throw new StudySpecException(file, "$", "not valid JSON" + (at == null || at.getLineNr() < 1 ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new StudySpecException(file, "$", "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new StudySpecException(file, "$", "is empty; a study is a JSON object with " + String.join(", ", SECTIONS));
        }
        return new TreeReader(file, maxRuns).study(root);
    }

    /** How many runs the axes and explicit runs make before runs of one hash collapse; Long.MAX_VALUE past it. */
    private static long combinations(Map<String, List<String>> axes, List<Map<String, String>> explicitRuns) {
        long n = explicitRuns == null ? 1 : explicitRuns.size();
        for (List<String> values : axes.values()) {
            n = values.size() > 0 && n > Long.MAX_VALUE / values.size() ? Long.MAX_VALUE : n * values.size();
        }
        return n;
    }

    private static String describe(Map<String, List<String>> axes, List<Map<String, String>> explicitRuns) {
        List<String> parts = new ArrayList<>();
        if (explicitRuns != null) {
            parts.add(explicitRuns.size() + " listed runs");
        }
        axes.forEach((k, v) -> parts.add(k + " x" + v.size()));
        return parts.isEmpty() ? "the base alone" : String.join(", ", parts);
    }

    /**
     * How the study expands, for a first line: its runs, and what they come from, such as
     * {@code 4 runs (pruning.scope x2, training.seed x2)}.
     */
    public String summary() {
        long combinations = combinations(axes, explicitRuns);
        return String.format(java.util.Locale.ROOT, "%,d run%s (%s%s)", runs.size(), runs.size() == 1 ? "" : "s",
                describe(axes, explicitRuns), combinations == runs.size() ? ""
                        : String.format(java.util.Locale.ROOT, "; %,d combinations, some of them the same experiment",
                                combinations));
    }

    /** The file the study was read from. */
    public Path file() {
        return file;
    }

    /** The study's name. */
    public String name() {
        return name;
    }

    /** The base experiment's fields as given, {@code section.field -> text}; the rest take defaults. */
    public Map<String, String> base() {
        return base;
    }

    /** Each axis' field and its values as text, in file order. */
    public Map<String, List<String>> axes() {
        return axes;
    }

    /** The explicit runs' overrides in file order; empty for a grid of the axes alone (a file may not list none). */
    public List<Map<String, String>> explicitRuns() {
        return explicitRuns == null ? List.of() : explicitRuns;
    }

    /** The fields the study varies: the axes, then those the explicit runs set, in file order. */
    public List<String> variedKeys() {
        return variedKeys;
    }

    /**
     * The baseline's fields as canonical text ({@code section.field -> text}), such as
     * {@code {pruning.schedule=iterative, pruning.method=magnitude}}; empty without one.
     */
    public Map<String, String> baseline() {
        return baseline;
    }

    /** The study's experiments, in expansion order, one per folder. */
    public List<StudyRun> runs() {
        return runs;
    }

    private List<StudyRun> expand() throws StudySpecException {
        List<Map<String, String>> outer = explicitRuns == null ? List.of(Map.of()) : explicitRuns;
        Map<String, ExperimentHparams> byHash = new LinkedHashMap<>();
        for (int r = 0; r < outer.size(); r++) {
            for (Map<String, String> combination : product()) {
                Map<String, String> fields = new LinkedHashMap<>(base);
                fields.putAll(outer.get(r));
                fields.putAll(combination);
                ExperimentHparams hp;
                try {
                    hp = ExperimentHparams.fromFields(fields);
                } catch (IllegalArgumentException e) {
                    // every value was checked on its own: what is left is a required field nobody set
                    throw new StudySpecException(file, explicitRuns == null ? "$.base" : "$.runs[" + r + "]",
                            e.getMessage(), e);
                }
                byHash.merge(hp.hash(), hp, (first, again) -> first.withControls(union(first, again)));
            }
        }
        return byHash.values().stream().map(hp -> {
            Map<String, String> all = hp.fields();
            Map<String, String> varied = new LinkedHashMap<>();
            variedKeys.forEach(k -> varied.put(k, all.get(k)));
            boolean isBaseline = !baseline.isEmpty()
                    && baseline.entrySet().stream().allMatch(e -> e.getValue().equals(all.get(e.getKey())));
            return new StudyRun(hp, varied, isBaseline);
        }).toList();
    }

    private static List<ControlArm> union(ExperimentHparams a, ExperimentHparams b) {
        List<ControlArm> arms = new ArrayList<>(a.controls());
        arms.addAll(b.controls());
        return arms;
    }

    /** Every combination of the axes' values, the last axis fastest. */
    private List<Map<String, String>> product() {
        List<Map<String, String>> out = List.of(Map.of());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String value : axis.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), value);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** Reads the JSON tree, checking each field where it is so that errors can name its path. */
    private record TreeReader(Path file, long maxRuns) {

        StudySpec study(JsonNode root) throws StudySpecException {
            require(root.isObject(), "$", "expected an object with " + String.join(", ", SECTIONS) + ", got "
                    + kind(root));
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                require(SECTIONS.contains(field), "$." + field, "unknown field; a study has "
                        + String.join(", ", SECTIONS));
            }
            JsonNode nameNode = root.get("name");
            require(nameNode != null, "$.name", "missing; give the study a name");
            require(nameNode.isTextual() && !nameNode.asText().isBlank(), "$.name",
                    "expected a non-empty string, got " + kind(nameNode));
            JsonNode baseNode = root.get("base");
            require(baseNode != null, "$.base", "missing; give the base experiment as {\"section.field\": value}");
            Map<String, String> base = fields(baseNode, "$.base");

            Map<String, List<String>> axes = new LinkedHashMap<>();
            JsonNode axesNode = root.get("axes");
            if (axesNode != null) {
                require(axesNode.isObject(), "$.axes", "expected an object of \"section.field\": [values], got "
                        + kind(axesNode));
                for (Iterator<Map.Entry<String, JsonNode>> it = axesNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> axis = it.next();
                    String path = "$.axes" + key(axis.getKey());
                    checkKey(axis.getKey(), path);
                    JsonNode values = axis.getValue();
                    require(values.isArray(), path, "expected a list of values, got " + kind(values));
                    require(!values.isEmpty(), path, "empty; an axis needs at least one value");
                    List<String> texts = new ArrayList<>();
                    for (int i = 0; i < values.size(); i++) {
                        texts.add(value(axis.getKey(), values.get(i), path + "[" + i + "]"));
                    }
                    axes.put(axis.getKey(), List.copyOf(texts));
                }
            }

            List<Map<String, String>> runs = null;
            JsonNode runsNode = root.get("runs");
            if (runsNode != null) {
                require(runsNode.isArray(), "$.runs", "expected a list of {\"section.field\": value}, got "
                        + kind(runsNode));
                require(!runsNode.isEmpty(), "$.runs", "empty; list at least one run, or leave runs out");
                runs = new ArrayList<>();
                for (int i = 0; i < runsNode.size(); i++) {
                    Map<String, String> run = fields(runsNode.get(i), "$.runs[" + i + "]");
                    for (String k : run.keySet()) {
                        require(!axes.containsKey(k), "$.runs[" + i + "]" + key(k),
                                "is also an axis; vary it in one place");
                    }
                    runs.add(run);
                }
            }
            Map<String, String> baseline = new LinkedHashMap<>();
            JsonNode baselineNode = root.get("baseline");
            if (baselineNode != null) {
                fields(baselineNode, "$.baseline").forEach((k, v) -> baseline.put(k, canonical(k, v)));
            }
            return new StudySpec(file, nameNode.asText(), base, axes, runs, baseline, maxRuns);
        }

        /** An object of {@code section.field: value}, each checked. */
        private Map<String, String> fields(JsonNode node, String path) throws StudySpecException {
            require(node.isObject(), path, "expected an object of \"section.field\": value, got " + kind(node));
            Map<String, String> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String fieldPath = path + key(f.getKey());
                checkKey(f.getKey(), fieldPath);
                out.put(f.getKey(), value(f.getKey(), f.getValue(), fieldPath));
            }
            return out;
        }

        private void checkKey(String key, String path) throws StudySpecException {
            require(ExperimentHparams.fieldKeys().contains(key), path, "unknown field '" + key + "'; the fields are "
                    + String.join(", ", ExperimentHparams.fieldKeys()));
        }

        /** The canonical text of a value {@link #value} checked: as {@link ExperimentHparams#fields()} writes it. */
        private static String canonical(String key, String text) {
            return ExperimentHparams.fromFields(probe(key, text)).fields().get(key);
        }

        /**
         * Placeholders for the required fields, and one field set. A field whose checks read another
         * gets a value of that other which lets its own text be checked: a list of rounds to train
         * needs a schedule whose rounds stand alone and enough rounds, dynamic sparse training
         * pruning at initialization. The experiment as a whole is checked when the study expands.
         */
        private static Map<String, String> probe(String key, String text) {
            Map<String, String> probe = new LinkedHashMap<>();
            probe.put("dataset.name", "-");
            probe.put("model.name", "-");
            if (key.equals("pruning.onlyRounds") || key.equals("training.dynamic")) {
                probe.put("pruning.schedule", "at-init");
                probe.put("pruning.rounds", Integer.toString(Integer.MAX_VALUE));
            }
            probe.put(key, text);
            return probe;
        }

        /** A value's text, checked by building an experiment that sets it. */
        private String value(String key, JsonNode node, String path) throws StudySpecException {
            String text;
            if (key.equals("controls") && node.isArray()) {
                List<String> arms = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    JsonNode arm = node.get(i);
                    require(arm.isTextual(), path + "[" + i + "]", "expected a control arm's name, got " + kind(arm));
                    arms.add(arm.asText());
                }
                text = arms.isEmpty() ? "none" : String.join(",", arms);
            } else {
                require(node.isTextual() || node.isNumber(), path, "expected a string or a number"
                        + (key.equals("controls") ? " or a list of control arms" : "") + ", got " + kind(node));
                text = node.asText();
            }
            try {
                ExperimentHparams.fromFields(probe(key, text));
            } catch (IllegalArgumentException e) {
                throw new StudySpecException(file, path, e.getMessage(), e);
            }
            return text;
        }

        private void require(boolean ok, String path, String problem) throws StudySpecException {
            if (!ok) {
                throw new StudySpecException(file, path, problem);
            }
        }

        private static String key(String field) {
            return "[\"" + field.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        }

        private static String kind(JsonNode node) {
            return switch (node.getNodeType()) {
                case ARRAY -> "a list";
                case OBJECT -> "an object";
                case NUMBER -> "a number";
                case STRING -> "a string";
                case BOOLEAN -> "a boolean";
                case NULL, MISSING -> "null";
                default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }
}

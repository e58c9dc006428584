package org.lottery4j.study;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.lottery4j.io.Json;

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
 * <pre>{@code
 * StudySpec spec = StudySpec.read(Path.of("lottery-examples/studies/quick.json"));
 * for (StudyRun run : spec.runs()) {
 *     System.out.println(run.hparams().folderName() + " " + run.varied());
 * }
 * }</pre>
 */
public final class StudySpec {

    private static final List<String> SECTIONS = List.of("name", "base", "axes", "runs");

    private final Path file;
    private final String name;
    private final Map<String, String> base;
    private final Map<String, List<String>> axes;
    private final List<Map<String, String>> explicitRuns;
    private final List<String> variedKeys;
    private final List<StudyRun> runs;

    private StudySpec(Path file, String name, Map<String, String> base, Map<String, List<String>> axes,
            List<Map<String, String>> explicitRuns) throws StudySpecException {
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
        this.runs = expand();
    }

    /** Reads and validates a study file, expanding it into its runs. */
    public static StudySpec read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file);
    }

    /**
     * Parses and validates a study's JSON text, expanding it into its runs.
     *
     * @param file the file the text came from, named in errors
     * @throws StudySpecException naming the file, the JSON path of the first bad field and what is allowed
     */
    public static StudySpec parse(String json, Path file) throws StudySpecException {
        JsonNode root;
        try {
            root = Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(json);
        } catch (JsonProcessingException e) {
            throw new StudySpecException(file, "$", "not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new StudySpecException(file, "$", "cannot be read: " + e.getMessage(), e);
        }
        return new TreeReader(file).study(root);
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
            return new StudyRun(hp, varied);
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
    private record TreeReader(Path file) {

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
            return new StudySpec(file, nameNode.asText(), base, axes, runs);
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
            Map<String, String> probe = new LinkedHashMap<>();
            probe.put("dataset.name", "-"); // placeholders for the required fields
            probe.put("model.name", "-");
            probe.put(key, text);
            try {
                ExperimentHparams.fromFields(probe);
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

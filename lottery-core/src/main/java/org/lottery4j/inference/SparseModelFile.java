package org.lottery4j.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.export.SafetensorsFormatException;
import org.lottery4j.internal.SafetensorsWriter;
import org.lottery4j.io.Provenance;

/**
 * The sparse model file, version 3: safetensors whose {@code __metadata__} holds {@code format}
 * ({@code lottery4j-sparse-model}), {@code format_version} ({@code 3}), {@code provenance.*},
 * {@code manifest}, a JSON object: {@code input} (one example's shape) and {@code steps}, each with
 * its {@code kind}, {@code layer}, settings, and {@code tensors}: for each field the tensor's name;
 * and {@code sha256}, the safetensors writer's checksum over all of it, metadata (the manifest
 * included), header entries and data, which reading requires. Tensors are 1-D, named
 * {@code <step>/<layer>.<field>}:
 * <ul>
 *   <li>{@code linear}: {@code start} I32 [outputs + 1], {@code rows} U16 (input of each kept
 *       weight), {@code values} F32, {@code bias} F32 [outputs]; output {@code j}'s weights are
 *       {@code start[j]} to {@code start[j + 1] - 1}.
 *   <li>{@code conv}: {@code start} I32 [out channels + 1], {@code taps} I32 ({@code (c * kH + ky) * kW + kx}),
 *       {@code values} F32, {@code bias} F32; settings {@code kernel}, {@code stride},
 *       {@code dilation}, {@code padding} ({@code [top, left, bottom, right]} or {@code "same"}).
 *   <li>{@code maxpool}, {@code avgpool} ({@code count_padding}): the same window settings.
 *   <li>{@code batchnorm}: {@code scale}, {@code shift} F32 per channel.
 *   <li>{@code relu}, {@code leakyrelu} ({@code alpha}), {@code sigmoid}, {@code tanh},
 *       {@code softmax}; {@code reshape} ({@code shape}, or {@code flatten}); {@code scale} and
 *       {@code shift} ({@code value}: times or plus a constant).
 *   <li>{@code globalpool} ({@code type}: {@code avg}, {@code max} or {@code sum}; [channels, 1, 1]),
 *       {@code pad} ({@code padding} [top, left, bottom, right] of zeros), {@code slice}
 *       ({@code from}, {@code to}: channels or features {@code from} to {@code to - 1}).
 *   <li>Joins of several steps' values: {@code add}, {@code sub}, {@code mul}, {@code average},
 *       {@code max} (element by element), {@code concat} (along channels or features).
 * </ul>
 * A step reads the values of the step before it (the first, the input), or of the steps its
 * {@code reads} lists ({@code -1}: the input), all earlier; the last step's values are the
 * output. Version 3 adds {@code reads} and the kinds of the last two items to version 2, which
 * reads as it is.
 * Every number is checked against its range before any arithmetic, and the shapes are followed
 * through the steps with exact arithmetic: a file that does not add up is refused naming the step
 * and the field, never an {@code ArithmeticException} or an allocation it did not pay for in bytes.
 * Version 1 (per-tensor checksums, the manifest unprotected) is refused: make the model again from
 * its ticket.
 */
final class SparseModelFile {

    static final String FORMAT = "lottery4j-sparse-model";
    /** The longest layer name: tensor names repeat it, and a reader takes names of limited length. */
    static final int MAX_LAYER_NAME = 1024;

    /** The fields and tensors a step of each kind has. */
    private record Fields(Set<String> settings, Set<String> tensors) {
        Fields(List<String> settings, List<String> tensors) {
            this(Set.copyOf(concat(List.of("kind", "layer", "tensors", "reads"), settings)), Set.copyOf(tensors));
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
    }

    private static final List<String> WINDOW = List.of("kernel", "stride", "dilation", "padding");
    private static final Map<String, Fields> FIELDS = Map.ofEntries(
            Map.entry("linear", new Fields(List.of("inputs", "outputs"), List.of("start", "rows", "values", "bias"))),
            Map.entry("conv", new Fields(Fields.concat(List.of("inputs", "outputs"), WINDOW),
                    List.of("start", "taps", "values", "bias"))),
            Map.entry("maxpool", new Fields(WINDOW, List.of())),
            Map.entry("avgpool", new Fields(Fields.concat(WINDOW, List.of("count_padding")), List.of())),
            Map.entry("batchnorm", new Fields(List.of(), List.of("scale", "shift"))),
            Map.entry("relu", new Fields(List.of(), List.of())),
            Map.entry("sigmoid", new Fields(List.of(), List.of())),
            Map.entry("tanh", new Fields(List.of(), List.of())),
            Map.entry("leakyrelu", new Fields(List.of("alpha"), List.of())),
            Map.entry("softmax", new Fields(List.of(), List.of())),
            Map.entry("reshape", new Fields(List.of("shape", "flatten"), List.of())),
            Map.entry("scale", new Fields(List.of("value"), List.of())),
            Map.entry("shift", new Fields(List.of("value"), List.of())),
            Map.entry("globalpool", new Fields(List.of("type"), List.of())),
            Map.entry("pad", new Fields(List.of("padding"), List.of())),
            Map.entry("slice", new Fields(List.of("from", "to"), List.of())),
            Map.entry("add", new Fields(List.of(), List.of())),
            Map.entry("sub", new Fields(List.of(), List.of())),
            Map.entry("mul", new Fields(List.of(), List.of())),
            Map.entry("average", new Fields(List.of(), List.of())),
            Map.entry("max", new Fields(List.of(), List.of())),
            Map.entry("concat", new Fields(List.of(), List.of())));
    static final int VERSION = 3;
    /** Version 2 files (chains of the kinds before version 3) read as they are. */
    static final int OLDEST_READ = 2;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SparseModelFile() {}

    static void write(SparseModel model, Path file) throws IOException {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        List<Op> ops = model.ops();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.layer().length() > MAX_LAYER_NAME) {
                throw new IllegalArgumentException("layer '" + op.layer().substring(0, 40) + "...' has a name of "
                        + op.layer().length() + " characters; a sparse model file takes at most " + MAX_LAYER_NAME);
            }
            Map<String, Object> step = new TreeMap<>(op.attributes());
            step.put("kind", op.kind());
            step.put("layer", op.layer());
            int[] reads = model.reads().get(i);
            if (reads.length != 1 || reads[0] != i - 1) { // a step of a chain reads the one before it
                step.put("reads", reads);
            }
            Map<String, Object> names = new TreeMap<>();
            for (Map.Entry<String, Object> t : new TreeMap<>(op.tensors()).entrySet()) {
                String name = i + "/" + op.layer() + "." + t.getKey();
                byte[] bytes = bytes(t.getValue());
                String dtype = t.getValue() instanceof float[] ? "F32" : t.getValue() instanceof int[] ? "I32" : "U16";
                long count = bytes.length / (dtype.equals("U16") ? 2 : 4);
                tensors.add(new SafetensorsWriter.Tensor(name, dtype, new long[] {count}, bytes.length,
                        out -> out.write(bytes)));
                names.put(t.getKey(), name);
            }
            step.put("tensors", names);
            steps.add(step);
        }
        Map<String, Object> manifest = new TreeMap<>();
        manifest.put("input", model.inputShape());
        manifest.put("steps", steps);
        Map<String, String> meta = new TreeMap<>();
        Provenance.current().forEach((k, v) -> meta.put("provenance." + k, v));
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(VERSION));
        meta.put("manifest", json(manifest));
        SafetensorsWriter.write(file, meta, tensors);
    }

    static SparseModel read(Path file) throws IOException {
        SafetensorsFile f;
        try {
            f = SafetensorsFile.read(file);
        } catch (SafetensorsFormatException e) {
            throw new SparseModelFormatException(file, e.problem(), e);
        }
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new SparseModelFormatException(file, "not a sparse model file: format is "
                    + (meta.containsKey("format") ? "'" + meta.get("format") + "'" : "missing")
                    + ", expected '" + FORMAT + "' (SparseModel.save writes it)");
        }
        String version = meta.get("format_version");
        if (!Integer.toString(VERSION).equals(version) && !Integer.toString(OLDEST_READ).equals(version)) {
            boolean number = version != null && version.matches("[0-9]{1,9}");
            throw new SparseModelFormatException(file, "format_version " + version + " is not supported; this lottery4j"
                    + " reads versions " + OLDEST_READ + " to " + VERSION + (number && Integer.parseInt(version) > VERSION
                    ? " (written by a newer lottery4j)" : number && Integer.parseInt(version) == 1
                    ? " (version 1 did not checksum its manifest): make the model again from its ticket, "
                            + "SparseModel.of(ticket).save(file)" : ""));
        }
        if (!f.checksummed()) {
            throw new SparseModelFormatException(file, "has no sha256 in its metadata: damaged, or not written by "
                    + "SparseModel.save");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(meta.getOrDefault("manifest", ""));
        } catch (JsonProcessingException e) {
            throw new SparseModelFormatException(file, "manifest is not JSON: " + e.getOriginalMessage(), e);
        }
        if (manifest == null || !manifest.isObject() || manifest.size() != 2 || !manifest.path("input").isArray()
                || !manifest.path("steps").isArray()) {
            throw new SparseModelFormatException(file, "manifest needs an 'input' shape and a 'steps' list, and nothing else");
        }
        Reader reader = new Reader(file, f);
        int[] input = reader.ints(manifest, "input", "manifest", 1);
        long features = 1;
        for (int d : input) {
            features *= d; // each factor is at most 2^31 - 1: the product of two fits a long
            if (features > Integer.MAX_VALUE) {
                throw new SparseModelFormatException(file, "manifest: 'input' " + manifest.get("input")
                        + " has more than " + Integer.MAX_VALUE + " values per example");
            }
        }
        List<Op> ops = new ArrayList<>();
        List<int[]> reads = new ArrayList<>();
        JsonNode steps = manifest.get("steps");
        for (int i = 0; i < steps.size(); i++) {
            ops.add(reader.step(i, steps.get(i)));
            reads.add(reader.reads(i, steps.get(i)));
        }
        Set<String> extra = new HashSet<>(f.tensors().keySet());
        extra.removeAll(reader.used);
        if (!extra.isEmpty()) {
            throw new SparseModelFormatException(file, "tensors " + new TreeMap<>(f.tensors()).keySet().stream()
                    .filter(extra::contains).toList() + " belong to no step of the manifest");
        }
        try {
            return new SparseModel(input, ops, reads, null);
        } catch (IllegalArgumentException e) {
            throw new SparseModelFormatException(file, "the steps do not fit together: " + e.getMessage(), e);
        }
    }

    /** Reads one step at a time, checking each tensor's type and checksum. */
    private static final class Reader {
        private final Path file;
        private final SafetensorsFile f;
        private final Set<String> used = new HashSet<>();
        private String where = "manifest";

        Reader(Path file, SafetensorsFile f) {
            this.file = file;
            this.f = f;
        }

        Op step(int index, JsonNode step) throws SparseModelFormatException {
            String kind = step.path("kind").asText("");
            String layer = step.path("layer").asText("");
            where = "step " + index + " (" + (kind.isEmpty() ? "no kind" : kind) + ", layer '" + layer + "')";
            if (!step.path("kind").isTextual() || !step.path("layer").isTextual()) {
                throw fail("needs a 'kind' and a 'layer'");
            }
            if (layer.length() > MAX_LAYER_NAME) {
                throw fail("a layer name has at most " + MAX_LAYER_NAME + " characters, this one " + layer.length());
            }
            JsonNode tensors = step.path("tensors");
            Fields fields = FIELDS.get(kind);
            if (fields != null) {
                // what the file says, all of it: a field this version does not know means damage or another format
                only(step, fields.settings(), "fields");
                if (!tensors.isObject()) {
                    throw fail("'tensors' must be an object of tensor names, got " + tensors);
                }
                only(tensors, fields.tensors(), "tensors");
            }
            try {
                return switch (kind) {
                    case "linear" -> {
                        int nIn = integer(step, "inputs", 1);
                        int nOut = integer(step, "outputs", 1);
                        yield new LinearOp(layer, new SparseLinear(nIn, nOut, (int[]) tensor(tensors, "start", "I32"),
                                (char[]) tensor(tensors, "rows", "U16"), (float[]) tensor(tensors, "values", "F32"),
                                (float[]) tensor(tensors, "bias", "F32")));
                    }
                    case "conv" -> new ConvOp(layer, integer(step, "inputs", 1), integer(step, "outputs", 1), window(step),
                            (int[]) tensor(tensors, "start", "I32"), (int[]) tensor(tensors, "taps", "I32"),
                            (float[]) tensor(tensors, "values", "F32"), (float[]) tensor(tensors, "bias", "F32"));
                    case "maxpool" -> new PoolOp(layer, true, window(step), false);
                    case "avgpool" -> new PoolOp(layer, false, window(step), bool(step, "count_padding"));
                    case "batchnorm" -> new ChannelAffine(layer, (float[]) tensor(tensors, "scale", "F32"),
                            (float[]) tensor(tensors, "shift", "F32"));
                    case "relu" -> new Pointwise(layer, Pointwise.Function.RELU, 0f);
                    case "sigmoid" -> new Pointwise(layer, Pointwise.Function.SIGMOID, 0f);
                    case "tanh" -> new Pointwise(layer, Pointwise.Function.TANH, 0f);
                    case "leakyrelu" -> new Pointwise(layer, Pointwise.Function.LEAKYRELU, real(step, "alpha"));
                    case "softmax" -> new Softmax(layer);
                    case "reshape" -> {
                        boolean flatten = step.path("flatten").isBoolean() && step.get("flatten").booleanValue();
                        if (step.has("flatten") != flatten || flatten == step.has("shape")) {
                            throw fail("a reshape has either 'shape' or \"flatten\": true, got " + step);
                        }
                        yield flatten ? Reshape.flatten(layer) : new Reshape(layer, ints(step, "shape", where, 1));
                    }
                    case "scale" -> new Pointwise(layer, Pointwise.Function.SCALE, real(step, "value"));
                    case "shift" -> new Pointwise(layer, Pointwise.Function.SHIFT, real(step, "value"));
                    case "globalpool" -> new GlobalPool(layer, poolType(step));
                    case "pad" -> new Pad(layer, ints(step, "padding", where, 0));
                    case "slice" -> new Slice(layer, integer(step, "from", 0), integer(step, "to", 1));
                    case "add", "sub", "mul", "average", "max", "concat" -> new Merge(layer, Merge.Kind.of(kind));
                    default -> throw fail("unknown kind '" + kind + "' (known: " + new TreeSet<>(FIELDS.keySet()) + ")");
                };
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }

        /** The steps a step reads: {@code reads}, or the step before it (the input, for the first). */
        int[] reads(int index, JsonNode step) throws SparseModelFormatException {
            if (!step.has("reads")) {
                return new int[] {index - 1};
            }
            int[] r = ints(step, "reads", where, SparseModel.INPUT);
            for (int j : r) {
                if (j >= index) {
                    throw fail("'reads' lists step " + j + ", which is not an earlier step");
                }
            }
            return r;
        }

        private void only(JsonNode node, Set<String> allowed, String what) throws SparseModelFormatException {
            for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name)) {
                    throw fail("has " + (what.equals("fields") ? "the field" : "a tensor for") + " '" + name
                            + "', which a step of this kind does not have (its " + what + ": " + new TreeSet<>(allowed) + ")");
                }
            }
        }

        private Object tensor(JsonNode tensors, String field, String dtype) throws SparseModelFormatException {
            JsonNode t = tensors.path(field);
            if (!t.isTextual()) {
                throw fail("lists no tensor name for '" + field + "'");
            }
            String name = t.textValue();
            if (!f.tensors().containsKey(name)) {
                throw fail("needs tensor '" + name + "', which the file does not have");
            }
            SafetensorsFile.Entry e = f.tensor(name);
            if (!e.dtype().equals(dtype) || e.shape().length != 1) {
                throw fail("tensor '" + name + "' is " + e + ", expected a 1-D " + dtype);
            }
            if (!used.add(name)) {
                throw fail("tensor '" + name + "' belongs to another step or field too");
            }
            return switch (dtype) {
                case "F32" -> f.floats(name);
                case "I32" -> f.ints(name);
                default -> f.chars(name);
            };
        }

        private GlobalPool.Type poolType(JsonNode step) throws SparseModelFormatException {
            for (GlobalPool.Type t : GlobalPool.Type.values()) {
                if (t.setting().equals(step.path("type").textValue())) {
                    return t;
                }
            }
            throw fail("'type' must be \"avg\", \"max\" or \"sum\", got " + step.path("type"));
        }

        private Window window(JsonNode step) throws SparseModelFormatException {
            JsonNode padding = step.path("padding");
            boolean same = padding.isTextual() && padding.asText().equals("same");
            if (!same && !padding.isArray()) {
                throw fail("'padding' must be [top, left, bottom, right] or \"same\", got " + padding);
            }
            return new Window(ints(step, "kernel", where, 1), ints(step, "stride", where, 1),
                    ints(step, "dilation", where, 1), same ? new int[0] : ints(step, "padding", where, 0), same);
        }

        /** A list of integers from {@code min} to 2^31 - 1. */
        int[] ints(JsonNode node, String field, String context, int min) throws SparseModelFormatException {
            JsonNode a = node.path(field);
            boolean ok = a.isArray();
            int[] out = new int[ok ? a.size() : 0];
            for (int i = 0; ok && i < out.length; i++) {
                ok = a.get(i).isIntegralNumber() && a.get(i).canConvertToInt() && a.get(i).intValue() >= min;
                out[i] = a.get(i).intValue();
            }
            if (!ok) {
                throw new SparseModelFormatException(file, context + ": '" + field + "' must be a list of integers from "
                        + min + " to " + Integer.MAX_VALUE + ", got " + a);
            }
            return out;
        }

        private int integer(JsonNode step, String field, int min) throws SparseModelFormatException {
            JsonNode n = step.path(field);
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min) {
                throw fail("'" + field + "' must be an integer from " + min + " to " + Integer.MAX_VALUE + ", got " + n);
            }
            return n.intValue();
        }

        private float real(JsonNode step, String field) throws SparseModelFormatException {
            JsonNode n = step.path(field);
            if (!n.isNumber() || !Float.isFinite(n.floatValue())) {
                throw fail("'" + field + "' must be a finite number, got " + n);
            }
            return n.floatValue();
        }

        private boolean bool(JsonNode step, String field) throws SparseModelFormatException {
            JsonNode n = step.path(field);
            if (!n.isBoolean()) {
                throw fail("'" + field + "' must be true or false, got " + n);
            }
            return n.booleanValue();
        }

        private SparseModelFormatException fail(String problem) {
            return new SparseModelFormatException(file, where + ": " + problem);
        }
    }

    private static byte[] bytes(Object array) {
        ByteBuffer buf;
        if (array instanceof float[] a) {
            buf = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(a);
        } else if (array instanceof int[] a) {
            buf = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asIntBuffer().put(a);
        } else {
            char[] a = (char[]) array;
            buf = ByteBuffer.allocate(2 * a.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asCharBuffer().put(a);
        }
        return buf.array();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

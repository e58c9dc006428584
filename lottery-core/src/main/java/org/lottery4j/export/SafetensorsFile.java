package org.lottery4j.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.lottery4j.internal.SafetensorsChecksum;
import org.lottery4j.internal.SafetensorsWriter;
import org.lottery4j.internal.Utf8;
import org.lottery4j.sparsity.Compressed24;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.sparsity.TorchLayout;

/**
 * A safetensors file read back: its metadata, and each tensor's type, shape and values. Every part
 * of the header is checked on {@link #read}: an 8-byte little-endian header length, a JSON object
 * without duplicate keys or anything after it, known data types, shapes and offsets within what a
 * file can hold, and tensor data that exactly tiles the rest of the file. A file that lottery4j wrote
 * carries a SHA-256 over its metadata, header entries and data ({@code sha256} in
 * {@code __metadata__}, {@link SafetensorsChecksum}), checked on every read; {@link #readChecked}
 * also refuses a file without one, which is how to read a file that should be lottery4j's (damage to
 * the checksum's own key would otherwise make it look like anyone's file).
 *
 * <pre>{@code
 * SafetensorsFile f = SafetensorsFile.read(Path.of("model.safetensors"));   // any safetensors file
 * SafetensorsFile mine = SafetensorsFile.readChecked(Path.of("out/weights.safetensors"));  // lottery4j's
 * f.metadata().get("sparsity_pattern");          // "2:4"
 * float[] w = f.floats("dense0.weight");          // [out, in], F16 and BF16 widened exactly
 * NmReport r = f.checkPattern();                   // every Linear/Conv weight is 2:4: r.satisfied()
 * f.checkPattern().requireSatisfied();             // or an NmPatternException naming the weights
 * float[] conv = f.decompress("conv.weight");      // a weight written with compressed24()
 * }</pre>
 */
public final class SafetensorsFile {

    /**
     * One tensor's header entry.
     *
     * @param dtype safetensors type name, such as {@code F32}, {@code BF16} or {@code U16}
     * @param shape dimensions
     * @param begin first byte in the data section (after the header)
     * @param end one past the last byte
     */
    public record Entry(String dtype, long[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && dtype.equals(e.dtype) && Arrays.equals(shape, e.shape)
                    && begin == e.begin && end == e.end;
        }

        @Override
        public int hashCode() {
            return Objects.hash(dtype, Arrays.hashCode(shape), begin, end);
        }

        @Override
        public String toString() {
            return dtype + Arrays.toString(shape) + "@" + begin + ".." + end;
        }
    }

    static final String METADATA = SafetensorsWriter.METADATA;
    // safetensors' types and their sizes in bytes
    private static final Map<String, Integer> SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
            Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));
    private static final long MAX_HEADER = 100L << 20; // as the reference implementation
    // strict: two parsers that keep different duplicates, or stop at different ends, read two files
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;
    private final ByteBuffer data;
    private final boolean checksummed;

    private SafetensorsFile(Path file, Map<String, String> metadata, Map<String, Entry> entries, ByteBuffer data,
            boolean checksummed) {
        this.file = file;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.entries = Collections.unmodifiableMap(entries);
        this.data = data;
        this.checksummed = checksummed;
    }

    /**
     * Reads a file that lottery4j wrote ({@link SafetensorsExporter}, {@link SafetensorsWriter}):
     * as {@link #read}, and its {@code sha256} must be there.
     *
     * @throws SafetensorsFormatException naming the file when it is not valid safetensors, has no
     *     checksum, or its checksum does not match (damaged or changed)
     */
    public static SafetensorsFile readChecked(Path file) throws IOException {
        SafetensorsFile f = read(file);
        if (!f.checksummed) {
            throw new SafetensorsFormatException(file, "has no " + SafetensorsChecksum.KEY + " in its metadata: it is not "
                    + "a file lottery4j wrote, or the entry was damaged");
        }
        return f;
    }

    /**
     * Reads and checks a safetensors file (memory-mapped; files up to 2 GiB), and its checksum when
     * it has one.
     *
     * @throws SafetensorsFormatException naming the file and the problem when it is not valid
     *     safetensors or its checksum does not match
     */
    public static SafetensorsFile read(Path file) throws IOException {
        ByteBuffer all;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new SafetensorsFormatException(file, "files over 2 GiB are not supported (" + size + " bytes)");
            }
            all = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (all.capacity() < 8) {
            throw new SafetensorsFormatException(file, "not a safetensors file: " + all.capacity()
                    + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = all.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > all.capacity() - 8) {
            throw new SafetensorsFormatException(file, "not a safetensors file: header length " + headerLength
                    + " (first 8 bytes, little-endian) does not fit the file's " + all.capacity() + " bytes");
        }
        byte[] header = new byte[(int) headerLength];
        all.get(8, header);
        JsonNode root;
        try {
            // strict UTF-8, as safetensors requires: malformed bytes are an error, never a U+FFFD
            root = MAPPER.readTree(Utf8.decode(header));
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file, "not a safetensors file: the header is not UTF-8 text", e);
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, "not a safetensors file: the header is not JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file, "not a safetensors file: the header is not a JSON object");
        }
        ByteBuffer data = all.slice(8 + (int) headerLength, all.capacity() - 8 - (int) headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        Map<String, String> metadata = new TreeMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                entries.put(e.getKey(), readEntry(file, e.getKey(), e.getValue()));
            }
        }
        checkTiling(file, entries, data.capacity());
        boolean checksummed = metadata.containsKey(SafetensorsChecksum.KEY);
        if (checksummed) {
            checkChecksum(file, metadata, entries, data);
        }
        return new SafetensorsFile(file, metadata, entries, data, checksummed);
    }

    private static void checkChecksum(Path file, Map<String, String> metadata, Map<String, Entry> entries,
            ByteBuffer data) throws SafetensorsFormatException {
        SafetensorsChecksum sum = new SafetensorsChecksum(metadata);
        byte[] chunk = new byte[1 << 16];
        for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
            Entry t = e.getValue();
            java.io.OutputStream out = sum.tensor(e.getKey(), t.dtype(), t.shape, t.begin(), t.end());
            try {
                for (long at = t.begin(); at < t.end(); at += chunk.length) {
                    int n = (int) Math.min(chunk.length, t.end() - at);
                    data.get((int) at, chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        String actual = sum.hex();
        String recorded = metadata.get(SafetensorsChecksum.KEY);
        if (!actual.equals(recorded)) {
            throw new SafetensorsFormatException(file, "the file was damaged or changed: its SHA-256 over metadata, header "
                    + "and data is " + actual + ", its metadata says " + recorded);
        }
    }

    /**
     * Whether the file carried a checksum ({@code sha256} in its metadata), which matched: true for
     * every file lottery4j writes.
     */
    public boolean checksummed() {
        return checksummed;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, METADATA + " is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, METADATA + " value of '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode node) throws SafetensorsFormatException {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw new SafetensorsFormatException(file, "tensor '" + name
                    + "' needs a dtype string, a shape array and two data_offsets, got " + node);
        }
        Integer size = SIZES.get(dtype.textValue());
        if (size == null) {
            throw new SafetensorsFormatException(file, "tensor '" + name + "' has unknown dtype '" + dtype.textValue()
                    + "'; known: " + new TreeMap<>(SIZES).keySet());
        }
        long[] dims = new long[shape.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new SafetensorsFormatException(file, "tensor '" + name + "' has a bad shape " + shape
                        + ": dimensions are integers from 0 to " + Long.MAX_VALUE);
            }
            dims[i] = d.longValue();
        }
        long bytes;
        try {
            for (long d : dims) {
                count = Math.multiplyExact(count, d);
            }
            bytes = Math.multiplyExact(count, (long) size);
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(file, "tensor '" + name + "' of shape " + shape
                    + " has more values than a file can hold");
        }
        JsonNode first = offsets.get(0);
        JsonNode last = offsets.get(1);
        if (!first.isIntegralNumber() || !last.isIntegralNumber() || !first.canConvertToLong()
                || !last.canConvertToLong() || first.longValue() < 0 || last.longValue() < first.longValue()) {
            throw new SafetensorsFormatException(file, "tensor '" + name + "' has bad data_offsets " + offsets
                    + ": two integers from 0 to " + Long.MAX_VALUE + ", the second not below the first");
        }
        long begin = first.longValue();
        long end = last.longValue();
        if (end - begin != bytes) {
            throw new SafetensorsFormatException(file, "tensor '" + name + "' of " + dtype.textValue()
                    + Arrays.toString(dims) + " needs " + bytes + " bytes, its data_offsets " + offsets
                    + " give " + (end - begin));
        }
        return new Entry(dtype.textValue(), dims, begin, end);
    }

    // The data section must be exactly the tensors, back to back, as the reference reader requires.
    private static void checkTiling(Path file, Map<String, Entry> entries, long dataSize)
            throws SafetensorsFormatException {
        List<Map.Entry<String, Entry>> byOffset = new ArrayList<>(entries.entrySet());
        byOffset.sort(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        long next = 0;
        for (Map.Entry<String, Entry> e : byOffset) {
            if (e.getValue().begin() != next) {
                throw new SafetensorsFormatException(file, "tensor '" + e.getKey() + "' starts at byte "
                        + e.getValue().begin() + " of the data, expected " + next + " (tensors must be back to back)");
            }
            next = e.getValue().end();
        }
        if (next != dataSize) {
            throw new SafetensorsFormatException(file, "the tensors cover " + next + " bytes but the data section has "
                    + dataSize + " (truncated or trailing bytes)");
        }
    }

    /** The file that was read. */
    public Path file() {
        return file;
    }

    /** The {@code __metadata__} string map (empty when there is none), sorted by key. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor's header entry, in header order. */
    public Map<String, Entry> tensors() {
        return entries;
    }

    /** One tensor's header entry. */
    public Entry tensor(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + " has no tensor '" + name + "'; it has " + entries.keySet());
        }
        return e;
    }

    /** A copy of a tensor's bytes, as stored (little-endian). */
    public byte[] bytes(String name) {
        Entry e = tensor(name);
        byte[] out = new byte[(int) (e.end() - e.begin())];
        data.get((int) e.begin(), out);
        return out;
    }

    /**
     * A tensor's values as floats, in C order: F32 as stored, F16 and BF16 widened exactly.
     *
     * @throws IllegalArgumentException for other types, naming the tensor and its type
     */
    public float[] floats(String name) {
        Entry e = tensor(name);
        FloatType type = FloatType.ofName(e.dtype());
        if (type == null) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + e.dtype()
                    + ", not F32, F16 or BF16");
        }
        int n = (int) ((e.end() - e.begin()) / type.bytes());
        float[] out = new float[n];
        int at = (int) e.begin();
        switch (type) {
            case F32 -> data.slice(at, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = FloatType.fromF16(data.getShort(at + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = FloatType.fromBf16(data.getShort(at + 2 * i));
                }
            }
        }
        return out;
    }

    /**
     * An I32 tensor's values.
     *
     * @throws IllegalArgumentException for other types, naming the tensor and its type
     */
    public int[] ints(String name) {
        Entry e = requireType(name, "I32");
        int[] out = new int[(int) ((e.end() - e.begin()) / 4)];
        data.slice((int) e.begin(), out.length * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /**
     * A U16 tensor's values as {@code char}s, Java's unsigned 16-bit type.
     *
     * @throws IllegalArgumentException for other types, naming the tensor and its type
     */
    public char[] chars(String name) {
        Entry e = requireType(name, "U16");
        char[] out = new char[(int) ((e.end() - e.begin()) / 2)];
        data.slice((int) e.begin(), out.length * 2).order(ByteOrder.LITTLE_ENDIAN).asCharBuffer().get(out);
        return out;
    }

    private Entry requireType(String name, String dtype) {
        Entry e = tensor(name);
        if (!e.dtype().equals(dtype)) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + e.dtype() + ", not " + dtype);
        }
        return e;
    }

    /**
     * A U16 tensor's values, such as the index words of a compressed 2:4 weight.
     *
     * @throws IllegalArgumentException for other types
     */
    public short[] shorts(String name) {
        Entry e = tensor(name);
        if (!e.dtype().equals("U16") && !e.dtype().equals("I16")) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + e.dtype() + ", not U16");
        }
        short[] out = new short[(int) ((e.end() - e.begin()) / 2)];
        data.slice((int) e.begin(), out.length * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    /**
     * Checks the pattern that the file's metadata records ({@code sparsity_pattern}).
     *
     * @throws SafetensorsFormatException if the metadata records no N:M pattern, or a compressed
     *     weight's tensors do not decode
     */
    public NmReport checkPattern() throws SafetensorsFormatException {
        String recorded = metadata.get(ExportMetadata.PATTERN_KEY);
        if (recorded == null || recorded.equals("none")) {
            throw new SafetensorsFormatException(file, "the metadata records no N:M sparsity pattern ("
                    + ExportMetadata.PATTERN_KEY + " is " + (recorded == null ? "absent" : recorded) + ")");
        }
        NmPattern pattern;
        try {
            pattern = NmPattern.parse(recorded);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, ExportMetadata.PATTERN_KEY + ": " + e.getMessage(), e);
        }
        try {
            return checkPattern(pattern);
        } catch (IllegalArgumentException e) {
            // a compressed weight whose tensors do not decode: the file's problem, named as such
            String m = e.getMessage();
            throw new SafetensorsFormatException(file, m.startsWith(file + ": ") ? m.substring(file.toString().length() + 2) : m, e);
        }
    }

    /**
     * Checks that every Linear ({@code [out, in]}), Conv1d ({@code [out, in, k]}) and Conv2d
     * ({@code [out, in, kH, kW]}) weight, that is every F32/F16/BF16 tensor named {@code *.weight}
     * of rank 2 to 4, and every weight stored
     * compressed ({@link #compressedWeights()}, decoded first), has at most N non-zeros in each
     * group of M along {@code in}. Zeros are exact: any stored value other than {@code ±0.0} counts.
     *
     * @throws IllegalArgumentException if a compressed weight's tensors are inconsistent
     */
    public NmReport checkPattern(NmPattern pattern) {
        Map<String, long[]> weights = new LinkedHashMap<>();
        entries.forEach((name, e) -> {
            if (name.endsWith(".weight") && FloatType.ofName(e.dtype()) != null) {
                weights.put(name, e.shape());
            }
        });
        Map<String, long[]> compressed = compressedWeights();
        weights.putAll(compressed);
        return new NmChecker(pattern).checkTorch(weights,
                name -> compressed.containsKey(name) ? decompress(name) : floats(name));
    }

    /**
     * The weights stored in the compressed 2:4 form ({@link SafetensorsExporter.Builder#compressed24()}),
     * by dense name ({@code <layer>.weight}), with their dense PyTorch shapes; empty when there are none.
     */
    public Map<String, long[]> compressedWeights() {
        String recorded = metadata.get(SafetensorsExporter.COMPRESSED_KEY);
        Map<String, long[]> out = new LinkedHashMap<>();
        if (recorded == null) {
            return out;
        }
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = MAPPER.readTree(recorded).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), MAPPER.treeToValue(e.getValue(), long[].class));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": metadata " + SafetensorsExporter.COMPRESSED_KEY
                    + " is not a JSON object of shapes: " + recorded, e);
        }
        return out;
    }

    /**
     * A compressed weight's {@link Compressed24} form, from {@code <name>_values} and
     * {@code <name>_indices}: a Linear weight as {@code [out, in]}, a Conv weight as
     * {@code [out x kH x kW, in]}.
     *
     * @throws IllegalArgumentException naming the weight when it is not stored compressed or its
     *     tensors do not fit its shape
     */
    public Compressed24 compressed(String name) {
        long[] shape = compressedWeights().get(name);
        if (shape == null) {
            throw new IllegalArgumentException(file + ": '" + name + "' is not stored compressed; compressed weights: "
                    + compressedWeights().keySet());
        }
        try {
            return Compressed24.of(TorchLayout.rows(shape), TorchLayout.k(shape), floats(name + "_values"),
                    shorts(name + "_indices"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": compressed weight '" + name + "': " + e.getMessage(), e);
        }
    }

    /** A compressed weight decoded to its dense values, in PyTorch's layout and C order. */
    public float[] decompress(String name) {
        Compressed24 c = compressed(name);
        return TorchLayout.toTensor(compressedWeights().get(name), c.decode());
    }

    @Override
    public String toString() {
        return file + " " + entries;
    }
}

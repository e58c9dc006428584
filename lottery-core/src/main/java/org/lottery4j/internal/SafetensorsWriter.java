package org.lottery4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.io.AtomicFiles;

/**
 * Writes a safetensors file: 8 bytes of little-endian header length; the header, compact JSON with
 * sorted keys, padded with spaces to a multiple of 8 bytes; then the tensors back to back in the
 * order given, little-endian. {@code __metadata__} gets a {@code sha256} entry over the metadata,
 * every tensor's header entry and its bytes ({@link SafetensorsChecksum}), which
 * {@link SafetensorsFile#read} checks: each tensor's {@code data} is therefore called twice, once
 * for the checksum and once to write. Atomic: a failure leaves no file (or the previous one). The
 * format is small enough that a library for it would add more than it saves; {@link SafetensorsFile}
 * reads it back.
 *
 * <pre>{@code
 * byte[] w = ...;                                  // 4 little-endian F32 values
 * SafetensorsWriter.write(Path.of("out/t.safetensors"), Map.of("format", "example"), List.of(
 *         new SafetensorsWriter.Tensor("w", "F32", new long[] {2, 2}, w.length, out -> out.write(w)),
 *         SafetensorsWriter.Tensor.u16("idx", new long[] {2}, new short[] {3, 7})));
 * }</pre>
 */
public final class SafetensorsWriter {

    /** The header entry that holds the file's metadata. */
    public static final String METADATA = "__metadata__";

    private static final ObjectMapper HEADER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * One tensor to write.
     *
     * @param name its name in the header
     * @param dtype safetensors type name ({@code F32}, {@code U16}...)
     * @param shape its dimensions
     * @param bytes how many bytes {@code data} writes
     * @param data writes the tensor's bytes, little-endian, C order
     */
    public record Tensor(String name, String dtype, long[] shape, long bytes, AtomicFiles.Content data) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
        }

        /** U16 values. */
        public static Tensor u16(String name, long[] shape, short[] values) {
            return new Tensor(name, "U16", shape, 2L * values.length, out -> {
                ByteBuffer buf = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asShortBuffer().put(values);
                out.write(buf.array());
            });
        }
    }

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors}, in this order, with {@code metadata} as {@code __metadata__}.
     *
     * @throws IllegalArgumentException if two tensors share a name, a name is {@code __metadata__},
     *     or the metadata has a {@code sha256} entry (the writer's own)
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        Objects.requireNonNull(file, "file");
        if (metadata.containsKey(SafetensorsChecksum.KEY)) {
            throw new IllegalArgumentException("metadata key '" + SafetensorsChecksum.KEY + "' is the writer's own");
        }
        Map<String, Object> header = new TreeMap<>();
        Map<String, long[]> offsets = new TreeMap<>();
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Tensor t : tensors) {
            if (!names.add(t.name()) || t.name().equals(METADATA)) {
                throw new IllegalArgumentException("tensor name '" + t.name() + "' is used twice or reserved");
            }
            offsets.put(t.name(), new long[] {offset, offset + t.bytes()});
            header.put(t.name(), Map.of("dtype", t.dtype(), "shape", t.shape(), "data_offsets", offsets.get(t.name())));
            offset += t.bytes();
        }
        Map<String, String> meta = new TreeMap<>(metadata);
        SafetensorsChecksum sum = new SafetensorsChecksum(meta);
        Map<String, Tensor> byName = new TreeMap<>();
        tensors.forEach(t -> byName.put(t.name(), t));
        for (Tensor t : byName.values()) {
            long[] at = offsets.get(t.name());
            CountingCheck checked = new CountingCheck(sum.tensor(t.name(), t.dtype(), t.shape(), at[0], at[1]), t);
            t.data().writeTo(checked);
            checked.finish();
        }
        meta.put(SafetensorsChecksum.KEY, sum.hex());
        header.put(METADATA, meta);
        byte[] json = headerBytes(header);
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            for (Tensor t : tensors) {
                CountingCheck checked = new CountingCheck(out, t);
                t.data().writeTo(checked);
                checked.finish();
            }
        });
    }

    /** {@code value} as compact JSON with sorted keys, the header's own style. */
    public static String json(Object value) {
        try {
            return HEADER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] headerBytes(Map<String, Object> header) {
        byte[] json = json(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7; // the data starts 8-byte aligned, as safetensors writes it
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    // A tensor that writes other than the bytes its header promised would corrupt every later offset.
    private static final class CountingCheck extends OutputStream {
        private final OutputStream out;
        private final Tensor tensor;
        private long written;

        CountingCheck(OutputStream out, Tensor tensor) {
            this.out = out;
            this.tensor = tensor;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            out.write(b, off, len);
        }

        private void count(long n) {
            written += n;
            if (written > tensor.bytes()) {
                throw new IllegalStateException("tensor '" + tensor.name() + "' writes more than its "
                        + tensor.bytes() + " bytes");
            }
        }

        void finish() {
            if (written != tensor.bytes()) {
                throw new IllegalStateException("tensor '" + tensor.name() + "' wrote " + written + " of its "
                        + tensor.bytes() + " bytes");
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}

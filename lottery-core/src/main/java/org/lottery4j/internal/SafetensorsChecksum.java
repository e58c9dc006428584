package org.lottery4j.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import org.lottery4j.internal.Sha256;

/**
 * The SHA-256 that lottery4j's safetensors files carry in {@code __metadata__} under
 * {@value #KEY}: over everything that decides what the file is read as, in a canonical form, so that
 * damage anywhere in the header or the data is found while the header's layout (key order,
 * spacing) may vary. The digest takes, in this order:
 *
 * <ol>
 *   <li>each metadata entry but {@value #KEY}, sorted by key: {@code 'M'}, then the key and the value;
 *   <li>each tensor, sorted by name: {@code 'T'}, the name, the dtype, the rank, each dimension, the
 *       first and the end offset, then its bytes as stored;
 * </ol>
 *
 * where a text is its UTF-8 length (a 4-byte big-endian int) and bytes, and a number 8 bytes
 * big-endian. One class for the writer and the reader, so that the two cannot disagree.
 *
 * <pre>{@code
 * SafetensorsChecksum sum = new SafetensorsChecksum(metadata);
 * sum.tensor("w", "F32", new long[] {2, 2}, 0, 16).write(bytes);   // each tensor, in name order
 * String hex = sum.hex();
 * }</pre>
 */
public final class SafetensorsChecksum {

    /** The metadata key that holds the checksum. */
    public static final String KEY = "sha256";

    private final MessageDigest digest;
    private final DataOutputStream out;
    private String lastTensor;

    /** Starts the digest with the metadata (its {@value #KEY} entry, if any, left out). */
    public SafetensorsChecksum(Map<String, String> metadata) {
        digest = Sha256.digest();
        out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        try {
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                if (!e.getKey().equals(KEY)) {
                    out.writeByte('M');
                    text(e.getKey());
                    text(e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a tensor's header entry and returns where its bytes go. Tensors must come in name order.
     */
    public OutputStream tensor(String name, String dtype, long[] shape, long begin, long end) {
        if (lastTensor != null && lastTensor.compareTo(name) >= 0) {
            throw new IllegalStateException("tensors must be added in name order: '" + name + "' after '" + lastTensor + "'");
        }
        lastTensor = name;
        try {
            out.writeByte('T');
            text(name);
            text(dtype);
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            out.writeLong(begin);
            out.writeLong(end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The checksum as lower-case hex. */
    public String hex() {
        return Sha256.hex(digest);
    }

    private void text(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}

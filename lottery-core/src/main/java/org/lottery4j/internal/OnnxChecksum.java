package org.lottery4j.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Optional;
import onnx.Onnx.ModelProto;
import onnx.Onnx.StringStringEntryProto;
import org.lottery4j.internal.Sha256;

/**
 * The SHA-256 that lottery4j's ONNX files carry in {@code metadata_props} under {@value #KEY}: over
 * the model message with that entry left out, as protobuf serializes it (fields in number order,
 * deterministic for a given message), so that damage to any weight, node or setting is found
 * however a reader's parser laid the file out. One class for the writer and the reader.
 *
 * <pre>{@code
 * ModelProto signed = OnnxChecksum.signed(model);        // the writer
 * Optional<String> recorded = OnnxChecksum.recorded(m);  // the reader: compare with OnnxChecksum.of(m)
 * }</pre>
 */
public final class OnnxChecksum {

    /** The metadata key that holds the checksum. */
    public static final String KEY = "sha256";

    private OnnxChecksum() {}

    /** {@code model} with its checksum entry (replacing any it had), last in {@code metadata_props}. */
    public static ModelProto signed(ModelProto model) {
        ModelProto unsigned = withoutChecksum(model);
        return unsigned.toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(KEY).setValue(of(unsigned)))
                .build();
    }

    /** The checksum the model records, if any (a model with two is refused by the caller). */
    public static Optional<String> recorded(ModelProto model) {
        return model.getMetadataPropsList().stream().filter(p -> p.getKey().equals(KEY))
                .map(StringStringEntryProto::getValue).findFirst();
    }

    /** How many checksum entries the model has. */
    public static long count(ModelProto model) {
        return model.getMetadataPropsList().stream().filter(p -> p.getKey().equals(KEY)).count();
    }

    /** The SHA-256, lower-case hex, of {@code model} without its checksum entries. */
    public static String of(ModelProto model) {
        MessageDigest digest = Sha256.digest();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            withoutChecksum(model).writeTo(out); // streamed: no copy of the weights
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Sha256.hex(digest);
    }

    private static ModelProto withoutChecksum(ModelProto model) {
        if (count(model) == 0) {
            return model;
        }
        ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        model.getMetadataPropsList().stream().filter(p -> !p.getKey().equals(KEY)).forEach(b::addMetadataProps);
        return b.build();
    }
}

package org.lottery4j.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.internal.SafetensorsWriter;

/**
 * Deliberate edits of safetensors files for tests: the edited file is written as lottery4j's writer
 * writes one, with a new checksum, as whoever edits a file on purpose would do, so that the checks
 * behind the checksum are reached.
 */
public final class SafetensorsFiles {

    private SafetensorsFiles() {}

    /**
     * Writes {@code in}'s tensors to {@code out} with its metadata changed by {@code metadata} and
     * each tensor's bytes by {@code tensors} (name, bytes as stored -> new bytes of the same length).
     */
    public static void rewrite(Path in, Path out, Consumer<Map<String, String>> metadata,
            BiFunction<String, byte[], byte[]> tensors) throws IOException {
        SafetensorsFile f = SafetensorsFile.read(in);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        meta.remove("sha256"); // the writer's own
        metadata.accept(meta);
        List<SafetensorsWriter.Tensor> list = new ArrayList<>();
        f.tensors().forEach((name, e) -> {
            byte[] b = tensors.apply(name, f.bytes(name));
            list.add(new SafetensorsWriter.Tensor(name, e.dtype(), e.shape(), b.length, o -> o.write(b)));
        });
        SafetensorsWriter.write(out, meta, list);
    }

    /** {@link #rewrite} with the tensors as they are. */
    public static void rewriteMetadata(Path file, Consumer<Map<String, String>> metadata) throws IOException {
        rewrite(file, file, metadata, (name, bytes) -> bytes);
    }
}

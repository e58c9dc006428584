package org.lottery4j.export;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that {@link OnnxInitializers} cannot read: not an ONNX model, truncated, or with weights
 * it does not handle (external data). The message names the file and the problem.
 *
 * <pre>{@code
 * try {
 *     OnnxInitializers.read(path);
 * } catch (OnnxFormatException e) {
 *     System.err.println(e.getMessage());   // "out/model.onnx: not an ONNX model: no graph"
 * }
 * }</pre>
 */
public final class OnnxFormatException extends IOException {

    private final Path file;

    public OnnxFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public OnnxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}

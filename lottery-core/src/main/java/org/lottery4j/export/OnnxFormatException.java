package org.lottery4j.export;

import java.nio.file.Path;
import org.lottery4j.io.FileFormatException;

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
public final class OnnxFormatException extends FileFormatException {

    public OnnxFormatException(Path file, String problem) {
        super(file, problem);
    }

    public OnnxFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}

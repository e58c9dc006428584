package org.lottery4j.export;

import java.nio.file.Path;
import org.lottery4j.io.FileFormatException;

/**
 * An ONNX file that lottery4j cannot read back (the N:M experiment checks its exports): not an
 * ONNX model, truncated, changed since it was written, or with weights it does not handle
 * (external data). The message names the file and the problem.
 *
 * <pre>{@code
 * try {
 *     new NmExperiment(nm, workload, out).run();   // reads its exports back to check them
 * } catch (OnnxFormatException e) {
 *     System.err.println(e.getMessage());   // "out/2to4_lenet_.../model.onnx: not an ONNX model: no graph"
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

package org.lottery4j.inference;

import java.nio.file.Path;
import org.lottery4j.io.FileFormatException;

/**
 * A file that is not a sparse model {@link SparseModel#save} wrote, or was damaged since: the
 * message names the file and what is wrong (format, version, a step, a tensor and its checksum).
 *
 * <pre>{@code
 * try {
 *     SparseModel.load(path);
 * } catch (SparseModelFormatException e) {
 *     System.err.println(e.getMessage());   // "lenet.sparse.safetensors: tensor '2/layer1.values' ... SHA-256 ..."
 * }
 * }</pre>
 */
public final class SparseModelFormatException extends FileFormatException {

    public SparseModelFormatException(Path file, String problem) {
        super(file, problem);
    }

    public SparseModelFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}

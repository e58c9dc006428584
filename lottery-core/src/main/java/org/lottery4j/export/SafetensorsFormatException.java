package org.lottery4j.export;

import java.nio.file.Path;
import org.lottery4j.io.FileFormatException;

/**
 * A file that is not a valid safetensors file: too short, a header that is not JSON, an unknown
 * data type, or tensor data that does not fit the file. The message names the file and the problem.
 *
 * <pre>{@code
 * try {
 *     SafetensorsFile.read(path);
 * } catch (SafetensorsFormatException e) {
 *     System.err.println(e.getMessage());   // "model.bin: header length 7021800 exceeds the file's 310 bytes ..."
 * }
 * }</pre>
 */
public final class SafetensorsFormatException extends FileFormatException {

    public SafetensorsFormatException(Path file, String problem) {
        super(file, problem);
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}

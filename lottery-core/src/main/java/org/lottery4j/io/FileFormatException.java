package org.lottery4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that exists but cannot be read as what it should be: its message starts with the file,
 * then says what is wrong. The ticket, ONNX and safetensors readers throw their own subclasses.
 *
 * <pre>{@code
 * try {
 *     LotteryTicket.load(path);
 * } catch (FileFormatException e) {
 *     System.err.println(e.getMessage());   // "out/ticket.zip: mask of layer0/W has shape [3, 4] ..."
 *     e.file();                             // out/ticket.zip
 * }
 * }</pre>
 */
public class FileFormatException extends IOException {

    private final transient Path file;
    private final String problem;

    public FileFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public FileFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }

    /** What is wrong with it: the message without the file. */
    public String problem() {
        return problem;
    }
}

package org.lottery4j.study;

import java.nio.file.Path;
import org.lottery4j.io.FileFormatException;

/**
 * A study file that cannot be used: the message names the file, the JSON path of the bad field and
 * what is allowed there.
 *
 * <pre>{@code
 * try {
 *     StudySpec.read(Path.of("studies/quick.json"));
 * } catch (StudySpecException e) {
 *     // "studies/quick.json: $.axes["pruning.scope"][1]: pruning.scope: not a pruning scope: 'everywhere'; ..."
 *     e.jsonPath();   // $.axes["pruning.scope"][1]
 * }
 * }</pre>
 */
public class StudySpecException extends FileFormatException {

    private final String jsonPath;

    public StudySpecException(Path file, String jsonPath, String problem) {
        super(file, jsonPath + ": " + problem);
        this.jsonPath = jsonPath;
    }

    public StudySpecException(Path file, String jsonPath, String problem, Throwable cause) {
        super(file, jsonPath + ": " + problem, cause);
        this.jsonPath = jsonPath;
    }

    /** Where in the file the problem is, such as {@code $.axes["training.seed"][0]}; {@code $} for the whole file. */
    public String jsonPath() {
        return jsonPath;
    }
}

package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.io.Json;
import org.lottery4j.io.Provenance;

/**
 * The files the runs that are not lottery experiments (grokking, grokking tickets, double descent)
 * share: their {@code hparams.json}, and reading back a result they wrote, where a damaged file is
 * an error naming it and what to do.
 *
 * <pre>{@code
 * RunFiles.writeHparams(folder, hp.fields(), hp.canonical());
 * GrokkingResult r = RunFiles.readResult(file, GrokkingResult.class, "a grokking run's result", "delete it to run again");
 * }</pre>
 */
public final class RunFiles {

    private RunFiles() {}

    /** {@code folder/hparams.json}: every field, the canonical form hashed into the folder's name, the provenance. */
    public static void writeHparams(Path folder, Map<String, String> fields, String canonical) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fields", fields);
        json.put("canonical", canonical);
        json.put("provenance", Provenance.current());
        Json.write(folder.resolve("hparams.json"), json);
    }

    /**
     * Reads a result written with {@link Json#writeChecked}.
     *
     * @param what what the file should be, for the message ("a run's result")
     * @param cure what to do about a damaged one ("delete it to run it again")
     * @throws FileFormatException naming the file, {@code what}, the problem and {@code cure}
     */
    public static <T> T readResult(Path file, Class<T> type, String what, String cure) throws IOException {
        try {
            return Json.readChecked(file, type);
        } catch (FileFormatException e) {
            throw new FileFormatException(file, "is not " + what + " (" + e.problem().lines().findFirst().orElse("")
                    + "); " + cure, e);
        }
    }
}

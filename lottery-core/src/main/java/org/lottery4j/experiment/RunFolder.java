package org.lottery4j.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.Json;
import org.slf4j.Logger;

/**
 * The output folder of a resumable run: created if missing, cleared of the temporary files an
 * interrupted write left, and bound to one set of hyperparameters by its {@code hparams.json}.
 */
final class RunFolder {

    /** The field of {@code hparams.json} that holds the canonical form. */
    static final String CANONICAL = "canonical";

    private RunFolder() {}

    /**
     * Prepares {@code folder} for the run that {@code hp} describes.
     *
     * @throws IOException if the folder's {@code hparams.json} describes another run (another
     *     canonical form), or the folder cannot be written
     */
    static <H> void prepare(Path folder, H hp, Class<H> type, Function<H, String> canonical, Logger log)
            throws IOException {
        Files.createDirectories(folder);
        int leftovers = AtomicFiles.deleteLeftovers(folder);
        if (leftovers > 0) {
            log.info("removed {} partial files left by an interrupted run", leftovers);
        }
        Path saved = folder.resolve("hparams.json");
        if (Files.exists(saved)) {
            // the canonical form as saved: a pruning method of the user's own cannot be parsed back
            JsonNode tree = Json.MAPPER.readTree(saved.toFile());
            String before = tree.hasNonNull(CANONICAL) ? tree.get(CANONICAL).asText()
                    : canonical.apply(Json.MAPPER.treeToValue(tree, type));
            if (!tree.hasNonNull(CANONICAL) && before.contains("training.optimizer=momentum")) {
                // written before `momentum` meant classical momentum: its rounds so far used Nesterov's
                throw new IOException(saved + " was written by an earlier lottery4j, whose 'momentum' optimizer was "
                        + "Nesterov momentum; 'momentum' is now classical momentum, so resuming would mix the two. "
                        + "Run it again with the optimizer 'nesterov' (a new folder), or delete " + folder);
            }
            if (!before.equals(canonical.apply(hp))) {
                throw new IOException(saved + " describes a different experiment:\n" + before
                        + "\nthan this one:\n" + canonical.apply(hp));
            }
            log.info("resuming the experiment in {}", folder);
        }
        Json.write(saved, hp);
    }
}

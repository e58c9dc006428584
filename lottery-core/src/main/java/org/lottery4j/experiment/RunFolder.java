package org.lottery4j.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.io.Json;
import org.lottery4j.io.Utf8;
import org.slf4j.Logger;

/**
 * The output folder of a resumable run: created first (a folder that cannot be made is an error
 * before anything is printed or loaded), cleared of the temporary files an interrupted write left,
 * and bound to one set of hyperparameters by its {@code hparams.json}. A run refused before it
 * wrote anything ({@link #discardIfUnused}) leaves no folder behind that it created.
 *
 * <pre>{@code
 * RunFolder dir = RunFolder.create(folder);
 * try {
 *     dir.bind(hp, ExperimentHparams.class, ExperimentHparams::canonical, LOG);
 *     ...
 * } catch (IOException | RuntimeException e) {
 *     dir.discardIfUnused(e);
 *     throw e;
 * }
 * }</pre>
 */
final class RunFolder {

    /** The field of {@code hparams.json} that holds the canonical form. */
    static final String CANONICAL = "canonical";
    static final String HPARAMS = "hparams.json";

    private final Path folder;
    private final Path createdRoot; // the outermost folder this run created, or null

    private RunFolder(Path folder, Path createdRoot) {
        this.folder = folder;
        this.createdRoot = createdRoot;
    }

    /**
     * The run's folder, created (with its missing parents) if missing.
     *
     * @throws IOException naming the folder if it cannot be created
     */
    static RunFolder create(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        Path missing = null;
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing = p;
        }
        Files.createDirectories(folder);
        return new RunFolder(folder, missing);
    }

    /**
     * Removes what this run created, the folder and its missing parents, if it wrote no file there
     * but its {@code hparams.json} (empty subfolders aside): what a run refused before it produced
     * anything (bad input, data that does not fit the network) would leave behind. Errors removing
     * it are added to {@code failure}.
     */
    void discardIfUnused(Throwable failure) {
        if (createdRoot == null) {
            return;
        }
        Path hparams = folder.toAbsolutePath().resolve(HPARAMS);
        try (java.util.stream.Stream<Path> files = Files.walk(createdRoot)) {
            if (files.filter(f -> !Files.isDirectory(f)).allMatch(hparams::equals)) {
                AtomicFiles.deleteTree(createdRoot);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Binds the folder to the run that {@code hp} describes.
     *
     * @throws IOException if the folder's {@code hparams.json} describes another run (another
     *     canonical form), is damaged, or the folder cannot be written
     */
    <H> void bind(H hp, Class<H> type, Function<H, String> canonical, Logger log) throws IOException {
        int leftovers = AtomicFiles.deleteLeftovers(folder);
        if (leftovers > 0) {
            log.info("removed {} partial files left by an interrupted run", leftovers);
        }
        Path saved = folder.resolve(HPARAMS);
        if (Files.exists(saved)) {
            // the canonical form as saved: a pruning method of the user's own cannot be parsed back
            String before;
            JsonNode tree;
            try {
                tree = Json.MAPPER.readTree(Utf8.decode(Files.readAllBytes(saved)));
                before = tree.hasNonNull(CANONICAL) ? tree.get(CANONICAL).asText()
                        : canonical.apply(Json.MAPPER.treeToValue(tree, type));
            } catch (CharacterCodingException | JsonProcessingException | IllegalArgumentException | NullPointerException e) {
                throw new FileFormatException(saved, "is not the hyperparameters of a run (" + (e instanceof
                        JsonProcessingException j ? j.getOriginalMessage() : e instanceof CharacterCodingException
                        ? "not UTF-8 text" : e.toString()) + "); it is damaged: delete " + folder
                        + " to start the run again", e);
            }
            if (!tree.hasNonNull(CANONICAL) && before.contains("training.optimizer=momentum")) {
                // written before `momentum` meant classical momentum: its rounds so far used Nesterov's
                throw new FileFormatException(saved, "was written by an earlier lottery4j, whose 'momentum' optimizer was "
                        + "Nesterov momentum; 'momentum' is now classical momentum, so resuming would mix the two. "
                        + "Run it again with the optimizer 'nesterov' (a new folder), or delete " + folder);
            }
            if (!before.equals(canonical.apply(hp))) {
                throw new FileFormatException(saved, "describes a different experiment:\n" + before
                        + "\nthan this one:\n" + canonical.apply(hp));
            }
            log.info("resuming the experiment in {}", folder);
        }
        Json.write(saved, hp);
    }
}

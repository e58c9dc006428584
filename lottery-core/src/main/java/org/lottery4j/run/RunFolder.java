package org.lottery4j.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.Utf8;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.io.Provenance;
import org.slf4j.Logger;

/**
 * The output folder of a resumable run: created first (a folder that cannot be made is an error
 * before anything is printed or loaded), cleared of the temporary files an interrupted write left,
 * and bound to one run by its {@code hparams.json}: a folder that holds another run (another
 * canonical form) is refused, never mixed. A run refused before it wrote anything
 * ({@link #discardIfUnused}) leaves no folder behind that it created. Its phases resume by the
 * one rule of {@link Phase}.
 *
 * <pre>{@code
 * RunFolder dir = RunFolder.create(out.resolve(hp.folderName()));
 * try {
 *     dir.bind(hp.identity(), hp, LOG);   // refuses a folder that holds another run
 *     ExperimentResult r = Phase.run(dir.path().resolve("results.json"), ExperimentResult.class,
 *             () -> new Experiment(hp, workload, out).run());
 * } catch (IOException | RuntimeException e) {
 *     dir.discardIfUnused(e);
 *     throw e;
 * }
 * }</pre>
 */
public final class RunFolder {

    /** The field of {@code hparams.json} that holds the canonical form. */
    public static final String CANONICAL = "canonical";
    /** The file that binds a folder to its run. */
    public static final String HPARAMS = "hparams.json";
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
    public static RunFolder create(Path folder) throws IOException {
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
    public void discardIfUnused(Throwable failure) {
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

    /** The folder. */
    public Path path() {
        return folder;
    }

    /**
     * Binds the folder to the run {@code id} names: refuses a folder whose {@code hparams.json}
     * holds another canonical form, then (re)writes it with {@code hparams}' JSON fields (if given),
     * every field as text, the canonical form and the provenance.
     *
     * @param hparams the typed hyperparameters, saved as JSON for programs that read them back
     *     ({@code null} for none); an {@code hparams.json} from before canonical forms were saved
     *     is read back as this type to compare
     * @throws IOException if the folder's {@code hparams.json} describes another run, is damaged,
     *     or the folder cannot be written
     */
    public void bind(RunIdentity id, Object hparams, Logger log) throws IOException {
        int leftovers = AtomicFiles.deleteLeftovers(folder);
        if (leftovers > 0) {
            log.info("removed {} partial files left by an interrupted run", leftovers);
        }
        Path saved = folder.resolve(HPARAMS);
        if (Files.exists(saved)) {
            String before = savedCanonical(saved, hparams);
            if (!before.equals(id.canonical())) {
                throw new FileFormatException(saved, "describes a different run:\n" + before
                        + "\nthan this one:\n" + id.canonical());
            }
            log.info("resuming the run in {}", folder);
        }
        ObjectNode json = hparams == null ? Json.object() : Json.tree(hparams);
        json.set("fields", Json.tree(id.fields()));
        json.put(CANONICAL, id.canonical());
        json.set("provenance", Json.tree(Provenance.current()));
        Json.write(saved, json);
    }

    // the canonical form as saved: a pruning method of the user's own cannot be parsed back
    private String savedCanonical(Path saved, Object hparams) throws IOException {
        String before;
        JsonNode tree;
        try {
            tree = Json.reader().readTree(Utf8.decode(Files.readAllBytes(saved)));
            if (tree.hasNonNull(CANONICAL)) {
                before = tree.get(CANONICAL).asText();
            } else if (hparams instanceof RunHparams typed) {
                before = ((RunHparams) Json.reader().treeToValue(tree, typed.getClass())).canonical();
            } else {
                throw new IllegalArgumentException("no '" + CANONICAL + "' field");
            }
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
        return before;
    }
}

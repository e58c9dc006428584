package org.lottery4j.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.lottery4j.internal.Json;
import org.lottery4j.io.FileFormatException;

/**
 * The one resume rule of lottery4j (open_lth's phases): a phase whose record exists is read back
 * and not run again; otherwise it runs, and its record is written atomically, last, after every
 * other file of the phase. A run killed at any point ({@code kill -9} included) therefore resumes
 * at the first phase without a record, and gives the results of a run never interrupted. Every
 * resumable run uses it: an experiment's arms, the N:M experiment's phases, a grokking run and
 * each arm of grokking tickets, each (width, seed) of a double-descent sweep.
 *
 * <pre>{@code
 * Map<String, Double> accuracy = Phase.run(folder.resolve("round-03/accuracy.json"), Map.class, () -> {
 *     TrainingLoop.builder(net).batches(Batches.shuffled(train, 60, 3)).budget(Step.parse("2ep")).build().run();
 *     ticket.save(folder.resolve("round-03/ticket.zip"));   // the phase's other files first
 *     return Map.of("test", Evaluation.accuracy(net, test));
 * });
 * }</pre>
 */
public final class Phase {

    /** A phase's work: writes its files and returns its record. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws IOException;
    }

    private Phase() {}

    /**
     * The phase's record: read from {@code record} if it exists, else computed by {@code body}
     * and written to {@code record} ({@link Json#writeChecked}, atomically) before it is returned.
     *
     * @throws FileFormatException naming the record if it exists but is damaged or not a {@code type}
     */
    public static <T> T run(Path record, Class<T> type, Body<T> body) throws IOException {
        Optional<T> done = done(record, type);
        if (done.isPresent()) {
            return done.get();
        }
        T result = body.run();
        Json.writeChecked(record, result); // last: its presence means the phase is complete
        return result;
    }

    /**
     * The record of a finished phase, or empty if it has not finished (no record).
     *
     * @throws FileFormatException naming the record if it exists but is damaged or not a {@code type}
     */
    public static <T> Optional<T> done(Path record, Class<T> type) throws IOException {
        if (!Files.exists(record)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.readChecked(record, type));
        } catch (FileFormatException e) {
            throw new FileFormatException(record, e.problem() + "; delete it to run that phase again", e);
        }
    }
}

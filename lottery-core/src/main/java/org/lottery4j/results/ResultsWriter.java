package org.lottery4j.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.Json;

/**
 * Writes an experiment's tables: {@code rounds.csv} (one line per round) and {@code results.json}
 * (everything, with per-layer sparsity and learning curves), each atomically.
 *
 * <p>{@code rounds.csv} starts with the columns
 * {@code round,weights_remaining,test_accuracy,best_test_accuracy,best_iteration,train_seconds}
 * for the ticket (final test accuracy, the highest test accuracy seen, the iteration of the lowest
 * validation loss, seconds spent in training steps), then {@code <arm>_test_accuracy} for each
 * control arm. A control arm that has not run for a round leaves its cell empty.
 *
 * <pre>{@code
 * ResultsWriter.write(folder, result);
 * }</pre>
 */
public final class ResultsWriter {

    /** The ticket's columns, in order. */
    public static final List<String> COLUMNS =
            List.of("round", "weights_remaining", "test_accuracy", "best_test_accuracy", "best_iteration", "train_seconds");

    private ResultsWriter() {}

    /** Writes {@code rounds.csv} and {@code results.json} into {@code folder}. */
    public static void write(Path folder, ExperimentResult result) throws IOException {
        AtomicFiles.writeString(folder.resolve("rounds.csv"), csv(result));
        Json.write(folder.resolve("results.json"), result);
    }

    /** The content of {@code rounds.csv}. */
    public static String csv(ExperimentResult result) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS));
        for (String arm : result.arms()) {
            sb.append(',').append(arm).append("_test_accuracy");
        }
        sb.append('\n');
        for (ArmResult t : result.ticketRounds()) {
            TrainingRecord tr = t.training();
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.4f,%.4f,%d,%.2f", t.round(), t.weightsRemaining(),
                    tr.finalTestAccuracy(), tr.bestTestAccuracy(), tr.earlyStopIteration(), tr.trainSeconds()));
            for (String arm : result.arms()) {
                Optional<ArmResult> control = result.arm(t.round(), arm);
                sb.append(',').append(control.map(c -> String.format(Locale.ROOT, "%.4f",
                        c.training().finalTestAccuracy())).orElse(""));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

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
 * <p>{@code rounds.csv} has one line per round of the ticket, with the columns
 * <ol>
 *   <li>{@link #COLUMNS}: {@code round,weights_remaining,test_accuracy,best_test_accuracy,best_iteration,train_seconds}:
 *       the fraction of prunable weights left, the test accuracy at the end of training, the
 *       highest test accuracy of any evaluation, the iteration of the lowest validation loss,
 *       seconds spent in training steps;
 *   <li>{@code <arm>_test_accuracy} for each control arm of {@link ExperimentResult#arms()}, the
 *       arm's test accuracy at the end of training; a round the arm has no record for leaves its
 *       cell empty;
 *   <li>{@link #EARLY_STOP_COLUMNS}: {@code early_stop_iteration,test_accuracy_at_early_stop}:
 *       the iteration of the lowest validation loss again, and the test accuracy of that same
 *       evaluation (the paper's early-stopping accuracy).
 * </ol>
 * {@code best_iteration} is the early-stopping iteration, not the iteration of
 * {@code best_test_accuracy}: the two come from different evaluations. It keeps its old name and
 * place so that existing readers of the file keep working; new readers should use
 * {@code early_stop_iteration}, which says what it is.
 *
 * <pre>{@code
 * ResultsWriter.write(folder, result);
 * }</pre>
 */
public final class ResultsWriter {

    /** The ticket's first columns, in order. */
    public static final List<String> COLUMNS =
            List.of("round", "weights_remaining", "test_accuracy", "best_test_accuracy", "best_iteration", "train_seconds");

    /** The ticket's columns after the control arms' ones, in order. */
    public static final List<String> EARLY_STOP_COLUMNS = List.of("early_stop_iteration", "test_accuracy_at_early_stop");

    private ResultsWriter() {}

    /** Writes {@code rounds.csv} and {@code results.json} into {@code folder}. */
    public static void write(Path folder, ExperimentResult result) throws IOException {
        AtomicFiles.writeString(folder.resolve("rounds.csv"), csv(result));
        Json.writeChecked(folder.resolve("results.json"), result);
    }

    /** The content of {@code rounds.csv}. */
    public static String csv(ExperimentResult result) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS));
        for (String arm : result.arms()) {
            sb.append(',').append(arm).append("_test_accuracy");
        }
        EARLY_STOP_COLUMNS.forEach(c -> sb.append(',').append(c));
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
            sb.append(String.format(Locale.ROOT, ",%d,%.4f", tr.earlyStopIteration(), tr.testAccuracyAtEarlyStop()));
            sb.append('\n');
        }
        return sb.toString();
    }
}

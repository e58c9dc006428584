package org.lottery4j.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an experiment produced, as saved in {@code results.json}.
 *
 * <pre>{@code
 * ExperimentResult result = new Experiment(hp, workload, out).run();
 * result.arm(0, "ticket").orElseThrow().training().finalTestAccuracy();
 * }</pre>
 *
 * @param name the output folder's name ({@code lottery_<hash>})
 * @param hparams every hyperparameter, as {@code section.field -> value}
 * @param canonical the hashed canonical form
 * @param arms control arms beside the ticket: those the experiment ran, and any other arm whose
 *     records an earlier run left in the folder
 * @param results every arm of every finished round, by round then arm
 * @param provenance library, DL4J, JVM, OS and backend versions
 */
public record ExperimentResult(String name, Map<String, String> hparams, String canonical, List<String> arms,
        List<ArmResult> results, Map<String, String> provenance) {

    public ExperimentResult {
        // ordered copies: the report and the JSON list fields in a stable order
        hparams = Collections.unmodifiableMap(new LinkedHashMap<>(hparams));
        arms = List.copyOf(arms);
        results = List.copyOf(results);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** The result of one arm of one round, if it ran. */
    public Optional<ArmResult> arm(int round, String arm) {
        return results.stream().filter(r -> r.round() == round && r.arm().equals(arm)).findFirst();
    }

    /** The ticket's results, by round. */
    public List<ArmResult> ticketRounds() {
        return results.stream().filter(r -> r.arm().equals(ArmResult.TICKET)).toList();
    }

    /**
     * This result as {@code rounds.csv}: one line per round of the ticket, with the columns
     * {@code round, weights_remaining, test_accuracy, best_test_accuracy, early_stop_iteration,
     * train_seconds}: the fraction of prunable weights left, the test accuracy at the end of
     * training, the highest test accuracy of any evaluation, the iteration of the lowest validation
     * loss (the paper's early stopping), the seconds spent in training steps; then
     * {@code <arm>_test_accuracy} for each control arm of {@link #arms()}, the arm's test accuracy
     * at the end (empty for a round without its record); then {@code test_accuracy_at_early_stop}.
     */
    public String roundsCsv() {
        StringBuilder sb = new StringBuilder(
                "round,weights_remaining,test_accuracy,best_test_accuracy,early_stop_iteration,train_seconds");
        for (String arm : arms) {
            sb.append(',').append(arm).append("_test_accuracy");
        }
        sb.append(",test_accuracy_at_early_stop\n");
        for (ArmResult t : ticketRounds()) {
            TrainingRecord tr = t.training();
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.4f,%.4f,%d,%.2f", t.round(), t.weightsRemaining(),
                    tr.finalTestAccuracy(), tr.bestTestAccuracy(), tr.earlyStopIteration(), tr.trainSeconds()));
            for (String arm : arms) {
                sb.append(',').append(arm(t.round(), arm).map(c -> String.format(Locale.ROOT, "%.4f",
                        c.training().finalTestAccuracy())).orElse(""));
            }
            sb.append(String.format(Locale.ROOT, ",%.4f", tr.testAccuracyAtEarlyStop())).append('\n');
        }
        return sb.toString();
    }
}

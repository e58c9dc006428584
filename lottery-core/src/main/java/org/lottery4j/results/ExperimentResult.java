package org.lottery4j.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an experiment produced, as saved in {@code results.json}.
 *
 * <pre>{@code
 * ExperimentResult result = experiment.run();
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
}

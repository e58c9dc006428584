package org.lottery4j.ticket;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a ticket file says about how the ticket was made. Saved as JSON inside the file.
 *
 * <pre>{@code
 * TicketMetadata meta = LotteryTicket.load(path).metadata();
 * meta.round();              // how many times the network was pruned
 * meta.hyperparameters();    // whatever the caller saved with it
 * }</pre>
 *
 * @param round number of pruning steps applied
 * @param method pruning method, as {@link org.lottery4j.prune.PruningMethod#describe()} writes it
 * @param scope pruning scope, as {@link org.lottery4j.prune.PruningScope#describe()} writes it
 * @param rewindPoint rewind point, as {@link org.lottery4j.rewind.RewindPoint#describe()} writes it
 * @param seeds named seeds ({@code network} = the network configuration's seed)
 * @param hyperparameters caller-supplied settings, saved verbatim
 * @param provenance library, DL4J, JVM, OS and backend versions of the writer
 * @param createdAt ISO-8601 instant of writing
 */
public record TicketMetadata(
        int round,
        String method,
        String scope,
        String rewindPoint,
        Map<String, Long> seeds,
        Map<String, String> hyperparameters,
        Map<String, String> provenance,
        String createdAt) {

    public TicketMetadata {
        seeds = Map.copyOf(seeds == null ? Map.of() : seeds);
        hyperparameters = Map.copyOf(hyperparameters == null ? Map.of() : hyperparameters);
        provenance = Map.copyOf(provenance == null ? Map.of() : provenance);
    }

    /** Sorted copies, so the JSON is stable. */
    Map<String, Long> sortedSeeds() {
        return new TreeMap<>(seeds);
    }
}

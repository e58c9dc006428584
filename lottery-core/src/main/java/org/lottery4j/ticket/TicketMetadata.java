package org.lottery4j.ticket;

import java.util.Collections;
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
        // sorted copies, so a ticket's JSON is the same for the same content
        seeds = Collections.unmodifiableMap(new TreeMap<>(seeds == null ? Map.of() : seeds));
        hyperparameters = Collections.unmodifiableMap(new TreeMap<>(hyperparameters == null ? Map.of() : hyperparameters));
        provenance = Collections.unmodifiableMap(new TreeMap<>(provenance == null ? Map.of() : provenance));
    }
}

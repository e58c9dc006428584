package org.lottery4j.ticket;

import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruned;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;

/**
 * How a ticket file names its pruning strategy (the manifest's {@code method} and {@code scope})
 * and how loading turns the names back into a strategy: a method over a scope, an N:M pattern
 * ({@code 2:4}) over a scope, or, for a strategy of the user's own that lottery4j cannot rebuild,
 * one that says so when asked to prune.
 */
final class SavedStrategies {

    private SavedStrategies() {}

    static String method(PruningStrategy s) {
        if (s instanceof Pruner p) {
            return p.method().describe();
        }
        if (s instanceof NmPruner nm) {
            return nm.pattern().toString();
        }
        return s.describe();
    }

    static String scope(PruningStrategy s) {
        if (s instanceof Pruner p) {
            return p.scope().describe();
        }
        if (s instanceof NmPruner nm) {
            return nm.scope().describe();
        }
        if (s instanceof Unavailable u) {
            return u.scope();
        }
        return "";
    }

    /**
     * The strategy these names describe, which must be written as lottery4j writes them (a name in
     * another form is not what a ticket file holds: damage, or an edit).
     *
     * @throws IllegalArgumentException if the names cannot be read, or are not in their written form
     */
    static PruningStrategy parse(String method, String scope) {
        PruningStrategy s;
        if (method.matches("\\s*\\d+\\s*:\\s*\\d+\\s*")) {
            s = new NmPruner(NmPattern.parse(method), PruningScope.parse(scope));
        } else {
            PruningMethod known = null;
            try {
                known = PruningMethod.parse(method);
            } catch (IllegalArgumentException e) {
                // a method of the user's own: kept by its description, with the scope it ranked over
            }
            s = known != null ? new Pruner(known, PruningScope.parse(scope))
                    : new Unavailable(method, scope.isEmpty() ? "" : PruningScope.parse(scope).describe());
        }
        if (!method(s).equals(method) || !scope(s).equals(scope)) {
            throw new IllegalArgumentException("the pruning method '" + method + "' and scope '" + scope
                    + "' are not written as lottery4j writes them ('" + method(s) + "', '" + scope(s) + "')");
        }
        return s;
    }

    /**
     * {@code strategy}, if it is the one these names describe.
     *
     * @throws IllegalArgumentException naming both when it is not
     */
    static PruningStrategy matching(PruningStrategy strategy, String method, String scope) {
        if (!method(strategy).equals(method) || !scope(strategy).equals(scope)) {
            throw new IllegalArgumentException("the ticket was pruned with '" + (method + " " + scope).strip()
                    + "', not with '" + strategy.describe() + "'");
        }
        return strategy;
    }

    /** A strategy that lottery4j cannot rebuild from its name: a method of the user's own. */
    private record Unavailable(String description, String scope) implements PruningStrategy {
        @Override
        public Pruned prune(NetworkView network, MaskSet current, double fraction) {
            throw new IllegalStateException("this ticket was pruned with '" + description + "', a strategy lottery4j"
                    + " cannot rebuild from its name; to prune further, close() the loaded ticket and build a new one"
                    + " with LotteryTicket.builder(ticket.network()).masks(ticket.masks()).strategy(yours)");
        }

        @Override
        public MaskSet initialMasks(NetworkView network) {
            throw new IllegalStateException("'" + description + "' cannot be rebuilt from its name");
        }

        @Override
        public String describe() {
            return description;
        }
    }
}

package org.lottery4j.ticket;

import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
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
        return "";
    }

    /**
     * The strategy these names describe.
     *
     * @throws IllegalArgumentException if the scope cannot be read
     */
    static PruningStrategy parse(String method, String scope) {
        if (method.matches("\\s*\\d+\\s*:\\s*\\d+\\s*")) {
            return new NmPruner(NmPattern.parse(method), PruningScope.parse(scope));
        }
        PruningMethod known;
        try {
            known = PruningMethod.parse(method);
        } catch (IllegalArgumentException e) {
            return unavailable(method);
        }
        return new Pruner(known, PruningScope.parse(scope));
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

    private static PruningStrategy unavailable(String description) {
        return new PruningStrategy() {
            @Override
            public MaskSet prune(NetworkView network, MaskSet current, double fraction) {
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
        };
    }
}

package org.lottery4j.hparams;

import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;

/**
 * How an experiment prunes: method, fraction per round, scope (with per-layer rates), number of
 * rounds and rewind point. Method, scope and rewind point use the text forms their classes parse.
 *
 * <pre>{@code
 * PruningHparams p = new PruningHparams("magnitude", 0.2, "layerwise fractions={output=0.1}", 12, "init");
 * PruningScope scope = p.pruningScope();
 * }</pre>
 *
 * @param method {@code magnitude} or {@code random(seed=N)}
 * @param fraction fraction of surviving weights removed per round, in [0, 1)
 * @param scope as {@link PruningScope#describe()} writes it
 * @param rounds pruning rounds after the dense round 0
 * @param rewind as {@link RewindPoint#describe()} writes it
 */
public record PruningHparams(String method, double fraction, String scope, int rounds, String rewind) {

    public static final PruningHparams DEFAULTS = new PruningHparams("magnitude", 0.2, "layerwise", 1, "init");

    public PruningHparams {
        PruningMethod.parse(method);
        Hparams.require(fraction >= 0 && fraction < 1, "pruning.fraction must be in [0, 1), got " + fraction);
        PruningScope.parse(scope);
        Hparams.require(rounds >= 0, "pruning.rounds must be >= 0, got " + rounds);
        RewindPoint.parse(rewind);
    }

    public PruningMethod pruningMethod() {
        return PruningMethod.parse(method);
    }

    public PruningScope pruningScope() {
        return PruningScope.parse(scope);
    }

    public RewindPoint rewindPoint() {
        return RewindPoint.parse(rewind);
    }
}

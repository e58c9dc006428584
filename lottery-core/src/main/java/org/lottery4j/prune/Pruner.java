package org.lottery4j.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.ParamKey;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;

/**
 * Applies a {@link PruningMethod} over a {@link PruningScope}: reads the weights, scores them,
 * and returns the next masks. It never changes the network.
 *
 * <pre>{@code
 * Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.global());
 * MaskSet masks = pruner.initialMasks(view);
 * masks = pruner.prune(view, masks, 0.2);     // 20% of the surviving weights, one global ranking
 * }</pre>
 */
public final class Pruner {

    private final PruningMethod method;
    private final PruningScope scope;

    public Pruner(PruningMethod method, PruningScope scope) {
        this.method = Objects.requireNonNull(method, "method");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    public PruningMethod method() {
        return method;
    }

    public PruningScope scope() {
        return scope;
    }

    /** Masks keeping every weight of the parameters in scope. */
    public MaskSet initialMasks(NetworkView view) {
        return MaskSet.allKept(view, scope.resolve(view).stream().map(t -> t.param().key()).toList());
    }

    /**
     * The next masks: {@code fraction} of each parameter's surviving weights removed (layerwise), or
     * of all surviving weights in scope (global), except layers with their own fraction. Parameters
     * with a mask in {@code current} but outside the scope keep their mask.
     *
     * @throws IllegalArgumentException for a fraction outside [0, 1), masks that do not fit the
     *     network, or a parameter in scope holding NaN or infinite weights
     */
    public MaskSet prune(NetworkView view, MaskSet current, double fraction) {
        Fractions.check(fraction, "");
        current.checkFits(view);
        List<PruningScope.Target> targets = scope.resolve(view);
        Map<ParamKey, Mask> next = new LinkedHashMap<>(current.asMap());
        List<ParamInfo> pooled = new ArrayList<>();
        List<float[]> pooledScores = new ArrayList<>();
        for (PruningScope.Target t : targets) {
            ParamInfo p = t.param();
            float[] weights = view.read(p);
            requireFinite(p, weights);
            Mask previous = current.get(p.key()) != null ? current.get(p.key()) : Mask.allKept(p.shape());
            float[] scores = method.importance(p.key(), weights);
            boolean global = scope.ranking() == PruningScope.Ranking.GLOBAL && !t.hasOwnFraction();
            if (global) {
                pooled.add(p);
                pooledScores.add(scores);
                next.put(p.key(), previous);
            } else {
                next.put(p.key(), method.computeMask(scores, previous, t.hasOwnFraction() ? t.ownFraction() : fraction));
            }
        }
        if (!pooled.isEmpty()) {
            pruneTogether(pooled, pooledScores, next, fraction);
        }
        return MaskSet.of(next);
    }

    // Global ranking: the method ranks all pooled parameters as one array and cuts the result back.
    private void pruneTogether(List<ParamInfo> params, List<float[]> scores, Map<ParamKey, Mask> masks, double fraction) {
        Mask[] previous = params.stream().map(p -> masks.get(p.key())).toArray(Mask[]::new);
        Mask[] next = method.computeMasks(scores.toArray(float[][]::new), previous, fraction);
        for (int i = 0; i < next.length; i++) {
            masks.put(params.get(i).key(), next[i]);
        }
    }

    private static void requireFinite(ParamInfo p, float[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i])) {
                throw new IllegalArgumentException("parameter " + p.key() + " holds a non-finite weight (" + weights[i]
                        + ") at element " + i + ": weights must be finite to be ranked (did training diverge?)");
            }
        }
    }

    @Override
    public String toString() {
        return method.describe() + " " + scope.describe();
    }
}

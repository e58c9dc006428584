package org.lottery4j.prune;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.ParamKey;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;

/**
 * Applies a {@link PruningMethod} over a {@link PruningScope}: reads the weights, scores them,
 * and returns the next masks. It never changes the network.
 *
 * <p>Magnitude pruning of a FLOAT network reads the weights where they lie in native memory, a
 * chunk at a time, without copying them or allocating scores; other methods and types score a copy.
 * From 2^20 surviving weights on, the selection's one pass runs in parallel on the common
 * fork-join pool; the masks do not depend on the threads.
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
        List<Scores> pooledScores = new ArrayList<>();
        for (PruningScope.Target t : targets) {
            ParamInfo p = t.param();
            Mask previous = current.get(p.key()) != null ? current.get(p.key()) : Mask.allKept(p.shape());
            Scores scores = scores(view, p);
            boolean global = scope.ranking() == PruningScope.Ranking.GLOBAL && !t.hasOwnFraction();
            if (global) {
                pooled.add(p);
                pooledScores.add(scores);
                next.put(p.key(), previous);
            } else {
                next.put(p.key(), masks(List.of(scores), new Mask[] {previous}, t.hasOwnFraction() ? t.ownFraction() : fraction)[0]);
            }
        }
        if (!pooled.isEmpty()) {
            // global ranking: all pooled parameters as one array, the result cut back per parameter
            Mask[] previous = pooled.stream().map(p -> next.get(p.key())).toArray(Mask[]::new);
            Mask[] masks = masks(pooledScores, previous, fraction);
            for (int i = 0; i < masks.length; i++) {
                next.put(pooled.get(i).key(), masks[i]);
            }
        }
        return MaskSet.of(next);
    }

    /** A parameter's scores: magnitudes where its weights lie, or the method's scores of a finite copy. */
    private Scores scores(NetworkView view, ParamInfo p) {
        if (method == PruningMethod.magnitude()) {
            Optional<IntBuffer> live = view.floatBits(p);
            if (live.isPresent()) {
                return new Scores(null, ScoreKeys.magnitudeOf(p.key(), live.get()));
            }
        }
        float[] weights = view.read(p);
        requireFinite(p, weights);
        return new Scores(method.importance(p.key(), weights), null);
    }

    private Mask[] masks(List<Scores> scores, Mask[] previous, double fraction) {
        if (scores.get(0).computed() == null) { // magnitudes read in place: only the built-in selection takes them
            return LowestImportance.prune(scores.stream().map(Scores::inPlace).toArray(ScoreKeys[]::new), previous, fraction);
        }
        return method.computeMasks(scores.stream().map(Scores::computed).toArray(float[][]::new), previous, fraction);
    }

    /** Either scores the method computed, or magnitudes read from the network (the same for every parameter of one method). */
    private record Scores(float[] computed, ScoreKeys inPlace) {}

    private static void requireFinite(ParamInfo p, float[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i])) {
                throw ScoreKeys.nonFinite(p.key(), weights[i], i);
            }
        }
    }

    @Override
    public String toString() {
        return method.describe() + " " + scope.describe();
    }
}

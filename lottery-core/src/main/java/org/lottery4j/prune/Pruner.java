package org.lottery4j.prune;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;

/**
 * The score-based {@link PruningStrategy}: a {@link PruningMethod} over a {@link PruningScope}.
 * It reads each parameter's weights where they lie in native memory, a chunk at a time, scores
 * them with the method and removes the lowest; it never changes the network.
 *
 * <p>A method that {@linkplain PruningMethod#ranksByMagnitude() ranks by magnitude} has a FLOAT
 * network's weights compared by their IEEE bits directly; any other method (a user's too) gets the
 * same in-place chunked read and scores a chunk at a time, without a copy of the parameter. DOUBLE networks are scored from a float copy. From 2^20 surviving
 * weights on, the selection's one pass runs in parallel on the common fork-join pool; the masks
 * do not depend on the threads.
 *
 * <pre>{@code
 * Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.global());
 * MaskSet masks = pruner.initialMasks(view);
 * masks = pruner.prune(view, masks, 0.2).masks();     // 20% of the surviving weights, one global ranking
 * }</pre>
 */
public final class Pruner implements PruningStrategy {

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
    @Override
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
    @Override
    public Pruned prune(NetworkView view, MaskSet current, double fraction) {
        Fractions.check(fraction, "");
        current.checkFits(view);
        PruningMethod scorer = method.prepare(view);
        List<PruningScope.Target> targets = scope.resolve(view);
        Map<ParamKey, Mask> next = new LinkedHashMap<>(current.asMap());
        List<ParamInfo> pooled = new ArrayList<>();
        List<ScoreKeys> pooledScores = new ArrayList<>();
        for (PruningScope.Target t : targets) {
            ParamInfo p = t.param();
            Mask previous = current.get(p.key()) != null ? current.get(p.key()) : Mask.allKept(p.shape());
            ScoreKeys scores = scores(scorer, view, p);
            boolean global = scope.ranking() == PruningScope.Ranking.GLOBAL && !t.hasOwnFraction();
            if (global) {
                pooled.add(p);
                pooledScores.add(scores);
                next.put(p.key(), previous);
            } else {
                next.put(p.key(), LowestImportance.prune(new ScoreKeys[] {scores}, new Mask[] {previous},
                        t.hasOwnFraction() ? t.ownFraction() : fraction)[0]);
            }
        }
        if (!pooled.isEmpty()) {
            // global ranking: all pooled parameters as one array, the result cut back per parameter
            Mask[] previous = pooled.stream().map(p -> next.get(p.key())).toArray(Mask[]::new);
            Mask[] masks = LowestImportance.prune(pooledScores.toArray(ScoreKeys[]::new), previous, fraction);
            for (int i = 0; i < masks.length; i++) {
                next.put(pooled.get(i).key(), masks[i]);
            }
        }
        return Pruned.of(MaskSet.of(next));
    }

    /** A parameter's scores, read where its weights lie (magnitudes straight from the IEEE bits). */
    private static ScoreKeys scores(PruningMethod method, NetworkView view, ParamInfo p) {
        if (method.ranksByMagnitude()) {
            Optional<IntBuffer> live = view.floatBits(p);
            if (live.isPresent()) {
                return ScoreKeys.magnitudeOf(p.key(), live.get());
            }
        }
        FloatBuffer weights = view.floats(p).orElseGet(() -> FloatBuffer.wrap(view.read(p)));
        return ScoreKeys.scoredBy(method, p.key(), weights);
    }

    /** {@code METHOD SCOPE}, such as {@code magnitude layerwise fractions={output=0.1}}. */
    @Override
    public String describe() {
        return method.describe() + " " + scope.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}

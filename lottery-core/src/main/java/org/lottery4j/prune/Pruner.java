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
     * <p>A method with {@linkplain PruningMethod#iterations() n > 1 iterations} (SynFlow) removes the
     * same number of weights in n steps, re-scoring the survivors before each: after step k a
     * parameter (layerwise) or the pooled parameters (global) keep {@code round(s x (1 - fraction)^(k/n))}
     * of their {@code s} survivors, each step removing about {@code 1 - (1 - fraction)^(1/n)} of
     * those left, and the last step keeps exactly what one step would: {@code s - round(fraction x s)}.
     * Each step's {@link PruningMethod#prepare(NetworkView, MaskSet)} sees the masks so far; a step
     * that removes nothing is not prepared.
     *
     * @throws IllegalArgumentException for a fraction outside [0, 1), masks that do not fit the
     *     network, or a parameter in scope holding NaN or infinite weights
     */
    @Override
    public Pruned prune(NetworkView view, MaskSet current, double fraction) {
        Fractions.check(fraction, "");
        current.checkFits(view);
        int steps = method.iterations();
        if (steps < 1) {
            throw new IllegalArgumentException("pruning method " + method.describe() + " asks for " + steps
                    + " iterations: iterations() must be at least 1");
        }
        Map<ParamKey, Mask> next = new LinkedHashMap<>(current.asMap());
        List<Group> groups = new ArrayList<>();
        List<ParamInfo> pooled = new ArrayList<>();
        for (PruningScope.Target t : scope.resolve(view)) {
            ParamInfo p = t.param();
            next.put(p.key(), current.get(p.key()) != null ? current.get(p.key()) : Mask.allKept(p.shape()));
            if (scope.ranking() == PruningScope.Ranking.GLOBAL && !t.hasOwnFraction()) {
                pooled.add(p); // global ranking: all pooled parameters as one array, cut back per parameter
            } else {
                groups.add(new Group(List.of(p), t.hasOwnFraction() ? t.ownFraction() : fraction, next));
            }
        }
        if (!pooled.isEmpty()) {
            groups.add(new Group(pooled, fraction, next));
        }
        for (int k = 1; k <= steps; k++) {
            long[] remove = new long[groups.size()];
            boolean any = false;
            for (int g = 0; g < remove.length; g++) {
                remove[g] = groups.get(g).toRemoveAtStep(k, steps, next);
                any |= remove[g] > 0;
            }
            if (!any) {
                continue;
            }
            PruningMethod scorer = method.prepare(view, MaskSet.of(next));
            for (int g = 0; g < remove.length; g++) {
                if (remove[g] > 0) {
                    groups.get(g).prune(scorer, view, next, remove[g]);
                }
            }
        }
        return Pruned.of(MaskSet.of(next));
    }

    /** Parameters ranked together (one, or all pooled for a global ranking), and how many they lose in all. */
    private static final class Group {
        private final List<ParamInfo> params;
        private final long start; // survivors before the first step
        private final double fraction;
        private final long total; // removed over all steps: what one step would remove

        Group(List<ParamInfo> params, double fraction, Map<ParamKey, Mask> masks) {
            this.params = params;
            this.start = LowestImportance.surviving(masks(masks));
            this.fraction = fraction;
            this.total = Math.round(fraction * start);
        }

        Mask[] masks(Map<ParamKey, Mask> masks) {
            return params.stream().map(p -> masks.get(p.key())).toArray(Mask[]::new);
        }

        /** How many to remove at step k of n: down to the exponential schedule's count, exact at the last step. */
        long toRemoveAtStep(int k, int n, Map<ParamKey, Mask> masks) {
            long keep = start - total;
            if (k < n) {
                keep = Math.max(keep, Math.round(start * Math.pow(1 - fraction, (double) k / n)));
            }
            return LowestImportance.surviving(masks(masks)) - keep;
        }

        void prune(PruningMethod scorer, NetworkView view, Map<ParamKey, Mask> masks, long count) {
            ScoreKeys[] scores = params.stream().map(p -> scores(scorer, view, p)).toArray(ScoreKeys[]::new);
            Mask[] pruned = LowestImportance.pruneCount(scores, masks(masks), count);
            for (int i = 0; i < pruned.length; i++) {
                masks.put(params.get(i).key(), pruned[i]);
            }
        }
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

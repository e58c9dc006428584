package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;

/** The capabilities a {@link PruningMethod} may offer a {@link Pruner}: preparation and the magnitude fast path. */
class PruningContractTest {

    private static final NetworkView VIEW = NetworkView.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 11));

    /** Magnitude, written by hand, optionally claiming the fast path. */
    private static PruningMethod magnitude(boolean fast, AtomicInteger scored) {
        return new PruningMethod() {
            @Override
            public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
                scored.incrementAndGet();
                for (int j = 0; j < count; j++) {
                    scores[j] = Math.abs(weights[j]);
                }
            }

            @Override
            public boolean ranksByMagnitude() {
                return fast;
            }

            @Override
            public String describe() {
                return "my-magnitude";
            }
        };
    }

    @Test
    void aMethodThatRanksByMagnitudeIsNotAskedForScoresAndGivesTheSameMasks() {
        AtomicInteger slow = new AtomicInteger();
        AtomicInteger fast = new AtomicInteger();
        Pruner byScores = new Pruner(magnitude(false, slow), PruningScope.global());
        Pruner byBits = new Pruner(magnitude(true, fast), PruningScope.global());
        MaskSet start = byScores.initialMasks(VIEW);
        MaskSet expected = new Pruner(PruningMethod.magnitude(), PruningScope.global()).prune(VIEW, start, 0.4).masks();

        assertThat(byScores.prune(VIEW, start, 0.4).masks()).isEqualTo(expected);
        assertThat(byBits.prune(VIEW, start, 0.4).masks()).isEqualTo(expected);
        assertThat(slow.get()).isPositive();
        assertThat(fast.get()).isZero(); // the FLOAT network's weights were ranked by their bits
    }

    @Test
    void prepareIsCalledOncePerPruneAndItsMethodScores() {
        AtomicInteger prepared = new AtomicInteger();
        // scores the negated magnitude once prepared: the largest weights go first, unlike magnitude
        PruningMethod largestFirst = new PruningMethod() {
            @Override
            public PruningMethod prepare(NetworkView network) {
                prepared.incrementAndGet();
                return new PruningMethod() {
                    @Override
                    public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
                        for (int j = 0; j < count; j++) {
                            scores[j] = -Math.abs(weights[j]);
                        }
                    }

                    @Override
                    public String describe() {
                        return "largest-first";
                    }
                };
            }

            @Override
            public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
                throw new AssertionError("scored without prepare");
            }

            @Override
            public String describe() {
                return "largest-first";
            }
        };
        Pruner pruner = new Pruner(largestFirst, PruningScope.layerwise());
        Pruned p = pruner.prune(VIEW, pruner.initialMasks(VIEW), 0.5);
        assertThat(prepared.get()).isEqualTo(1);
        assertThat(p.skipped()).isEmpty();
        // every pruned weight is at least as large as every kept one, in each parameter
        p.masks().asMap().forEach((key, mask) -> {
            float[] w = VIEW.read(VIEW.param(key).orElseThrow());
            float minPruned = Float.MAX_VALUE;
            float maxKept = 0;
            for (int i = 0; i < w.length; i++) {
                if (mask.isKept(i)) {
                    maxKept = Math.max(maxKept, Math.abs(w[i]));
                } else {
                    minPruned = Math.min(minPruned, Math.abs(w[i]));
                }
            }
            assertThat(minPruned).as(key.toString()).isGreaterThanOrEqualTo(maxKept);
        });
    }
}

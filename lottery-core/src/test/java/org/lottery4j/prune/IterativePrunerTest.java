package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;

/** A method of several iterations: the fraction in steps, re-scored, exact in total. */
class IterativePrunerTest {

    private static final NetworkView VIEW = NetworkView.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 5));

    /** |w| in {@code n} steps, recording the masks each step is prepared with. */
    private static PruningMethod magnitudeIn(int n, List<MaskSet> seen) {
        return new PruningMethod() {
            @Override
            public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
                for (int j = 0; j < count; j++) {
                    scores[j] = Math.abs(weights[j]);
                }
            }

            @Override
            public PruningMethod prepare(NetworkView network, MaskSet current) {
                seen.add(current);
                return this;
            }

            @Override
            public int iterations() {
                return n;
            }

            @Override
            public String describe() {
                return "magnitude-in-" + n;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerwise", "global", "global fractions={output=0.3}", "layerwise fractions={dense0=0.95}"})
    void nStepsRemoveExactlyWhatOneStepRemovesAndMasksOnlyShrink(String scopeText) {
        PruningScope scope = PruningScope.parse(scopeText);
        Pruner once = new Pruner(PruningMethod.magnitude(), scope);
        List<MaskSet> seen = new ArrayList<>();
        Pruner stepped = new Pruner(magnitudeIn(7, seen), scope);
        MaskSet start = once.prune(VIEW, once.initialMasks(VIEW), 0.2).masks(); // not all kept at the start

        MaskSet expected = once.prune(VIEW, start, 0.9).masks();
        MaskSet actual = stepped.prune(VIEW, start, 0.9).masks();
        for (ParamKey key : expected.keys()) {
            assertThat(actual.get(key).countPruned()).as(key.toString()).isEqualTo(expected.get(key).countPruned());
        }
        if (scope.ranking() == PruningScope.Ranking.LAYERWISE) {
            assertThat(actual).isEqualTo(expected); // magnitude re-scored is magnitude: the same weights go
        }
        assertThat(seen).hasSize(7);
        assertThat(seen.get(0)).isEqualTo(start);
        seen.add(actual);
        for (int k = 1; k < seen.size(); k++) {
            seen.get(k - 1).checkShrinksTo(seen.get(k));
            assertThat(seen.get(k).sparsity().fractionRemaining())
                    .isLessThan(seen.get(k - 1).sparsity().fractionRemaining());
        }
    }

    @Test
    void stepsFollowTheExponentialSchedule() {
        List<MaskSet> seen = new ArrayList<>();
        Pruner pruner = new Pruner(magnitudeIn(4, seen), PruningScope.global());
        MaskSet last = pruner.prune(VIEW, pruner.initialMasks(VIEW), 0.9).masks();
        seen.add(last);
        long all = 192 + 128 + 24;
        for (int k = 1; k <= 4; k++) { // after step k: round(344 x 0.1^(k/4)) kept, the last exactly 344 - round(0.9 x 344)
            long kept = k == 4 ? all - Math.round(0.9 * all) : Math.round(all * Math.pow(0.1, k / 4.0));
            MaskSet after = seen.get(k);
            long actual = after.keys().stream().mapToLong(key -> after.get(key).countKept()).sum();
            assertThat(actual).as("after step " + k).isEqualTo(kept);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerwise", "global"})
    void synflowInAHundredStepsIsExactAndFast(String scopeText) {
        PruningScope scope = PruningScope.parse(scopeText);
        Pruner once = new Pruner(PruningMethod.magnitude(), scope);
        Pruner synflow = new Pruner(PruningMethod.synflow(), scope);
        MaskSet start = synflow.initialMasks(VIEW);
        MaskSet masks = assertTimeoutPreemptively(Duration.ofSeconds(8), () -> synflow.prune(VIEW, start, 0.97).masks());
        if (scope.ranking() == PruningScope.Ranking.LAYERWISE) {
            MaskSet expected = once.prune(VIEW, start, 0.97).masks();
            for (ParamKey key : expected.keys()) {
                assertThat(masks.get(key).countPruned()).as(key.toString()).isEqualTo(expected.get(key).countPruned());
            }
            assertThat(masks.get(ParamKey.of("dense0", "W")).countPruned()).isEqualTo(Math.round(0.97 * 192));
        } else { // one ranking: the total is exact, its split between layers is SynFlow's
            assertThat(masks.sparsity().fractionRemaining()).isEqualTo((344 - Math.round(0.97 * 344)) / 344.0);
        }
    }

    @Test
    void aStepThatRemovesNothingIsNotPrepared() {
        List<MaskSet> seen = new ArrayList<>();
        Pruner pruner = new Pruner(magnitudeIn(100, seen), PruningScope.layerwise());
        MaskSet start = pruner.initialMasks(VIEW);
        assertThat(pruner.prune(VIEW, start, 0.0).masks()).isEqualTo(start);
        assertThat(seen).isEmpty();
        pruner.prune(VIEW, start, 0.1); // 19, 13 and 2 weights: fewer steps than 100 remove any
        assertThat(seen.size()).isBetween(1, 99);
    }
}

package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;

/** {@link PruningMethod#parse} and {@code describe()} of every built-in method, and inverted scores. */
class MethodTextTest {

    @Test
    void everyDescriptionParsesBackToAnEqualMethod() {
        List<PruningMethod> methods = List.of(PruningMethod.magnitude(), PruningMethod.random(-3), PruningMethod.snip(100),
                PruningMethod.snip(7), PruningMethod.grasp(64), PruningMethod.synflow(), PruningMethod.synflow(5),
                PruningMethod.snip(8).inverted(), PruningMethod.magnitude().inverted().inverted(),
                PruningMethod.synflow(3).inverted());
        for (PruningMethod m : methods) {
            PruningMethod parsed = PruningMethod.parse(m.describe());
            assertThat(parsed.describe()).isEqualTo(m.describe());
            assertThat(parsed).isEqualTo(m);
        }
        assertThat(methods.stream().map(PruningMethod::describe).toList()).containsExactly("magnitude", "random(seed=-3)",
                "snip(batch=100)", "snip(batch=7)", "grasp(batch=64)", "synflow(iterations=100)", "synflow(iterations=5)",
                "inverted(snip(batch=8))", "inverted(inverted(magnitude))", "inverted(synflow(iterations=3))");
    }

    @Test
    void anyCaseAndSpacingAndTheDefaults() {
        assertThat(PruningMethod.parse("snip")).isEqualTo(PruningMethod.snip(100));
        assertThat(PruningMethod.parse(" GraSP ")).isEqualTo(PruningMethod.grasp(100));
        assertThat(PruningMethod.parse("SynFlow")).isEqualTo(PruningMethod.synflow(100));
        assertThat(PruningMethod.parse(" Inverted ( SNIP ( Batch = 12 ) ) ").describe()).isEqualTo("inverted(snip(batch=12))");
        assertThat(PruningMethod.parse("synflow(iterations = 20)").iterations()).isEqualTo(20);
        assertThat(PruningMethod.parse("inverted(synflow)").iterations()).isEqualTo(100);
        assertThat(PruningMethod.parse("inverted(grasp)").needsTrainingData()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"snap", "snip(batch=x)", "snip(seed=3)", "inverted(snap)", "inverted()", "synflow(iterations=)", ""})
    void badTextListsTheAcceptedForms(String text) {
        assertThatThrownBy(() -> PruningMethod.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a pruning method: '" + text + "'; expected magnitude, random(seed=N), snip, snip(batch=N), "
                        + "grasp, grasp(batch=N), synflow, synflow(iterations=N) or inverted(METHOD) of one of them");
    }

    @Test
    void aBatchOrIterationCountBelowOneIsNamed() {
        assertThatThrownBy(() -> PruningMethod.parse("grasp(batch=0)")).hasMessage("grasp batch must be at least 1, got 0");
        assertThatThrownBy(() -> PruningMethod.parse("synflow(iterations=-2)"))
                .hasMessage("synflow iterations must be at least 1, got -2");
    }

    @Test
    void invertedPrunesTheComplementOfTheRanking() {
        NetworkView view = NetworkView.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 5));
        PruningMethod snip = PruningMethod.snip(30).withTrainingData(Nets.dataSet(60, 2), 3);
        Pruner straight = new Pruner(snip, PruningScope.layerwise());
        Pruner inverted = new Pruner(snip.inverted(), PruningScope.layerwise());
        MaskSet start = straight.initialMasks(view);
        // half of each parameter's (even) count: the inverted method removes exactly what SNIP keeps
        MaskSet a = straight.prune(view, start, 0.5).masks();
        MaskSet b = inverted.prune(view, start, 0.5).masks();
        for (ParamKey key : a.keys()) {
            boolean[] kept = a.get(key).toBooleans();
            boolean[] complement = new boolean[kept.length];
            for (int i = 0; i < kept.length; i++) {
                complement[i] = !kept[i];
            }
            assertThat(b.get(key)).as(key.toString()).isEqualTo(Mask.of(a.get(key).shape(), complement));
        }
        assertThat(snip.inverted().describe()).isEqualTo("inverted(snip(batch=30))");
    }

    @Test
    void invertedMagnitudeRemovesTheLargestWeights() {
        NetworkView view = NetworkView.of(Nets.mlp(Nets.Kind.MULTI_LAYER, 5));
        Pruner pruner = new Pruner(PruningMethod.magnitude().inverted(), PruningScope.global());
        MaskSet masks = pruner.prune(view, pruner.initialMasks(view), 0.25).masks();
        float maxKept = 0;
        float minPruned = Float.MAX_VALUE;
        for (ParamKey key : masks.keys()) {
            float[] w = view.read(view.param(key).orElseThrow());
            for (int i = 0; i < w.length; i++) {
                if (masks.get(key).isKept(i)) {
                    maxKept = Math.max(maxKept, Math.abs(w[i]));
                } else {
                    minPruned = Math.min(minPruned, Math.abs(w[i]));
                }
            }
        }
        assertThat(minPruned).isGreaterThanOrEqualTo(maxKept);
        assertThat(masks.sparsity().fractionRemaining()).isEqualTo((344 - Math.round(0.25 * 344)) / 344.0);
    }
}

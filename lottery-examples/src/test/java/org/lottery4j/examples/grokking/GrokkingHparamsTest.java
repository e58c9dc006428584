package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.Sha256;

class GrokkingHparamsTest {

    @Test
    void theDefaultsAreTheRunThatGroksAndTheirCanonicalFormNamesTheFolder() {
        GrokkingHparams hp = GrokkingHparams.DEFAULTS;
        assertThat(hp.canonical()).isEmpty(); // the defaults: nothing away from them
        assertThat(hp.fields()).containsEntry("grokking.p", "97").containsEntry("grokking.weightDecay", "1.0")
                .containsEntry("grokking.width", "500").containsEntry("grokking.seed", "1");
        GrokkingHparams control = hp.toBuilder().weightDecay(0).steps(6000).build();
        assertThat(control.canonical()).isEqualTo("grokking.steps=6000\ngrokking.weightDecay=0.0");
        String sha = Sha256.hex(hp.canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(hp.folderName()).isEqualTo("grokking_" + sha.substring(0, 10));
        assertThat(hp.describe()).startsWith("Grokking run " + hp.folderName()).contains("grokking.weightDecay", "1.0");
    }

    @Test
    void everyFieldChangesTheHash() {
        GrokkingHparams d = GrokkingHparams.DEFAULTS;
        List<GrokkingHparams> variants = List.of(d, d.toBuilder().p(89).build(),
                d.toBuilder().operation(ModularArithmetic.Operation.SUBTRACT).build(),
                d.toBuilder().trainFraction(0.3).build(), d.toBuilder().model(GrokkingModel.EMBED_RELU).build(),
                d.toBuilder().width(400).build(), d.toBuilder().learningRate(1e-3).build(),
                d.toBuilder().weightDecay(0).build(), d.toBuilder().steps(100).build(), d.toBuilder().seed(2).build());
        Set<String> hashes = new HashSet<>();
        variants.forEach(v -> hashes.add(v.hash()));
        assertThat(hashes).hasSize(variants.size());
    }

    @Test
    void trainingFractionWidthAndLearningRateFollowTheModelUnlessSet() {
        GrokkingHparams embed = GrokkingHparams.builder().model(GrokkingModel.EMBED_RELU).build();
        assertThat(embed.width()).isEqualTo(512);
        assertThat(embed.learningRate()).isEqualTo(3e-3);
        assertThat(embed.trainFraction()).isEqualTo(0.35);
        assertThat(GrokkingHparams.DEFAULTS.trainFraction()).isEqualTo(0.25);
        assertThat(GrokkingHparams.builder().model(GrokkingModel.EMBED_RELU).width(64).learningRate(0.01).build())
                .extracting(GrokkingHparams::width, GrokkingHparams::learningRate).containsExactly(64, 0.01);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> GrokkingHparams.builder().p(96).build()).hasMessageContaining("p must be a prime")
                .hasMessageContaining("96");
        assertThatThrownBy(() -> GrokkingHparams.builder().trainFraction(1.0).build())
                .hasMessageContaining("training fraction must be between 0 and 1");
        assertThatThrownBy(() -> GrokkingHparams.builder().weightDecay(-1).build())
                .hasMessage("grokking.weightDecay must be >= 0, got -1.0");
        assertThatThrownBy(() -> GrokkingHparams.builder().steps(0).build()).hasMessage("grokking.steps must be >= 1, got 0");
        assertThatThrownBy(() -> GrokkingHparams.builder().width(0).build()).hasMessage("grokking.width must be >= 1, got 0");
        assertThatThrownBy(() -> GrokkingHparams.builder().learningRate(Double.NaN).build())
                .hasMessage("grokking.learningRate must be > 0, got NaN");
    }
}

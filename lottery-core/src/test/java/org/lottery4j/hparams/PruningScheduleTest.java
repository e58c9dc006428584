package org.lottery4j.hparams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PruningScheduleTest {

    @Test
    void everyFormReadsBackFromItsDescription() {
        for (String text : new String[] {"iterative", "one-shot", "at-init", "early-bird(every=1ep,distance=0.1,window=5)",
                "early-bird(every=200it,distance=0.05,window=3)"}) {
            assertThat(PruningSchedule.parse(text).describe()).isEqualTo(text);
        }
        assertThat(PruningSchedule.parse(" At_Init ")).isEqualTo(PruningSchedule.atInit());
        assertThat(PruningSchedule.parse("Early-Bird")).isEqualTo(PruningSchedule.EarlyBird.DEFAULTS);
        assertThat(PruningSchedule.parse("early-bird(window = 2)"))
                .isEqualTo(new PruningSchedule.EarlyBird(Step.ofEpochs(1), 0.1, 2));
    }

    @Test
    void badTextNamesWhatIsWrong() {
        assertThatThrownBy(() -> PruningSchedule.parse("gradual")).hasMessage(
                "not a pruning schedule: 'gradual': expected iterative, one-shot, at-init or "
                        + "early-bird(every=1ep, distance=0.1, window=5)");
        assertThatThrownBy(() -> PruningSchedule.parse("early-bird(speed=3)"))
                .hasMessageContaining("unknown setting 'speed' (every, distance, window)");
        assertThatThrownBy(() -> PruningSchedule.parse("early-bird(distance=2)"))
                .hasMessageContaining("distance must be in [0, 1], got 2.0");
        assertThatThrownBy(() -> PruningSchedule.parse("early-bird(window=x)"))
                .hasMessageContaining("'x' is not a number for window");
    }

    @Test
    void theDefaultStaysOutOfTheHashAndOthersEnterIt() {
        Map<String, String> base = Map.of("dataset.name", "mnist-10k", "model.name", "lenet-300-100");
        ExperimentHparams plain = ExperimentHparams.fromFields(base);
        ExperimentHparams explicit = ExperimentHparams.fromFields(
                Map.of("dataset.name", "mnist-10k", "model.name", "lenet-300-100", "pruning.schedule", "Iterative"));
        ExperimentHparams atInit = ExperimentHparams.fromFields(
                Map.of("dataset.name", "mnist-10k", "model.name", "lenet-300-100", "pruning.schedule", "at init"));
        assertThat(explicit.folderName()).isEqualTo(plain.folderName());
        assertThat(atInit.folderName()).isNotEqualTo(plain.folderName());
        assertThat(atInit.canonicalFields()).containsEntry("pruning.schedule", "at-init");
        assertThat(plain.fields()).containsEntry("pruning.schedule", "iterative");
    }

    @Test
    void pruningAtInitializationRewindsToInitialization() {
        assertThatThrownBy(() -> PruningHparams.builder().schedule("at-init").rewind("iteration:100").build())
                .hasMessage("pruning.rewind must be init when pruning.schedule is at-init (an untrained network has "
                        + "no later weights to rewind to), got iteration:100");
    }
}

package org.lottery4j.hparams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lottery4j.io.Json;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

class ExperimentHparamsTest {

    static ExperimentHparams lenet() {
        return new ExperimentHparams(
                new DatasetHparams("mnist-10k", 60, 1000),
                new ModelHparams("lenet-300-100"),
                new TrainingHparams("adam", 1.2e-3, 0, Step.parse("10ep"), Step.parse("1ep"), 0, 42),
                new PruningHparams("magnitude", 0.2, "layerwise fractions={output=0.1}", 12, "init"),
                List.of());
    }

    @Test
    void stepsParseAndConvert() {
        assertThat(Step.parse("160ep")).isEqualTo(Step.ofEpochs(160));
        assertThat(Step.parse(" 500it ")).isEqualTo(Step.ofIterations(500));
        assertThat(Step.parse("10ep").toIterations(117)).isEqualTo(1170);
        assertThat(Step.parse("500it").toIterations(117)).isEqualTo(500);
        assertThat(Step.parse("10ep")).hasToString("10ep");
        assertThatThrownBy(() -> Step.parse("10")).hasMessageContaining("not a step: '10'; expected a count");
        assertThatThrownBy(() -> Step.parse("xep")).hasMessageContaining("not a step: 'xep'");
        assertThatThrownBy(() -> Step.parse("0it")).hasMessageContaining("at least 1, got 0");
    }

    @Test
    void theCanonicalFormIsSortedAndLeavesOutDefaults() {
        assertThat(lenet().canonical()).isEqualTo(String.join("\n",
                "dataset.name=mnist-10k",
                "dataset.validationExamples=1000",
                "model.name=lenet-300-100",
                "pruning.rounds=12",
                "pruning.scope=layerwise fractions={output=0.1}",
                "training.budget=10ep",
                "training.learningRate=0.0012",
                "training.seed=42"));
    }

    @Test
    void theHashIsPinnedSoFolderNamesStayValid() {
        // changing this means every existing output folder is orphaned: add fields with "no change" defaults instead
        assertThat(lenet().hash()).isEqualTo("6b050292db");
        assertThat(lenet().folderName()).isEqualTo("lottery_6b050292db");
    }

    @Test
    void controlsDoNotChangeTheHashButEverythingElseDoes() {
        ExperimentHparams base = lenet();
        assertThat(base.withControls(List.of("reinit", "random_pruning")).hash()).isEqualTo(base.hash());
        ExperimentHparams otherSeed = new ExperimentHparams(base.dataset(), base.model(),
                new TrainingHparams("adam", 1.2e-3, 0, Step.parse("10ep"), Step.parse("1ep"), 0, 43), base.pruning(),
                List.of());
        assertThat(otherSeed.hash()).isNotEqualTo(base.hash());
    }

    @Test
    void hparamsRoundTripThroughJson() throws Exception {
        ExperimentHparams hp = lenet().withControls(List.of("reinit"));
        String json = Json.MAPPER.writeValueAsString(hp);
        assertThat(json).contains("\"budget\" : \"10ep\"");
        assertThat(Json.MAPPER.readValue(json, ExperimentHparams.class)).isEqualTo(hp);
    }

    @Test
    void describeListsEveryField() {
        assertThat(lenet().describe()).startsWith("experiment lottery_6b050292db")
                .contains("training.optimizer", "adam", "pruning.rewind", "init", "controls", "none");
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> new DatasetHparams("mnist", 0, 10)).hasMessage("dataset.batchSize must be >= 1, got 0");
        assertThatThrownBy(() -> new TrainingHparams("adagrad", 1e-3, 0, Step.parse("1ep"), Step.parse("1ep"), 0, 1))
                .hasMessage("training.optimizer must be adam, sgd or momentum, got adagrad");
        assertThatThrownBy(() -> new TrainingHparams("adam", -1, 0, Step.parse("1ep"), Step.parse("1ep"), 0, 1))
                .hasMessage("training.learningRate must be > 0, got -1.0");
        assertThatThrownBy(() -> new PruningHparams("magnitude", 1.0, "layerwise", 3, "init"))
                .hasMessage("pruning.fraction must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new PruningHparams("magnitude", 0.2, "layerwise", 3, "late"))
                .hasMessageContaining("not a rewind point: 'late'");
        assertThatThrownBy(() -> lenet().withControls(List.of("shuffle")))
                .hasMessage("unknown control arm 'shuffle'; expected one of [reinit, random_pruning]");
    }

    @Test
    void theOptimizerBecomesADl4jUpdater() {
        assertThat(lenet().training().updater()).isEqualTo(new Adam(1.2e-3));
        assertThat(new TrainingHparams("momentum", 0.1, 0.9, Step.parse("1ep"), Step.parse("1ep"), 0, 1).updater())
                .isEqualTo(new Nesterovs(0.1, 0.9));
    }
}

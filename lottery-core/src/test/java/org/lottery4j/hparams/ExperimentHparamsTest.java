package org.lottery4j.hparams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.Momentum;
import org.lottery4j.internal.ScheduledLearningRate;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

class ExperimentHparamsTest {

    static ExperimentHparams lenet() {
        return lenet("10ep");
    }

    static ExperimentHparams lenet(String budget) {
        return ExperimentHparams.builder()
                .dataset(DatasetHparams.builder().name("mnist-10k").batchSize(60).validationExamples(1000).build())
                .model(new ModelHparams("lenet-300-100"))
                .training(TrainingHparams.builder().optimizer(Optimizer.ADAM).learningRate(1.2e-3)
                        .budget(Step.parse(budget)).evalEvery(Step.parse("1ep")).seed(42).build())
                .pruning(PruningHparams.builder().method(PruningMethod.magnitude()).fraction(0.2)
                        .scope(PruningScope.layerwise().withLayerFraction("output", 0.1)).rounds(12)
                        .rewind(RewindPoint.init()).build())
                .build();
    }

    @Test
    void everyTextFieldSetsFromItsKeyAndFieldsRoundTrip() {
        ExperimentHparams hp = lenet().toBuilder()
                .training(lenet().training().toBuilder().optimizer(Optimizer.NESTEROV).momentum(0.9)
                        .schedule("warmup(1ep)+cosine").weightDecay(5e-4).weightDecayStyle(WeightDecayStyle.L2)
                        .evalEvery("100it").build())
                .pruning(lenet().pruning().toBuilder().method("random(seed=3)").rewind("iteration:100").build())
                .controls(ControlArm.REINIT, ControlArm.RANDOM_PRUNING).build();
        Map<String, String> fields = new LinkedHashMap<>(hp.fields());
        fields.remove("pruning.strategy"); // code, not text

        assertThat(ExperimentHparams.fieldKeys()).containsExactlyElementsOf(fields.keySet());
        ExperimentHparams back = ExperimentHparams.fromFields(fields);
        assertThat(back.fields()).isEqualTo(hp.fields());
        assertThat(back.hash()).isEqualTo(hp.hash());
        assertThat(ExperimentHparams.fromFields(Map.of("dataset.name", "d", "model.name", "m", "controls", "none"))
                .controls()).isEmpty();
        assertThatThrownBy(() -> ExperimentHparams.fromFields(Map.of("dataset.size", "1")))
                .hasMessageStartingWith("unknown field 'dataset.size'; the fields are dataset.name, dataset.batchSize,");
        assertThatThrownBy(() -> ExperimentHparams.fromFields(Map.of("training.learningRate", "fast")))
                .hasMessage("training.learningRate: 'fast' is not a number");
        assertThatThrownBy(() -> ExperimentHparams.fromFields(Map.of("dataset.batchSize", "3000000000")))
                .hasMessage("dataset.batchSize: '3000000000' is not an integer");
        assertThatThrownBy(() -> ExperimentHparams.fromFields(Map.of("model.name", "m")))
                .hasMessage("dataset.name must not be empty");
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
    void theReadmeMainJobKeepsItsFolder() {
        // what mnist-lenet builds by default (README, RESULTS.md): its results live in out/lottery_55d01c73fe
        ExperimentHparams readme = lenet("8ep").withControls(List.of(ControlArm.REINIT, ControlArm.RANDOM_PRUNING));
        assertThat(readme.folderName()).isEqualTo("lottery_55d01c73fe");
    }

    @Test
    void equalExperimentsSpelledDifferentlyShareOneFolder() {
        ExperimentHparams canonical = lenet("8ep");
        ExperimentHparams spelled = ExperimentHparams.builder()
                .dataset(DatasetHparams.builder().name("mnist-10k").validationExamples(1000).build())
                .model(ModelHparams.builder().name("lenet-300-100").build())
                .training(TrainingHparams.builder().optimizer(" Adam ").learningRate(0.00120).budget("8 EP")
                        .evalEvery("1ep").seed(42).schedule(" Constant ").weightDecayStyle(WeightDecayStyle.parse("Decoupled"))
                        .build())
                .pruning(PruningHparams.builder().method("Magnitude").scope("LAYERWISE   fractions = { output = 0.10 }")
                        .rounds(12).rewind(" Init ").build())
                .controls(ControlArm.parse("Random-Pruning"), ControlArm.REINIT, ControlArm.REINIT)
                .build();
        assertThat(spelled.canonical()).isEqualTo(canonical.canonical());
        assertThat(spelled.hash()).isEqualTo("55d01c73fe");
        assertThat(spelled).isEqualTo(canonical.withControls(List.of(ControlArm.RANDOM_PRUNING, ControlArm.REINIT)));
        assertThat(spelled.controlNames()).containsExactly("random_pruning", "reinit");
    }

    @Test
    void newFieldsEnterTheCanonicalFormOnlyAwayFromTheirDefaults() {
        ExperimentHparams base = lenet();
        ExperimentHparams changed = base.toBuilder()
                .training(base.training().toBuilder().optimizer(Optimizer.NESTEROV).momentum(0.9)
                        .schedule("warmup(1ep)+step(milestones=[8ep,4ep],factor=0.1)")
                        .weightDecay(5e-4).weightDecayStyle(WeightDecayStyle.L2).build())
                .pruning(base.pruning().toBuilder().rewind(RewindPoint.lrRewind()).method(PruningMethod.random(3)).build())
                .build();
        assertThat(changed.canonical()).isEqualTo(String.join("\n",
                "dataset.name=mnist-10k",
                "dataset.validationExamples=1000",
                "model.name=lenet-300-100",
                "pruning.method=random(seed=3)",
                "pruning.rewind=lr-rewind",
                "pruning.rounds=12",
                "pruning.scope=layerwise fractions={output=0.1}",
                "training.budget=10ep",
                "training.learningRate=0.0012",
                "training.momentum=0.9",
                "training.optimizer=nesterov",
                "training.schedule=warmup(1ep)+step(milestones=[4ep,8ep],factor=0.1)",
                "training.seed=42",
                "training.weightDecay=5.0E-4",
                "training.weightDecayStyle=l2"));
        assertThat(changed.fields()).containsEntry("training.weightDecayStyle", "l2")
                .containsEntry("pruning.method", "random(seed=3)");
        assertThat(base.fields()).containsEntry("training.schedule", "constant")
                .containsEntry("training.weightDecayStyle", "decoupled");
    }

    @Test
    void controlsDoNotChangeTheHashButEverythingElseDoes() {
        ExperimentHparams base = lenet();
        assertThat(base.withControls(List.of(ControlArm.REINIT, ControlArm.RANDOM_PRUNING)).hash()).isEqualTo(base.hash());
        ExperimentHparams otherSeed = base.toBuilder().training(base.training().toBuilder().seed(43).build()).build();
        assertThat(otherSeed.hash()).isNotEqualTo(base.hash());
        ExperimentHparams cosine = base.toBuilder().training(base.training().toBuilder().schedule("cosine").build()).build();
        assertThat(cosine.hash()).isNotEqualTo(base.hash());
    }

    @Test
    void hparamsRoundTripThroughJsonAsCanonicalText() throws Exception {
        ExperimentHparams hp = lenet().toBuilder()
                .training(lenet().training().toBuilder().optimizer(Optimizer.MOMENTUM).momentum(0.9)
                        .schedule("warmup(500it)+cosine").weightDecay(1e-4).weightDecayStyle(WeightDecayStyle.L2).build())
                .pruning(lenet().pruning().toBuilder().method(PruningMethod.random(7)).scope("global exclude=[#0]")
                        .rewind("iteration:500").build())
                .controls(ControlArm.REINIT)
                .build();
        String json = Json.writer().writeValueAsString(hp);
        assertThat(json).contains("\"budget\" : \"10ep\"", "\"optimizer\" : \"momentum\"",
                "\"schedule\" : \"warmup(500it)+cosine\"", "\"weightDecayStyle\" : \"l2\"", "\"method\" : \"random(seed=7)\"",
                "\"scope\" : \"global exclude=[#0]\"", "\"rewind\" : \"iteration:500\"", "\"controls\" : [ \"reinit\" ]");
        ExperimentHparams back = Json.reader().forType(ExperimentHparams.class).readValue(json);
        assertThat(back).isEqualTo(hp);
        assertThat(back.hash()).isEqualTo(hp.hash());
    }

    @Test
    void anHparamsFileWrittenBeforeTheNewFieldsReadsAsTheSameExperiment() throws Exception {
        String old = """
                {"dataset":{"name":"mnist-10k","batchSize":60,"validationExamples":1000},
                 "model":{"name":"lenet-300-100"},
                 "training":{"optimizer":"adam","learningRate":0.0012,"momentum":0.0,"budget":"8ep","evalEvery":"1ep",
                             "weightDecay":0.0,"seed":42},
                 "pruning":{"method":"magnitude","fraction":0.2,"scope":"layerwise fractions={output=0.1}","rounds":12,
                            "rewind":"init"},
                 "controls":["random_pruning","reinit"]}""";
        ExperimentHparams read = Json.reader().forType(ExperimentHparams.class).readValue(old);
        assertThat(read.hash()).isEqualTo("55d01c73fe");
        assertThat(read.training().schedule()).isEqualTo(LearningRateSchedule.constant());
        assertThat(read.training().weightDecayStyle()).isEqualTo(WeightDecayStyle.DECOUPLED);
        assertThat(read.dataset().augment()).isEqualTo("none");
    }

    @Test
    void describeListsEveryField() {
        assertThat(lenet().describe()).startsWith("experiment lottery_6b050292db")
                .contains("training.optimizer", "adam", "pruning.rewind", "init", "controls", "none");
    }

    @Test
    void badValuesAreRejectedNamingTheFieldAndTheAllowedValues() {
        assertThatThrownBy(() -> DatasetHparams.builder().name("mnist").batchSize(0).build())
                .hasMessage("dataset.batchSize must be >= 1, got 0");
        assertThatThrownBy(() -> DatasetHparams.builder().build()).hasMessage("dataset.name must not be empty");
        assertThatThrownBy(() -> TrainingHparams.builder().optimizer("adagrad"))
                .hasMessage("training.optimizer: 'adagrad' is not one of sgd, momentum, nesterov, adam");
        assertThatThrownBy(() -> TrainingHparams.builder().learningRate(-1).build())
                .hasMessage("training.learningRate must be > 0, got -1.0");
        assertThatThrownBy(() -> TrainingHparams.builder().budget("8 epochs"))
                .hasMessage("training.budget: not a step: '8 epochs'; expected a count followed by ep (epochs) or it "
                        + "(iterations), such as 10ep or 500it");
        assertThatThrownBy(() -> WeightDecayStyle.parse("l1"))
                .hasMessage("training.weightDecayStyle: 'l1' is not one of decoupled, l2");
        assertThatThrownBy(() -> PruningHparams.builder().fraction(1.0).build())
                .hasMessage("pruning.fraction must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> PruningHparams.builder().rewind("late"))
                .hasMessage("pruning.rewind: not a rewind point: 'late'; expected init, iteration:K, fine-tune, "
                        + "random-reinit:SEED or lr-rewind");
        assertThatThrownBy(() -> PruningHparams.builder().method("largest"))
                .hasMessage("pruning.method: not a pruning method: 'largest'; expected magnitude, random(seed=N), snip, "
                        + "snip(batch=N), grasp, grasp(batch=N), synflow, synflow(iterations=N) or inverted(METHOD) of one of them");
        assertThatThrownBy(() -> PruningHparams.builder().scope("layer-wise"))
                .hasMessageStartingWith("pruning.scope: not a pruning scope: 'layer-wise'; expected layerwise or global");
        assertThatThrownBy(() -> ControlArm.parse("shuffle"))
                .hasMessage("controls: 'shuffle' is not one of reinit, random_pruning, inverted, stability");
        assertThatThrownBy(() -> ExperimentHparams.builder().dataset(DatasetHparams.builder().name("d").build()).build())
                .hasMessage("dataset, model, training and pruning hyperparameters must all be set");
    }

    @Test
    void theOptimizerBecomesADl4jUpdater() {
        assertThat(lenet().training().updater(117)).isEqualTo(new Adam(1.2e-3));
        TrainingHparams t = TrainingHparams.builder().learningRate(0.1).momentum(0.9).budget("10it").build();
        assertThat(t.toBuilder().optimizer(Optimizer.NESTEROV).build().updater(117)).isEqualTo(new Nesterovs(0.1, 0.9));
        assertThat(t.toBuilder().optimizer(Optimizer.MOMENTUM).build().updater(117)).isEqualTo(new Momentum(0.1, 0.9));
        assertThat(t.toBuilder().optimizer(Optimizer.SGD).build().updater(117)).isEqualTo(new Sgd(0.1));
        // a schedule: the iterations are resolved with the epoch length
        TrainingHparams stepped = t.toBuilder().optimizer(Optimizer.SGD).budget("3ep")
                .schedule("step(milestones=[2ep],factor=0.5)").build();
        assertThat(stepped.updater(100)).isEqualTo(new Sgd(ScheduledLearningRate.of(0.1, 0, new long[] {200}, 0.5, false, 300)));
        assertThat(stepped.updater(100).getLearningRate(199, 0)).isEqualTo(0.1);
        assertThat(stepped.updater(100).getLearningRate(200, 0)).isEqualTo(0.05);
    }

    @Test
    void weightDecayBecomesDecoupledDecayOrL2() {
        TrainingHparams t = TrainingHparams.builder().weightDecay(5e-4).build();
        assertThat(t.regularization()).containsExactly(new WeightDecay(5e-4, true));
        assertThat(t.toBuilder().weightDecayStyle(WeightDecayStyle.L2).build().regularization())
                .containsExactly(new L2Regularization(5e-4));
        assertThat(TrainingHparams.DEFAULTS.regularization()).isEmpty();
    }

    @Test
    void settingsThatChangeNothingDoNotChangeTheFolder() {
        ExperimentHparams base = lenet();
        ExperimentHparams adamWithMomentum = base.toBuilder()
                .training(base.training().toBuilder().momentum(0.9).build()).build();
        ExperimentHparams l2WithoutDecay = base.toBuilder()
                .training(base.training().toBuilder().weightDecayStyle(WeightDecayStyle.L2).build()).build();
        assertThat(adamWithMomentum.hash()).isEqualTo(base.hash());
        assertThat(l2WithoutDecay.hash()).isEqualTo(base.hash());
        // the values themselves are kept: a builder that switches to momentum still has 0.9
        assertThat(adamWithMomentum.training().toBuilder().optimizer(Optimizer.NESTEROV).build().updater(117))
                .isEqualTo(new Nesterovs(1.2e-3, 0.9));
        ExperimentHparams nesterov = base.toBuilder()
                .training(base.training().toBuilder().optimizer(Optimizer.NESTEROV).momentum(0.9).build()).build();
        assertThat(nesterov.canonical()).contains("training.momentum=0.9");
    }

    @Test
    void anAugmentationEntersTheHashOnlyWhenOneIsNamed() throws Exception {
        ExperimentHparams readme = lenet("8ep").withControls(List.of(ControlArm.REINIT, ControlArm.RANDOM_PRUNING));
        ExperimentHparams none = readme.toBuilder().dataset(readme.dataset().toBuilder().augment(" None ").build()).build();
        assertThat(none.hash()).isEqualTo("55d01c73fe");
        assertThat(none.fields()).containsEntry("dataset.augment", "none");
        ExperimentHparams cropFlip = readme.toBuilder()
                .dataset(readme.dataset().toBuilder().augment("Crop-Flip").build()).build();
        assertThat(cropFlip.canonical()).startsWith("dataset.augment=crop-flip\ndataset.name=mnist-10k\n");
        assertThat(cropFlip.hash()).isNotEqualTo("55d01c73fe");
        Map<String, String> fields = new LinkedHashMap<>(cropFlip.fields());
        fields.remove("pruning.strategy"); // code, not text
        assertThat(ExperimentHparams.fromFields(fields)).isEqualTo(cropFlip);
        assertThat((ExperimentHparams) Json.reader().forType(ExperimentHparams.class).readValue(Json.writer().writeValueAsString(cropFlip)))
                .isEqualTo(cropFlip);
        assertThatThrownBy(() -> DatasetHparams.builder().name("x").augment("crop+flip").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset.augment: 'crop+flip' is not a name of lower-case letters, digits and dashes, "
                        + "such as none or crop-flip");
    }
}

package org.lottery4j.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.export.FloatType;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.NmHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.OnnxInitializers;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamKey;
import org.lottery4j.results.NmResult;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.testing.Nets;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.ticket.LotteryTicket;

class NmExperimentTest {

    @TempDir
    Path dir;

    /** 2:4 on the 12-16-8-3 MLP: 30 dense iterations, 20 of fine-tuning, F16 files. */
    static NmHparams hparams() {
        return NmHparams.builder()
                .dataset(new DatasetHparams("synthetic", 12, 0))
                .model(new ModelHparams("mlp-12-16-8-3"))
                .training(TrainingHparams.builder().learningRate(1e-2).budget("30it").evalEvery("10it").seed(3).build())
                .fineTune(Step.parse("20it"))
                .dtype(FloatType.F16)
                .build();
    }

    @Test
    void theCanonicalFormAndFolderArePinned() {
        NmHparams hp = hparams();
        assertThat(hp.canonical()).isEqualTo(String.join("\n",
                "dataset.batchSize=12", "dataset.name=synthetic", "model.name=mlp-12-16-8-3", "nm.dtype=F16",
                "nm.fineTune=20it", "training.budget=30it", "training.evalEvery=10it", "training.learningRate=0.01",
                "training.seed=3"));
        assertThat(hp.folderName()).isEqualTo("2to4_mlp-12-16-8-3_" + hp.hash()).matches("2to4_mlp-12-16-8-3_[0-9a-f]{10}");
        // equal experiments built differently share a folder; a changed field names another
        assertThat(hp.toBuilder().pattern("2:4").build().hash()).isEqualTo(hp.hash());
        assertThat(hp.toBuilder().pattern("1:4").build().folderName()).startsWith("1to4_").doesNotEndWith(hp.hash());
        assertThat(hp.toBuilder().dtype(FloatType.BF16).build().hash()).isNotEqualTo(hp.hash());
        assertThat(hp.toBuilder().fineTune(null).build().hash()).isNotEqualTo(hp.hash());
        assertThat(hp.fields()).containsEntry("nm.pattern", "2:4").containsEntry("nm.ticket", "none")
                .containsEntry("dataset.validationExamples", "0");
    }

    @Test
    void badHyperparametersAreRejectedNamingTheField() {
        assertThatThrownBy(() -> hparams().toBuilder().pattern("4:4").build())
                .hasMessageStartingWith("nm.pattern: not an N:M pattern: 4:4");
        assertThatThrownBy(() -> hparams().toBuilder().ticketSha256("abc").build())
                .hasMessage("nm.ticket must be a SHA-256 of 64 lower-case hex digits, got 'abc'");
        assertThatThrownBy(() -> hparams().toBuilder().ticketAsSaved().build())
                .hasMessage("nm.ticketAsSaved needs a starting ticket (nm.ticket)");
        assertThatThrownBy(() -> new NmExperiment(hparams(), dir.resolve("t.zip"), new SyntheticWorkload(), dir))
                .hasMessage("a ticket file was given but the hyperparameters name none: build them with .ticket(file)");
    }

    @Test
    void runsEveryPhaseAndChecksTheNetworkAndEveryFile() throws IOException {
        NmHparams hp = hparams();
        NmExperiment experiment = new NmExperiment(hp, new SyntheticWorkload(), dir);
        NmResult r = experiment.run();
        Path folder = dir.resolve(hp.folderName());
        assertThat(experiment.folder()).isEqualTo(folder);

        assertThat(r.passed()).isTrue();
        assertThat(r.checks()).containsOnlyKeys("network: pruned weights are exact zeros", "network: 2:4",
                "weights.safetensors: 2:4", "weights-2to4.safetensors: 2:4",
                "weights-2to4.safetensors: decodes to weights.safetensors", "model.onnx: 2:4");
        assertThat(r.checks()).allSatisfy((k, v) -> assertThat(v).as(k).isTrue());
        assertThat(r.files()).containsExactly("model.onnx", "weights.safetensors", "weights-2to4.safetensors", "ticket.zip");
        for (String f : List.of("hparams.json", "pretrained.zip", "pretrained.json", "ticket.zip", "fine_tuned.json",
                "model.onnx", "weights.safetensors", "weights-2to4.safetensors", "results.json")) {
            assertThat(folder.resolve(f)).as(f).isNotEmptyFile();
        }
        // 12, 16 and 8 inputs: every weight is in a 2:4 group
        assertThat(r.prunableWeights()).isEqualTo(192 + 128 + 24);
        assertThat(r.weightsRemaining()).isEqualTo((192 + 128 + 24) / 2);
        assertThat(r.skipped()).isEmpty();
        assertThat(r.trainExamples()).isEqualTo(300); // no validation split: every example trains
        assertThat(r.testExamples()).isEqualTo(200);
        assertThat(r.pretraining().iterations()).isEqualTo(30);
        assertThat(r.pretraining().curve()).extracting(p -> p.iteration()).containsExactly(0L, 10L, 20L, 30L);
        assertThat(r.pretraining().curve().get(3).validationLoss()).isNaN();
        assertThat(r.fineTuning().iterations()).isEqualTo(20);
        assertThat(r.denseAccuracy()).isEqualTo(r.pretraining().accuracyAfter()).isGreaterThan(0.5);
        assertThat(r.prunedAccuracy()).isEqualTo(r.fineTuning().accuracyBefore());
        assertThat(r.fineTunedAccuracy()).isEqualTo(r.fineTuning().curve().get(2).testAccuracy());
        assertThat(Json.read(folder.resolve("results.json"), NmResult.class)).isEqualTo(r);

        try (LotteryTicket t = LotteryTicket.load(folder.resolve("ticket.zip"))) {
            assertThat(t.view().iterationCount()).isEqualTo(20); // fine-tuned after pruning
            for (ParamKey key : t.masks().keys()) {
                Mask m = t.masks().get(key);
                float[] w = t.view().read(t.view().param(key).orElseThrow());
                assertThat(IntStream.range(0, w.length).filter(i -> !m.isKept(i) && w[i] != 0.0f).boxed().toList())
                        .as("pruned elements of %s that are not 0.0", key).isEmpty();
            }
            assertThat(t.sparsity().overall().pruned()).isEqualTo(172);
            assertThat(new NmChecker(NmPattern.TWO_FOUR).check(t.view()).satisfied()).isTrue();
        }
        for (String file : List.of("weights.safetensors", "weights-2to4.safetensors")) {
            SafetensorsFile st = SafetensorsFile.read(folder.resolve(file));
            NmReport report = st.checkPattern();
            assertThat(report.satisfied()).as(file).isTrue();
            assertThat(report.entries()).as(file).hasSize(3);
            assertThat(st.tensor("output.bias").dtype()).isEqualTo("F16");
        }
        Map<String, OnnxInitializers.Tensor> init = OnnxInitializers.read(folder.resolve("model.onnx"));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        init.forEach((k, v) -> shapes.put(k, v.dims()));
        NmReport onnx = new NmChecker(NmPattern.TWO_FOUR).checkTorch(shapes, k -> init.get(k).data());
        assertThat(onnx.satisfied()).isTrue();
        assertThat(onnx.entries()).hasSize(3);
    }

    @Test
    void eachPhaseResumesFromTheFileTheOneBeforeWrote() throws IOException {
        NmHparams hp = hparams();
        NmResult straight = new NmExperiment(hp, new SyntheticWorkload(), dir.resolve("straight")).run();

        Path out = dir.resolve("resumed");
        AtomicInteger iterations = new AtomicInteger();
        SyntheticWorkload counting = new SyntheticWorkload(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                iterations.incrementAndGet();
            }
        });
        NmExperiment experiment = new NmExperiment(hp, counting, out);
        experiment.run();
        assertThat(iterations.get()).isEqualTo(30); // the dense network is the workload's; fine-tuning loads a file
        Path folder = experiment.folder();

        // killed after the dense phase: only its ticket and record are left
        for (String f : List.of("ticket.zip", "fine_tuned.json", "model.onnx", "weights.safetensors",
                "weights-2to4.safetensors", "results.json")) {
            Files.delete(folder.resolve(f));
        }
        byte[] pretrained = Files.readAllBytes(folder.resolve("pretrained.zip"));
        NmResult resumed = experiment.run();
        assertThat(iterations.get()).as("the dense phase is not trained again").isEqualTo(30);
        assertThat(Files.readAllBytes(folder.resolve("pretrained.zip"))).isEqualTo(pretrained);
        assertSameResults(resumed, straight);
        assertSameNetwork(folder.resolve("ticket.zip"), dir.resolve("straight").resolve(hp.folderName()).resolve("ticket.zip"));

        // killed during the export: the tickets stay, the files are written and checked again
        byte[] ticket = Files.readAllBytes(folder.resolve("ticket.zip"));
        Files.delete(folder.resolve("results.json"));
        Files.delete(folder.resolve("weights-2to4.safetensors"));
        NmResult exported = experiment.run();
        assertThat(Files.readAllBytes(folder.resolve("ticket.zip"))).isEqualTo(ticket);
        assertThat(folder.resolve("weights-2to4.safetensors")).isNotEmptyFile();
        assertSameResults(exported, straight);

        // complete: run() returns the saved results; a missing file makes it export again
        assertThat(experiment.finished()).contains(exported);
        assertThat(experiment.run()).isEqualTo(exported);
        Files.delete(folder.resolve("model.onnx"));
        assertThat(experiment.finished()).isEmpty();
        assertSameResults(experiment.run(), straight);
        assertThat(iterations.get()).isEqualTo(30);
    }

    private static void assertSameResults(NmResult actual, NmResult expected) {
        assertThat(actual.denseAccuracy()).isEqualTo(expected.denseAccuracy());
        assertThat(actual.prunedAccuracy()).isEqualTo(expected.prunedAccuracy());
        assertThat(actual.fineTunedAccuracy()).isEqualTo(expected.fineTunedAccuracy());
        assertThat(actual.fineTuning().curve()).isEqualTo(expected.fineTuning().curve());
        assertThat(actual.checks()).isEqualTo(expected.checks());
        assertThat(actual.name()).isEqualTo(expected.name());
    }

    private static void assertSameNetwork(Path a, Path b) throws IOException {
        try (LotteryTicket x = LotteryTicket.load(a); LotteryTicket y = LotteryTicket.load(b)) {
            assertThat(Nets.params(x.network())).isEqualTo(Nets.params(y.network()));
            assertThat(x.masks()).isEqualTo(y.masks());
        }
    }

    @Test
    void aTicketEntersTheHashByItsContentNotItsPath() throws IOException {
        Path file = dir.resolve("ticket.zip");
        saveTicket(file, 0.4, 5);
        NmHparams base = hparams().toBuilder().model(new ModelHparams("ticket")).ticketAsSaved().ticketSha256(
                "0".repeat(64)).build();
        NmHparams first = base.toBuilder().ticket(file).build();
        assertThat(first.ticket()).isEqualTo(NmHparams.sha256(file)).hasSize(64);

        Path copy = dir.resolve("elsewhere").resolve("copy.zip");
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy);
        assertThat(base.toBuilder().ticket(copy).build().folderName()).isEqualTo(first.folderName());

        saveTicket(file, 0.5, 5); // another ticket at the same path
        NmHparams second = base.toBuilder().ticket(file).build();
        assertThat(second.ticket()).isNotEqualTo(first.ticket());
        assertThat(second.folderName()).isNotEqualTo(first.folderName());

        // hyperparameters made before the file changed: the run refuses it, naming both hashes
        assertThatThrownBy(() -> new NmExperiment(first, file, new SyntheticWorkload(), dir).run())
                .isInstanceOf(IOException.class)
                .hasMessage(file + " has changed since the hyperparameters were made: its SHA-256 is " + second.ticket()
                        + ", they name " + first.ticket() + "; build them again from the file");
    }

    @Test
    void aTicketComposesWithTheNmPattern() throws IOException {
        Path file = dir.resolve("sparser.zip");
        MaskSet ticketMasks = saveTicket(file, 0.4, 30);
        NmHparams hp = hparams().toBuilder().model(new ModelHparams("ticket")).pattern("1:4").dtype(FloatType.BF16)
                .ticket(file).ticketAsSaved().build();
        NmResult r = new NmExperiment(hp, file, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        assertThat(folder.getFileName().toString()).startsWith("1to4_ticket_");

        assertThat(r.passed()).isTrue();
        assertThat(r.pretraining().iterations()).isZero(); // pruned as saved
        assertThat(r.pretraining().curve()).isEmpty();
        assertThat(r.files()).containsExactly("model.onnx", "weights.safetensors", "ticket.zip");
        assertThat(folder.resolve("weights-2to4.safetensors")).doesNotExist(); // the compressed form is 2:4 only
        assertThat(SafetensorsFile.read(folder.resolve("weights.safetensors")).tensor("dense0.weight").dtype())
                .isEqualTo("BF16");
        try (LotteryTicket t = LotteryTicket.load(folder.resolve("ticket.zip"))) {
            for (ParamKey key : ticketMasks.keys()) {
                assertThat(ticketMasks.get(key).contains(t.masks().get(key))).as("%s stays within the ticket", key).isTrue();
            }
            assertThat(t.sparsity().fractionRemaining()).isLessThanOrEqualTo(0.25);
            assertThat(new NmChecker(new NmPattern(1, 4)).check(t.view()).satisfied()).isTrue();
        }
    }

    /** Trains the MLP {@code iterations} steps, prunes {@code fraction} by magnitude and saves the ticket. */
    private static MaskSet saveTicket(Path file, double fraction, int iterations) throws IOException {
        SyntheticWorkload workload = new SyntheticWorkload();
        NmHparams hp = hparams();
        Model net = workload.createNetwork(hp.workloadHparams());
        ExperimentData data = workload.loadData(hp.workloadHparams());
        try (LotteryTicket t = LotteryTicket.builder(net).build()) {
            for (int i = 0; i < iterations; i++) {
                org.lottery4j.internal.NetworkAdapter.of(net).fit(data.train());
            }
            t.prune(fraction);
            t.save(file);
            return t.masks();
        }
    }

    @Test
    void dataWithoutAValidationSplit() {
        ExperimentData all = ExperimentData.holdOut(Nets.dataSet(30, 1), Nets.dataSet(10, 2), 0, 7);
        assertThat(all.hasValidation()).isFalse();
        assertThat(all.validation()).isNull();
        assertThat(all.train().numExamples()).isEqualTo(30);
        assertThatThrownBy(() -> ExperimentData.holdOut(Nets.dataSet(30, 1), Nets.dataSet(10, 2), 30, 7))
                .hasMessage("the validation split must hold between 0 and 29 of the 30 training examples, got 30");
    }

    @Test
    void theLotteryExperimentNeedsAValidationSplit() {
        var hp = hparams().workloadHparams(); // validationExamples 0
        assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(), dir).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the lottery experiment finds the early-stopping iteration on a validation split, but the "
                        + "workload's data has none: set dataset.validationExamples above 0");
    }

    @Test
    void aLearningRateScheduleIsRefusedNamingTheField() {
        assertThatThrownBy(() -> hparams().toBuilder()
                .training(hparams().training().toBuilder().schedule("cosine").build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("training.schedule: N:M experiments train with a constant learning rate; 'cosine' is not "
                        + "supported here");
    }
}

package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.conv.ImageWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.NmExperiment;
import org.lottery4j.export.ExportFiles;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.NmHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.results.NmResult;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code export} on ResNet-20 tickets of every round, and a ResNet-20 2:4 ticket ({@code mnist-2to4 --model resnet20}), read by ONNX Runtime. */
class ExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void everyRoundOfAResNet20ExperimentExportsToOnnxThatOnnxRuntimeRunsAsDl4j() throws Exception {
        Path out = dir.resolve("resnet");
        Console.out(() -> assertThat(Main.run("cifar10", "--dataset", "mnist", "--model", "resnet20", "--subset", "50",
                "--test-subset", "20", "--validation", "10", "--batch", "10", "--epochs", "1", "--rounds", "2",
                "--controls", "none", "--workers", "1", "--out", out.toString())).isZero());
        Path run;
        try (Stream<Path> runs = Files.list(out)) {
            run = runs.filter(p -> p.getFileName().toString().startsWith("lottery_")).findFirst().orElseThrow();
        }
        List<Path> tickets = List.of(run.resolve("round-00/ticket.zip"), run.resolve("round-01/ticket.zip"),
                run.resolve("round-02/ticket.zip"));
        String printed = Console.out(() -> assertThat(Main.run(Stream.concat(Stream.of("export"),
                tickets.stream().map(Path::toString)).toArray(String[]::new))).isZero());

        INDArray x = Mnist.bundled().test().getFeatures().get(NDArrayIndex.interval(0, 16), NDArrayIndex.all()).dup();
        for (Path ticketFile : tickets) {
            Path folder = ticketFile.getParent();
            assertThat(printed).contains(ticketFile + ": ");
            try (LotteryTicket t = LotteryTicket.load(ticketFile)) {
                float[] dl4j = NetworkAdapter.of(t.network()).output(x).dup('c').reshape(-1).toFloatVector();
                float[] ort = OrtRun.output(folder.resolve(ExportFiles.ONNX), x);
                assertThat(ort).hasSameSizeAs(dl4j);
                for (int i = 0; i < dl4j.length; i++) {
                    assertThat((double) ort[i]).as("%s output %d", folder.getFileName(), i).isCloseTo(dl4j[i], within(1e-5));
                }
                // the exported weights hold exactly the ticket's zeros: as many as it pruned, layer by layer
                SafetensorsFile weights = SafetensorsFile.readChecked(folder.resolve(ExportFiles.WEIGHTS));
                t.sparsity().byLayer().forEach((layer, entry) -> {
                    float[] w = weights.floats(layer + ".weight");
                    long zeros = 0;
                    for (float v : w) {
                        zeros += v == 0f ? 1 : 0;
                    }
                    assertThat(zeros).as("%s %s zeros", folder.getFileName(), layer).isEqualTo(entry.pruned());
                    assertThat((long) w.length).isEqualTo(entry.total());
                });
            }
        }
        assertThat(tickets.get(2).getParent().resolve(ExportFiles.COMPRESSED)).doesNotExist();

        // magnitude pruning is not 2:4: refused naming the ticket and the pattern, leaving nothing behind
        Path no24 = dir.resolve("no24");
        String err = Console.err(() -> assertThat(Main.run("export", tickets.get(2).toString(), "--pattern", "2:4",
                "--out", no24.toString())).isEqualTo(1));
        assertThat(err).contains(tickets.get(2).toString(), "2:4").doesNotContain("\tat ");
        assertThat(no24).doesNotExist();
    }

    @Test
    void aResNet20TwoFourTicketIsReadByOnnxRuntimeWithTheReportedAccuracy() throws Exception {
        // what mnist-2to4 --model resnet20 runs, on 60 training and 200 test digits
        ImageWorkload digits = ImageWorkload.of(Mnist.bundled()).first(60, 200);
        NmHparams hp = NmHparams.builder()
                .dataset(new DatasetHparams(digits.datasetName(), 20, 0))
                .model(new ModelHparams(ImageModel.RESNET20.modelName()))
                .training(TrainingHparams.builder().learningRate(MnistSparseCommand.LEARNING_RATE)
                        .budget(Step.ofEpochs(1)).evalEvery(Step.ofEpochs(1)).seed(42).build())
                .pattern(NmPattern.TWO_FOUR)
                .fineTune(Step.ofEpochs(1))
                .build();
        NmResult r = new NmExperiment(hp, digits, dir.resolve("nm")).run();
        Path folder = dir.resolve("nm").resolve(r.name());
        assertThat(r.checks()).isNotEmpty().allSatisfy((check, ok) -> assertThat(ok).as(check).isTrue());
        assertThat(r.skipped()).extracting(s -> s.name()).containsExactly("conv1/W"); // one input channel: no groups of 4

        DataSet test = digits.test();
        float[] ort = OrtRun.output(folder.resolve("model.onnx"), test.getFeatures());
        int[] truth = test.getLabels().argMax(1).toIntVector();
        int correct = 0;
        for (int b = 0; b < truth.length; b++) {
            int best = 0;
            for (int j = 1; j < 10; j++) {
                best = ort[b * 10 + j] > ort[b * 10 + best] ? j : best;
            }
            correct += best == truth[b] ? 1 : 0;
        }
        assertThat((double) correct / truth.length).isEqualTo(r.fineTunedAccuracy());

        // the ticket exports again through the command, the compressed file decoding to the dense one
        Path again = dir.resolve("again");
        Console.out(() -> assertThat(Main.run("export", folder.resolve("ticket.zip").toString(), "--pattern", "2:4",
                "--out", again.toString())).isZero());
        SafetensorsFile dense = SafetensorsFile.readChecked(again.resolve(ExportFiles.WEIGHTS));
        SafetensorsFile compressed = SafetensorsFile.readChecked(again.resolve(ExportFiles.COMPRESSED));
        assertThat(compressed.compressedWeights()).containsKey("s3b3_conv2.weight").doesNotContainKey("conv1.weight");
        for (String w : compressed.compressedWeights().keySet()) {
            assertThat(compressed.decompress(w)).as(w).containsExactly(dense.floats(w));
        }
    }

    @Test
    void refusesWhatItCannotExportNamingIt() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a ticket");
        String err = Console.err(() -> assertThat(Main.run("export", text.toString())).isEqualTo(2));
        assertThat(err).contains(text.toString()).doesNotContain("\tat ");
        assertThat(dir.resolve(ExportFiles.ONNX)).doesNotExist();

        err = Console.err(() -> assertThat(Main.run("export", dir.resolve("missing.zip").toString())).isEqualTo(2));
        assertThat(err).contains("ticket " + dir.resolve("missing.zip") + " is not a file");

        err = Console.err(() -> assertThat(Main.run("export", text.toString(), text.toString(), "--out",
                dir.resolve("o").toString())).isEqualTo(2));
        assertThat(err).contains("--out takes the files of one ticket, but 2 are given");

        err = Console.err(() -> assertThat(Main.run("export", text.toString(), "--pattern", "3:2")).isEqualTo(2));
        assertThat(err).contains("--pattern");
    }
}

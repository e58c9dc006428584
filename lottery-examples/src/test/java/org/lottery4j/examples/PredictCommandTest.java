package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.conv.ImageShape;
import org.lottery4j.examples.conv.ResNet20;
import org.lottery4j.examples.mnist.LenetWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.examples.mnist.SmallConvNet;
import org.lottery4j.inference.SparseModel;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/** {@code predict} on tickets trained briefly on the bundled digits. */
class PredictCommandTest {

    @TempDir
    static Path dir;

    private static Path lenet;
    private static Path convnet;

    @BeforeAll
    static void saveTickets() throws IOException {
        DataSet train = Mnist.bundled().train();
        DataSet batch = new DataSet(train.getFeatures().get(NDArrayIndex.interval(0, 600), NDArrayIndex.all()),
                train.getLabels().get(NDArrayIndex.interval(0, 600), NDArrayIndex.all()));
        lenet = ticket(LenetWorkload.network(1, new Adam(1e-3)), batch, "lenet.zip");
        convnet = ticket(SmallConvNet.network(1, new Adam(1e-3)), batch, "convnet.zip");
    }

    // Trained a few steps, pruned to 10% of each layer (magnitude), trained again with the masks.
    private static Path ticket(MultiLayerNetwork net, DataSet batch, String name) throws IOException {
        LotteryTicket t = LotteryTicket.builder(net).method(PruningMethod.magnitude())
                .scope(PruningScope.layerwise()).build();
        for (int step = 0; step < 30; step++) {
            net.fit(batch);
        }
        t.prune(0.9);
        for (int step = 0; step < 20; step++) {
            net.fit(batch);
        }
        Path file = dir.resolve(name);
        t.save(file);
        t.close();
        return file;
    }

    @Test
    void printsAccuracyAgreementAndLatencyOfBothAndSavesTheSparseModel() throws IOException {
        Path saved = dir.resolve("lenet.sparse.safetensors");
        String out = Console.out(() -> assertThat(Main.run("predict", "--ticket", lenet.toString(), "--limit", "300",
                "--timing-calls", "3", "--save", saved.toString())).isZero());
        assertThat(out).contains("ticket: " + lenet + ", 26,620 of 266,200 weights kept (10.0%)",
                "test digits: 300 (mnist-10k)", "DL4J output() (dense)", "sparse model",
                "agreement: 300 of 300 predictions (100.00%)", "as fast as DL4J at batch 1",
                // 10% of each layer kept: sparse at batch 1 (dense from 25%) and at 64 (dense from 15%)
                "kernels of the layers with weights: batch 1, 3 sparse; batch 64, 3 sparse");
        String dense = line(out, "DL4J output() (dense)");
        String sparse = line(out, "sparse model  ");
        assertThat(accuracy(sparse)).isEqualTo(accuracy(dense)).isGreaterThan(30.0); // chance is 10%
        assertThat(SparseModel.load(saved).nonZeros()).isEqualTo(26_620);
    }

    @Test
    void aConvolutionalTicketRunsToo() {
        String out = Console.out(() -> assertThat(Main.run("predict", "--ticket", convnet.toString(), "--limit", "128",
                "--timing-calls", "2")).isZero());
        assertThat(out).contains("agreement: 128 of 128 predictions (100.00%)");
    }

    @Test
    void aResNet20TicketRunsAsASparseGraphThatAgreesWithDl4jOnEveryDigit() throws IOException {
        ComputationGraph resnet = ResNet20.network(ImageShape.MNIST, 3);
        ImageModel.RESNET20.paperTraining().applyTo(resnet, 1);
        DataSet train = Mnist.bundled().train();
        DataSet batch = new DataSet(train.getFeatures().get(NDArrayIndex.interval(0, 64), NDArrayIndex.all()),
                train.getLabels().get(NDArrayIndex.interval(0, 64), NDArrayIndex.all()));
        Path file = dir.resolve("resnet20.zip");
        try (LotteryTicket t = LotteryTicket.builder(resnet).method(PruningMethod.magnitude())
                .scope(ImageModel.RESNET20.paperPruning().scope()).build()) {
            for (int step = 0; step < 4; step++) {
                resnet.fit(batch); // batch normalization's running statistics move
            }
            t.prune(0.9);
            resnet.fit(batch);
            t.save(file);
        }
        Path saved = dir.resolve("resnet20.sparse.safetensors");
        String out = Console.out(() -> assertThat(Main.run("predict", "--ticket", file.toString(), "--limit", "128",
                "--timing-calls", "2", "--save", saved.toString())).isZero());
        assertThat(out).contains("agreement: 128 of 128 predictions (100.00%)");
        String alone = Console.out(() -> assertThat(Main.run("predict", "--model", saved.toString(), "--limit", "128",
                "--timing-calls", "2")).isZero());
        assertThat(accuracy(line(alone, "sparse model  "))).isEqualTo(accuracy(line(out, "sparse model  ")));
    }

    @Test
    void aSavedSparseModelRunsAloneAndIsNamedWhenGivenAsATicket() throws IOException {
        Path saved = dir.resolve("alone.sparse.safetensors");
        try (LotteryTicket t = LotteryTicket.load(lenet)) {
            SparseModel.of(t).save(saved);
        }
        String out = Console.out(() -> assertThat(Main.run("predict", "--model", saved.toString(), "--limit", "300",
                "--timing-calls", "3")).isZero());
        assertThat(out).contains("sparse model: " + saved + ", 26,620 of 266,200 weights kept (10.0%)",
                "test digits: 300 (mnist-10k)").doesNotContain("DL4J", "agreement");
        assertThat(accuracy(line(out, "sparse model  "))).isGreaterThan(30.0);

        assertThat(Console.err(() -> assertThat(Main.run("predict", "--ticket", saved.toString())).isEqualTo(2)))
                .contains("error: --ticket " + saved + " is a sparse model file, not a ticket: use --model " + saved);
        assertThat(Console.err(() -> assertThat(Main.run("predict", "--model", saved.toString(), "--save",
                dir.resolve("x").toString())).isEqualTo(2)))
                .contains("error: --save is for --ticket: --model " + saved + " is a sparse model file already");
        assertThat(Console.err(() -> assertThat(Main.run("predict", "--model", lenet.toString())).isEqualTo(1)))
                .startsWith("error: " + lenet + ": not a safetensors file: header length ");
        assertThat(Console.err(() -> assertThat(Main.run("predict")).isEqualTo(2)))
                .contains("Missing required argument (specify one of these): (--ticket=PATH | --model=PATH)");
    }

    @Test
    void aMissingTicketIsAValueError() {
        String err = Console.err(() -> assertThat(Main.run("predict", "--ticket", dir.resolve("none.zip").toString()))
                .isEqualTo(2));
        assertThat(err).contains("--ticket " + dir.resolve("none.zip") + " is not a file");
    }

    private static String line(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    private static double accuracy(String line) {
        return Double.parseDouble(line.replaceAll("^.*?\\s(\\d+\\.\\d+)%.*$", "$1"));
    }
}

package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.descent.DoubleDescentHparams;
import org.lottery4j.internal.Json;

class DoubleDescentCommandTest {

    @TempDir
    Path out;

    @Test
    void theLossOptimizerAndHiddenLayerOptionsReachTheSweepAndItsSavedHyperparameters() throws Exception {
        String[] args = {"double-descent", "--train-examples", "100", "--label-noise", "0.1", "--hidden", "random", "--loss",
                "mse", "--optimizer", "sgd", "--lr", "0.05", "--epochs", "2", "--widths", "4,8", "--seeds", "1",
                "--threads", "1", "--out", out.toString()};
        String printed = Console.out(() -> assertThat(Main.run(args)).isZero());
        DoubleDescentHparams hp = DoubleDescentHparams.builder().trainExamples(100).labelNoise(0.1)
                .hidden(DoubleDescentHparams.Hidden.RANDOM).loss(DoubleDescentHparams.Loss.SQUARED)
                .optimizer(org.lottery4j.hparams.Optimizer.SGD).learningRate(0.05).epochs(2).build();
        Path folder = out.resolve(hp.folderName());
        assertThat(printed).contains("doubleDescent.loss", "mse", "report: " + folder.resolve("index.html"));
        var saved = Json.reader().readTree(Files.readString(folder.resolve("hparams.json")));
        assertThat(saved.get("loss").asText()).isEqualTo("mse");
        assertThat(saved.get("optimizer").asText()).isEqualTo("sgd");
        assertThat(saved.get("hidden").asText()).isEqualTo("random");
        assertThat(Json.reader().treeToValue(saved, DoubleDescentHparams.class).canonical()).isEqualTo(hp.canonical());
        assertThat(Files.readString(folder.resolve("index.html"))).contains("random features: the hidden layer keeps its "
                + "initial weights", "the squared error of linear outputs against one-hot labels", "optimizer sgd at a constant 0.05");
    }

    @Test
    void badSettingsAreUsageErrorsNamingTheValue() {
        String err = Console.err(() -> assertThat(Main.run("double-descent", "--loss", "l1", "--out", out.toString()))
                .isEqualTo(2));
        assertThat(err).contains("doubleDescent.loss must be one of ce, mse, got 'l1'");
        err = Console.err(() -> assertThat(Main.run("double-descent", "--optimizer", "rmsprop", "--out", out.toString()))
                .isEqualTo(2));
        assertThat(err).contains("doubleDescent.optimizer must be one of sgd, momentum, nesterov, adam, got 'rmsprop'");
        err = Console.err(() -> assertThat(Main.run("double-descent", "--hidden", "frozen", "--out", out.toString()))
                .isEqualTo(2));
        assertThat(err).contains("doubleDescent.hidden must be one of trained, random, got 'frozen'");
        assertThat(out).isEmptyDirectory();
    }
}

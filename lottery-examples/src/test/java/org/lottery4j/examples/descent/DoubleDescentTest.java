package org.lottery4j.examples.descent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.mnist.LabelNoise;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.study.Summary;

class DoubleDescentTest {

    private static Mnist digits;

    @TempDir
    Path out;

    @BeforeAll
    static void load() throws IOException {
        digits = Mnist.bundled();
    }

    private static DoubleDescentHparams tiny(List<Integer> widths, List<Long> seeds) {
        return DoubleDescentHparams.builder().trainExamples(200).labelNoise(0.2).epochs(2).batchSize(50)
                .widths(widths).seeds(seeds).build();
    }

    @Test
    void theInterpolationThresholdIsWhereTheParametersEqualExamplesTimesClasses() {
        DoubleDescentHparams hp = DoubleDescentHparams.builder().build();
        assertThat(hp.interpolationParameters()).isEqualTo(20_000);
        assertThat(DoubleDescentHparams.parameters(64)).isEqualTo(WidthRun.network(hp, 64, 1).numParams())
                .isEqualTo(784 * 64 + 64 + 64 * 10 + 10);
        assertThat(DoubleDescentHparams.parameters((int) Math.floor(hp.interpolationWidth()))).isLessThan(20_000);
        assertThat(DoubleDescentHparams.parameters((int) Math.ceil(hp.interpolationWidth()))).isGreaterThan(20_000);
    }

    @Test
    void widthsAndSeedsAreNotHashedSoASweepCanGrow() {
        DoubleDescentHparams a = tiny(List.of(2, 8), List.of(1L));
        DoubleDescentHparams b = tiny(List.of(2, 4, 8), List.of(1L, 2L));
        assertThat(a.folderName()).isEqualTo(b.folderName()).startsWith("double-descent_");
        assertThat(a.folderName()).isNotEqualTo(DoubleDescentHparams.builder().trainExamples(200).labelNoise(0.1).epochs(2)
                .batchSize(50).widths(List.of(2)).build().folderName());
        // the fields away from their defaults (2,000 digits, 20% noise, 300 epochs of 128, lr 1e-3)
        assertThat(a.canonical()).isEqualTo(String.join("\n", "doubleDescent.batchSize=50", "doubleDescent.epochs=2",
                "doubleDescent.trainExamples=200"));
        assertThat(a.fields()).containsEntry("doubleDescent.widths", "[2, 8]").containsEntry("doubleDescent.seeds", "[1]");
        assertThat(b.widths()).containsExactly(2, 4, 8);
    }

    @Test
    void theLossOptimizerAndRandomFeaturesAreHashedOnlyAwayFromTheirDefaults() {
        DoubleDescentHparams plain = tiny(List.of(2), List.of(1L));
        DoubleDescentHparams spelled = DoubleDescentHparams.builder().trainExamples(200).labelNoise(0.2).epochs(2).batchSize(50)
                .widths(List.of(2)).seeds(List.of(1L)).hidden(DoubleDescentHparams.Hidden.TRAINED)
                .loss(DoubleDescentHparams.Loss.CROSS_ENTROPY).optimizer(org.lottery4j.hparams.Optimizer.ADAM).build();
        assertThat(spelled.folderName()).as("sweeps saved before these settings keep their folder")
                .isEqualTo(plain.folderName());
        DoubleDescentHparams rf = DoubleDescentHparams.builder().trainExamples(200).epochs(2).batchSize(50)
                .hidden(DoubleDescentHparams.Hidden.RANDOM).loss(DoubleDescentHparams.Loss.SQUARED)
                .optimizer(org.lottery4j.hparams.Optimizer.SGD).build();
        assertThat(rf.canonical()).isEqualTo(String.join("\n", "doubleDescent.batchSize=50", "doubleDescent.epochs=2",
                "doubleDescent.hidden=random", "doubleDescent.loss=mse", "doubleDescent.optimizer=sgd",
                "doubleDescent.trainExamples=200"));
        assertThat(rf.folderName()).isNotEqualTo(plain.folderName());
        // random features: only the output layer's 10 w + 10 parameters are trained, so the threshold is at width n - 1
        assertThat(rf.interpolationWidth()).isEqualTo(199.0);
        assertThat(rf.trainedParameters(199)).isEqualTo(rf.interpolationParameters()).isEqualTo(2000);
        assertThat(plain.trainedParameters(64)).isEqualTo(DoubleDescentHparams.parameters(64));
        assertThatThrownBy(() -> DoubleDescentHparams.Loss.of("l1")).hasMessage(
                "doubleDescent.loss must be one of ce, mse, got 'l1'");
        assertThatThrownBy(() -> DoubleDescentHparams.optimizer("Adam")).hasMessage(
                "doubleDescent.optimizer must be one of sgd, momentum, nesterov, adam, got 'Adam'");
        assertThatThrownBy(() -> DoubleDescentHparams.Hidden.of("frozen")).hasMessage(
                "doubleDescent.hidden must be one of trained, random, got 'frozen'");
    }

    @Test
    void randomFeaturesKeepTheHiddenWeightsBitForBitWhileTheLinearOutputLearnsTheSquaredLoss() {
        DoubleDescentHparams hp = DoubleDescentHparams.builder().trainExamples(200).labelNoise(0.2).epochs(3).batchSize(50)
                .hidden(DoubleDescentHparams.Hidden.RANDOM).loss(DoubleDescentHparams.Loss.SQUARED)
                .optimizer(org.lottery4j.hparams.Optimizer.SGD).learningRate(0.05).widths(List.of(16)).seeds(List.of(1L)).build();
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = WidthRun.network(hp, 16, 1);
        org.nd4j.linalg.api.ndarray.INDArray hidden = net.getLayer(0).params().dup();
        org.nd4j.linalg.api.ndarray.INDArray output = net.getLayer(1).params().dup();
        org.nd4j.linalg.dataset.DataSet data = WidthRun.trainingData(hp, digits, 1).data();
        double before = WidthRun.errorAndLoss(hp, net, data)[1];
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        assertThat(net.getLayer(0).params()).isEqualTo(hidden);
        assertThat(net.getLayer(1).params()).isNotEqualTo(output);
        // the squared loss, summed over the 10 linear outputs and averaged over the digits, by hand
        org.nd4j.linalg.api.ndarray.INDArray out = net.output(data.getFeatures());
        double sum = 0;
        for (int i = 0; i < 200; i++) {
            for (int c = 0; c < 10; c++) {
                double d = out.getDouble(i, c) - data.getLabels().getDouble(i, c);
                sum += d * d;
            }
        }
        double after = WidthRun.errorAndLoss(hp, net, data)[1];
        assertThat(after).isCloseTo(sum / 200, offset(1e-5)).isLessThan(before);
        assertThat(out.minNumber().doubleValue()).as("linear outputs, not a softmax").isNegative();
    }

    @Test
    void badSweepsAreNamed() {
        assertThatThrownBy(() -> tiny(List.of(8, 0), List.of(1L))).hasMessage(
                "doubleDescent.widths: every width must be >= 1, got 0");
        assertThatThrownBy(() -> tiny(List.of(8, 8), List.of(1L))).hasMessage(
                "doubleDescent.widths lists a width twice: [8, 8]");
        assertThatThrownBy(() -> DoubleDescentHparams.builder().labelNoise(1).build()).hasMessage(
                "doubleDescent.labelNoise must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> WidthRun.trainingData(DoubleDescentHparams.builder().trainExamples(9000).build(), digits, 1))
                .hasMessage("doubleDescent.trainExamples 9000 is more than the 8000 training digits of mnist-10k");
    }

    @Test
    void aRunTrainsOnExactlyTheNoisyLabelsOfItsSeed() {
        DoubleDescentHparams hp = tiny(List.of(4), List.of(1L));
        LabelNoise.Noisy a = WidthRun.trainingData(hp, digits, 1);
        assertThat(a.changed()).hasSize(40);
        assertThat(WidthRun.trainingData(hp, digits, 1).changed()).isEqualTo(a.changed());
        assertThat(WidthRun.trainingData(hp, digits, 2).changed()).isNotEqualTo(a.changed());
        WidthRun.Result r = WidthRun.train(hp, digits, 4, 1);
        assertThat(r).isEqualTo(new WidthRun.Result(4, 1, 3190, r.trainError(), r.trainLoss(), r.noisyFitted(),
                r.testError(), r.testLoss(), r.seconds(), r.curve()));
        assertThat(r.trainError()).isBetween(0.0, 1.0);
        assertThat(r.testLoss()).isPositive();
        WidthRun.Result again = WidthRun.train(hp, digits, 4, 1);
        assertThat(again.testError()).as("a seed fixes the run").isEqualTo(r.testError());
        assertThat(again.trainLoss()).isEqualTo(r.trainLoss());
        assertThat(again.curve()).isEqualTo(r.curve());
        // the epoch-wise curve: at initialization and after each epoch up to 10; its last point is the run's result
        assertThat(r.curve()).extracting(WidthRun.EpochPoint::epoch).containsExactly(0, 1, 2);
        assertThat(r.curve().get(2).testError()).isEqualTo(r.testError());
        assertThat(r.curve().get(2).trainError()).isEqualTo(r.trainError());
        assertThat(r.curve().get(0).testError()).isNotEqualTo(r.testError());
    }

    @Test
    void theSummaryFindsThePeakAndTheSecondDescentFromMeansAndIntervals() {
        DoubleDescentHparams hp = tiny(List.of(2, 8, 32, 128), List.of(1L, 2L));
        List<WidthRun.Result> runs = new ArrayList<>();
        double[][] test = {{0.30, 0.32}, {0.20, 0.22}, {0.40, 0.42}, {0.10, 0.12}};
        int[] widths = {2, 8, 32, 128};
        for (int w = 0; w < 4; w++) {
            for (int s = 0; s < 2; s++) {
                runs.add(new WidthRun.Result(widths[w], s + 1, DoubleDescentHparams.parameters(widths[w]), 0.1 * (3 - w), 0,
                        0.5, test[w][s], 0, 0, null));
            }
        }
        DoubleDescentSweep.Outcome o = DoubleDescentSweep.summarize(hp, runs);
        assertThat(o.peakWidth()).isEqualTo(32);
        assertThat(o.peakTestError()).isCloseTo(0.41, offset(1e-12));
        assertThat(o.bestBeforePeak()).isCloseTo(0.21, offset(1e-12));
        assertThat(o.bestAfterPeak()).isCloseTo(0.11, offset(1e-12));
        assertThat(o.widestTestError()).isCloseTo(0.11, offset(1e-12));
        // two seeds: intervals of +-0.127 around each mean; 0.11's reaches 0.237, below the peak's 0.283, but 0.21's
        // reaches 0.337: a second descent, the rise not clear of the intervals
        assertThat(o.secondDescent()).isTrue();
        assertThat(o.rise()).isFalse();
        assertThat(o.describe()).contains("peaks at width 32 (41.0%", "against 21.0% at best before it",
                "a second descent, but the rise to the peak is within the 95% intervals");
        // two seeds 0.40 and 0.42: sd = 0.01414..., t(0.975, 1) = 12.706: interval 0.41 -+ 0.127
        assertThat(o.widths().get(2).testError().ciLow()).isCloseTo(0.41 - 12.706 * 0.0141421356 / Math.sqrt(2),
                offset(1e-3));
        assertThat(o.interpolationParameters()).isEqualTo(2000);
        // monotone: the peak is the narrowest model, no first descent, so no second one
        double[][] falling = {{0.5, 0.5}, {0.4, 0.4}, {0.3, 0.3}, {0.2, 0.2}};
        List<WidthRun.Result> down = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            for (int s = 0; s < 2; s++) {
                down.add(new WidthRun.Result(widths[w], s + 1, 0, 0, 0, 0, falling[w][s], 0, 0, null));
            }
        }
        DoubleDescentSweep.Outcome d = DoubleDescentSweep.summarize(hp, down);
        assertThat(d.peakWidth()).isZero();
        assertThat(d.secondDescent()).isFalse();
        assertThat(d.describe()).isEqualTo("test error falls with width all the way, to 20.0% at the widest: no peak "
                + "(interpolation threshold at width 2.5).");
        assertThat(d.epochCurves()).as("runs without curves give none").isEmpty();
        // the classical U, then a peak and a fall, each clear of the intervals: double descent
        double[][] both = {{0.50, 0.51}, {0.20, 0.201}, {0.40, 0.401}, {0.10, 0.101}};
        List<WidthRun.Result> dd = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            for (int s = 0; s < 2; s++) {
                dd.add(new WidthRun.Result(widths[w], s + 1, 0, 0, 0, 0, both[w][s], 0, 0, null));
            }
        }
        DoubleDescentSweep.Outcome u = DoubleDescentSweep.summarize(hp, dd);
        assertThat(u.peakWidth()).as("the narrowest model's error is the classical regime, not the peak").isEqualTo(32);
        assertThat(u.rise()).isTrue();
        assertThat(u.secondDescent()).isTrue();
        assertThat(u.describe()).endsWith(": double descent (rise and second descent clear of the 95% intervals).");
    }

    @Test
    void epochWiseCurvesAverageTheSeedsAtEachEpochAndSayWhereTheErrorTurns() {
        DoubleDescentHparams hp = tiny(List.of(8, 32), List.of(1L, 2L));
        // width 32: falls to 0.20 at epoch 2, rises to 0.35 at epoch 5, ends at 0.25 (seed 2 one point higher each time)
        double[] seed1 = {0.90, 0.20, 0.35, 0.25};
        List<WidthRun.EpochPoint> c1 = new ArrayList<>();
        List<WidthRun.EpochPoint> c2 = new ArrayList<>();
        int[] epochs = {0, 2, 5, 10};
        for (int i = 0; i < 4; i++) {
            c1.add(new WidthRun.EpochPoint(epochs[i], 0.5, seed1[i]));
            c2.add(new WidthRun.EpochPoint(epochs[i], 0.3, seed1[i] + 0.01));
        }
        List<WidthRun.Result> runs = List.of(
                new WidthRun.Result(8, 1, 0, 0, 0, 0, 0.3, 0, 0, c1.subList(0, 3)),
                new WidthRun.Result(8, 2, 0, 0, 0, 0, 0.3, 0, 0, c2),
                new WidthRun.Result(32, 1, 0, 0, 0, 0, 0.25, 0, 0, c1),
                new WidthRun.Result(32, 2, 0, 0, 0, 0, 0.26, 0, 0, c2));
        DoubleDescentSweep.Outcome o = DoubleDescentSweep.summarize(hp, runs);
        assertThat(o.epochCurves()).as("width 8's seeds stopped at different epochs: no curve").hasSize(1);
        DoubleDescentSweep.EpochCurve c = o.epochCurves().get(0);
        assertThat(c.width()).isEqualTo(32);
        assertThat(c.epochs()).containsExactly(0, 2, 5, 10);
        assertThat(c.testError().get(2).mean()).isCloseTo(0.355, offset(1e-12));
        assertThat(c.trainError().get(1).mean()).isCloseTo(0.4, offset(1e-12));
        assertThat(c.testError().get(1).n()).isEqualTo(2);
        assertThat(c.describe()).isEqualTo(
                "width 32: test error lowest at epoch 2 (20.5%), up to 35.5% at epoch 5, 25.5% at the end");
        assertThat(DoubleDescentSweep.shownCurves(o)).containsExactly(c);
        List<Summary.Estimate> rising = List.of(Summary.Estimate.of(0.9), Summary.Estimate.of(0.2), Summary.Estimate.of(0.3));
        assertThat(new DoubleDescentSweep.EpochCurve(4, List.of(0, 1, 2), rising, rising).describe()).isEqualTo(
                "width 4: test error lowest at epoch 1 (20.0%), then rising to 30.0% at the end");
        List<Summary.Estimate> falling = List.of(Summary.Estimate.of(0.9), Summary.Estimate.of(0.2));
        assertThat(new DoubleDescentSweep.EpochCurve(4, List.of(0, 1), falling, falling).describe()).isEqualTo(
                "width 4: test error lowest at epoch 1 (20.0%), at the end");
        // by epoch: 1%, 3%, 10%, 32% and 100% of 200 epochs, the nearest evaluated
        List<Integer> at = List.of(0, 1, 2, 7, 20, 60, 200);
        List<Summary.Estimate> errors = at.stream().map(e -> Summary.Estimate.of(e / 1000.0)).toList();
        org.lottery4j.report.Figure byEpoch = DoubleDescentSweep.widthsAtEpochs(List.of(
                new DoubleDescentSweep.EpochCurve(8, at, errors, errors),
                new DoubleDescentSweep.EpochCurve(32, at, errors, errors)));
        assertThat(byEpoch.panels().get(0).series()).extracting(org.lottery4j.report.Figure.Series::label)
                .containsExactly("after 2 epochs", "after 7 epochs", "after 20 epochs", "after 60 epochs", "after 200 epochs");
        assertThat(byEpoch.panels().get(0).series().get(1).x()).containsExactly(8, 32);
        assertThat(byEpoch.panels().get(0).series().get(1).y()).containsExactly(100 * 0.007, 100 * 0.007);
    }

    @Test
    void theSweepWritesItsFilesReusesFinishedRunsAndNamesADamagedOne() throws IOException {
        DoubleDescentHparams hp = tiny(List.of(2, 16), List.of(1L, 2L));
        List<String> log = new ArrayList<>();
        DoubleDescentSweep.Outcome o = DoubleDescentSweep.run(hp, digits, out, log::add);
        Path folder = out.resolve(hp.folderName());
        assertThat(log).hasSize(4);
        assertThat(o.widths()).hasSize(2);
        List<String> csv = Files.readAllLines(folder.resolve("summary.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("width,parameters,seeds,train_error,");
        assertThat(csv.get(1)).startsWith("2," + DoubleDescentHparams.parameters(2) + ",2,");
        assertThat(Files.readString(folder.resolve("index.html"))).contains("charts/double-descent.svg",
                "Errors by width (mean over seeds, 95% interval)", "charts/double-descent-epochs.svg", "Epoch-wise: width ",
                "charts/double-descent-by-epoch.svg");
        List<String> byEpoch = Files.readAllLines(folder.resolve("epochs.csv"));
        assertThat(byEpoch).hasSize(1 + 2 * 3); // epochs 0, 1 and 2 of widths 2 and 16
        assertThat(byEpoch.get(0)).isEqualTo("width,epoch,seeds,train_error,train_error_ci_low,train_error_ci_high,"
                + "test_error,test_error_ci_low,test_error_ci_high");
        assertThat(byEpoch.get(6)).startsWith("16,2,2,");
        assertThat(byEpoch.get(6).split(",")[6]).isEqualTo(csv.get(2).split(",")[6]); // the last epoch is the result
        assertThat(folder.resolve("charts/double-descent.png")).isRegularFile();
        Path run = DoubleDescentSweep.runFile(folder, 16, 2);
        long modified = Files.getLastModifiedTime(run).toMillis();
        DoubleDescentSweep.Outcome again = DoubleDescentSweep.run(hp, digits, out, s -> {});
        assertThat(again).isEqualTo(o);
        assertThat(Files.getLastModifiedTime(run).toMillis()).isEqualTo(modified);

        Files.writeString(run, "{\"width\": 16, \"se");
        assertThatThrownBy(() -> DoubleDescentSweep.run(hp, digits, out, s -> {})).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(run + ": is not valid JSON").hasMessageEndingWith("delete it to run that phase again");
        Files.writeString(run, "{\"width\": 16, \"seed\": 2}");
        assertThatThrownBy(() -> DoubleDescentSweep.run(hp, digits, out, s -> {})).isInstanceOf(FileFormatException.class)
                .hasMessage(run + ": has no 'sha256' field: it is damaged, or was written by a "
                        + "lottery4j from before run records were checksummed; delete it to run that phase again");
        // a valid record of another run, as a misplaced file would be
        org.lottery4j.internal.Json.writeChecked(run, java.util.Map.of("width", 8, "seed", 2));
        assertThatThrownBy(() -> DoubleDescentSweep.run(hp, digits, out, s -> {})).isInstanceOf(FileFormatException.class)
                .hasMessage(run + ": holds width 8 seed 2, not width 16 seed 2; delete it to run it again");
    }
}

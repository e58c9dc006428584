package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The measures of a short run against the same measures computed from the network directly. */
class FourierProgressTest {

    private static double[][] all(GrokkingModel model, MultiLayerNetwork net, ModularArithmetic.Split split) {
        INDArray train = model.logits(net, split.train().getFeatures());
        INDArray test = model.logits(net, split.test().getFeatures());
        double[][] a = train.toDoubleMatrix();
        double[][] b = test.toDoubleMatrix();
        double[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] keyOf(ModularArithmetic.Split split, int p, boolean subtract) {
        INDArray x = org.nd4j.linalg.factory.Nd4j.vstack(split.train().getFeatures(), split.test().getFeatures());
        int[] s = new int[(int) x.rows()];
        for (int i = 0; i < s.length; i++) {
            int a = x.getRow(i).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, p)).argMax().getInt(0);
            int b = x.getRow(i).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(p, 2 * p)).argMax().getInt(0);
            s[i] = subtract ? Math.floorMod(a - b, p) : (a + b) % p;
        }
        return s;
    }

    @Test
    void theRecordedMeasuresAreThoseOfTheNetworkAtEachPoint() {
        for (GrokkingModel model : GrokkingModel.values()) {
            for (ModularArithmetic.Operation op : List.of(ModularArithmetic.Operation.ADD,
                    ModularArithmetic.Operation.SUBTRACT)) {
                GrokkingHparams hp = GrokkingHparams.builder().p(11).operation(op).trainFraction(0.5).model(model)
                        .width(24).learningRate(0.01).steps(30).seed(4).build();
                MultiLayerNetwork net = hp.network();
                ModularArithmetic.Split split = hp.task().split();
                FourierProgress progress = new FourierProgress(hp, net, split);
                TrainingLoop.Result r = hp.training(net, split, progress.evaluator()).build().run();
                List<FourierPoint> points = progress.measure(r.curve());
                assertThat(points).extracting(FourierPoint::step)
                        .containsExactlyElementsOf(r.curve().stream().map(p -> p.iteration()).toList());
                // the last point, from the final network directly
                FourierMeasures fourier = new FourierMeasures(11);
                double[][] out = all(model, net, split);
                int[] keyOf = keyOf(split, 11, op == ModularArithmetic.Operation.SUBTRACT);
                int[] keys = fourier.keyFrequencies(fourier.outputEnergy(out, keyOf), FourierProgress.KEY_ENERGY);
                assertThat(progress.keys()).as("%s %s", model, op).containsExactly(keys);
                FourierMeasures.Components parts = fourier.components(out, keyOf, keys);
                int train = (int) split.train().getFeatures().rows();
                int[] trainKeys = java.util.Arrays.copyOfRange(keyOf, 0, train);
                int[] testKeys = java.util.Arrays.copyOfRange(keyOf, train, keyOf.length);
                double[][] trainOut = java.util.Arrays.copyOfRange(out, 0, train);
                double[][] testOut = java.util.Arrays.copyOfRange(out, train, out.length);
                int[] trainLabels = split.train().getLabels().argMax(1).toIntVector();
                int[] testLabels = split.test().getLabels().argMax(1).toIntVector();
                FourierPoint last = points.get(points.size() - 1);
                assertThat(last.restrictedTestLoss()).as("%s %s restricted", model, op)
                        .isCloseTo(model.logitLoss(parts.restricted(testKeys), testLabels), within(1e-6));
                assertThat(last.excludedTestLoss()).as("%s %s excluded test", model, op)
                        .isCloseTo(model.logitLoss(parts.excluded(testOut, testKeys), testLabels), within(1e-6));
                assertThat(last.excludedTrainLoss()).as("%s %s excluded train", model, op)
                        .isCloseTo(model.logitLoss(parts.excluded(trainOut, trainKeys), trainLabels), within(1e-6));
                FourierMeasures.Spectrum spectrum = fourier.spectrum(net.getLayer(0).getParam("W").toDoubleMatrix());
                assertThat(last.concentration()).isCloseTo(spectrum.concentration(), within(1e-12));
                assertThat(last.shares()).containsExactly(spectrum.shares(), within(1e-12));
            }
        }
    }

    @Test
    void multiplicationGetsTheSpectrumButNoLosses() {
        GrokkingHparams hp = GrokkingHparams.builder().p(11).operation(ModularArithmetic.Operation.MULTIPLY)
                .trainFraction(0.5).width(24).learningRate(0.01).steps(10).seed(4).build();
        MultiLayerNetwork net = hp.network();
        ModularArithmetic.Split split = hp.task().split();
        FourierProgress progress = new FourierProgress(hp, net, split);
        TrainingLoop.Result r = hp.training(net, split, progress.evaluator()).build().run();
        List<FourierPoint> points = progress.measure(r.curve());
        assertThat(points).allSatisfy(p -> {
            assertThat(p.restrictedTestLoss()).isNaN();
            assertThat(p.excludedTrainLoss()).isNaN();
            assertThat(p.concentration()).isBetween(0.0, 1.0);
        });
        assertThat(progress.keys()).isEmpty();
    }
}

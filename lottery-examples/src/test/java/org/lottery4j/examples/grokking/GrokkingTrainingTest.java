package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class GrokkingTrainingTest {

    private static final ModularArithmetic.Split SPLIT =
            new ModularArithmetic(11, ModularArithmetic.Operation.ADD, 0.5, 1).split();

    @Test
    void recordsTheCurveOnItsCadenceWithTheDataLossAndNorm() {
        MultiLayerNetwork net = GrokkingModel.QUADRATIC.build(11, 32, 1e-2, 1.0, 3);
        GrokkingTraining.Result r = GrokkingTraining.train(net, GrokkingModel.QUADRATIC, SPLIT, 40, new LogCadence(10),
                p -> {}, false);
        List<Long> expected = new java.util.ArrayList<>(List.of(0L));
        expected.addAll(new LogCadence(10).steps(40));
        assertThat(r.curve()).extracting(CurvePoint::step).containsExactlyElementsOf(expected);
        CurvePoint last = r.curve().get(r.curve().size() - 1);
        // the data loss by hand: mean over pairs and outputs of the squared error, no weight decay term
        INDArray out = net.output(SPLIT.train().getFeatures());
        double sum = 0;
        for (int i = 0; i < out.length(); i++) {
            double d = out.getDouble(i) - SPLIT.train().getLabels().getDouble(i);
            sum += d * d;
        }
        assertThat(last.trainLoss()).isCloseTo(sum / out.length(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(last.weightNorm()).isCloseTo(net.params().norm2Number().doubleValue(),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(last.trainAccuracy()).as("40 full-batch steps memorize 60 pairs").isGreaterThan(r.curve().get(0).trainAccuracy());
        assertThat(r.phases().memorization().isPresent()).isEqualTo(
                r.curve().stream().anyMatch(p -> p.trainAccuracy() >= 0.99));
    }

    @Test
    void weightDecayShrinksTheWeightsAndTheSeedFixesTheRun() {
        double[] norms = new double[2];
        for (int k = 0; k < 2; k++) {
            MultiLayerNetwork net = GrokkingModel.QUADRATIC.build(11, 32, 1e-2, k == 0 ? 0 : 5.0, 3);
            norms[k] = GrokkingTraining.train(net, GrokkingModel.QUADRATIC, SPLIT, 30, new LogCadence(5), p -> {}, false)
                    .curve().get(7).weightNorm();
        }
        assertThat(norms[1]).isLessThan(norms[0]);
        List<CurvePoint> a = GrokkingTraining.train(GrokkingModel.QUADRATIC.build(11, 32, 1e-2, 1, 4), GrokkingModel.QUADRATIC,
                SPLIT, 12, new LogCadence(5), p -> {}, false).curve();
        List<CurvePoint> b = GrokkingTraining.train(GrokkingModel.QUADRATIC.build(11, 32, 1e-2, 1, 4), GrokkingModel.QUADRATIC,
                SPLIT, 12, new LogCadence(5), p -> {}, false).curve();
        assertThat(a).isEqualTo(b);
    }
}

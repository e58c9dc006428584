package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.training.Batches;
import org.lottery4j.training.Cadence;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.api.ndarray.INDArray;

class GrokkingEvaluatorTest {

    /** Full-batch training of the quadratic MLP for {@code steps}, recorded {@code perDecade} points a decade. */
    private static TrainingLoop.Result train(MultiLayerNetwork net, long steps, int perDecade) {
        return TrainingLoop.builder(net).batches(Batches.fullBatch(SPLIT.train())).iterations(steps)
                .evaluate(Cadence.logSpaced(perDecade), GrokkingModel.QUADRATIC.evaluator(net, SPLIT)).build().run();
    }

    private static final ModularArithmetic.Split SPLIT =
            new ModularArithmetic(11, ModularArithmetic.Operation.ADD, 0.5, 1).split();

    @Test
    void recordsTheCurveOnItsCadenceWithTheDataLossAndNorm() {
        MultiLayerNetwork net = GrokkingModel.QUADRATIC.build(11, 32, 1e-2, 1.0, 3);
        TrainingLoop.Result r = train(net, 40, 10);
        List<Long> expected = new java.util.ArrayList<>(List.of(0L));
        expected.addAll(Cadence.logSpacedSteps(10, 40));
        assertThat(r.curve()).extracting(CurvePoint::iteration).containsExactlyElementsOf(expected);
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
        assertThat(GrokkingPhases.of(r.curve()).memorization().isPresent()).isEqualTo(
                r.curve().stream().anyMatch(p -> p.trainAccuracy() >= 0.99));
    }

    @Test
    void weightDecayShrinksTheWeightsAndTheSeedFixesTheRun() {
        double[] norms = new double[2];
        for (int k = 0; k < 2; k++) {
            MultiLayerNetwork net = GrokkingModel.QUADRATIC.build(11, 32, 1e-2, k == 0 ? 0 : 5.0, 3);
            norms[k] = train(net, 30, 5).curve().get(7).weightNorm();
        }
        assertThat(norms[1]).isLessThan(norms[0]);
        List<CurvePoint> a = train(GrokkingModel.QUADRATIC.build(11, 32, 1e-2, 1, 4), 12, 5).curve();
        List<CurvePoint> b = train(GrokkingModel.QUADRATIC.build(11, 32, 1e-2, 1, 4), 12, 5).curve();
        assertThat(a).isEqualTo(b);
    }
}

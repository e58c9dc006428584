package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.training.Batches;
import org.lottery4j.training.Cadence;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.api.ndarray.INDArray;

class GrokkingModelTest {

    private static final ModularArithmetic.Split SPLIT =
            new ModularArithmetic(11, ModularArithmetic.Operation.MULTIPLY, 0.5, 2).split();

    /** Full-batch training recorded 20 points a decade, as the grokking runs record (40 there). */
    private static TrainingLoop.Builder train(MultiLayerNetwork net, GrokkingModel model, ModularArithmetic.Split split,
            long steps) {
        return TrainingLoop.builder(net).batches(Batches.fullBatch(split.train())).iterations(steps)
                .evaluate(Cadence.logSpaced(20), model.evaluator(net, split));
    }

    @Test
    void theEmbedReluModelTrainsAndReportsItsCrossEntropyWithoutWeightDecay() {
        MultiLayerNetwork net = GrokkingModel.EMBED_RELU.build(11, 48, 1e-2, 1.0, 5);
        assertThat(net.getLayerNames()).containsExactly("embedding", "hidden", "output");
        // embedding 22 x 128 without bias, hidden 128 x 48 + 48, output 48 x 11 + 11
        assertThat(net.numParams()).isEqualTo(22 * 128 + 128 * 48 + 48 + 48 * 11 + 11);
        TrainingLoop.Result r = train(net, GrokkingModel.EMBED_RELU, SPLIT, 25).build().run();
        CurvePoint first = r.curve().get(0);
        CurvePoint last = r.last();
        assertThat(last.iteration()).isEqualTo(25);
        assertThat(last.trainLoss()).isLessThan(first.trainLoss());
        // cross-entropy by hand: minus the mean log of the softmax output at each pair's label
        INDArray out = net.output(SPLIT.train().getFeatures());
        int[] labels = SPLIT.train().getLabels().argMax(1).toIntVector();
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(out.getDouble(i, labels[i]));
        }
        assertThat(last.trainLoss()).isCloseTo(sum / labels.length, offset(1e-5));
        // at initialization the softmax is near uniform: the loss is near log(11)
        assertThat(first.trainLoss()).isCloseTo(Math.log(11), offset(0.3));
    }

    @Test
    void theLossOfTheLogitsIsTheDataLossOfTheOutputs() {
        for (GrokkingModel model : GrokkingModel.values()) {
            MultiLayerNetwork net = model.build(11, 24, 1e-2, 1.0, 3);
            train(net, model, SPLIT, 10).build().run();
            INDArray x = SPLIT.test().getFeatures();
            INDArray logits = model.logits(net, x);
            int[] labels = SPLIT.test().getLabels().argMax(1).toIntVector();
            assertThat(model.logitLoss(logits.toDoubleMatrix(), labels)).as(model.text())
                    .isCloseTo(model.dataLoss(net.output(x), SPLIT.test().getLabels()), offset(1e-5));
            if (model == GrokkingModel.EMBED_RELU) { // the softmax of the logits is the network's output
                INDArray softmax = org.nd4j.linalg.factory.Nd4j.nn().softmax(logits, 1);
                assertThat(softmax.equalsWithEps(net.output(x), 1e-5)).isTrue();
            }
        }
    }

    @Test
    void theQuadraticModelHasNoBiasesAndTheSquareActivation() {
        MultiLayerNetwork net = GrokkingModel.QUADRATIC.build(11, 32, 1e-2, 1.0, 5);
        assertThat(net.numParams()).isEqualTo(22 * 32 + 32 * 11);
        assertThat(((org.deeplearning4j.nn.conf.layers.DenseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer())
                .getActivationFn()).isInstanceOf(ActivationSquare.class);
    }

    @Test
    void modelsAreNamedAsOnTheCommandLine() {
        assertThat(GrokkingModel.parse("Embed-ReLU")).isEqualTo(GrokkingModel.EMBED_RELU);
        assertThat(GrokkingModel.parse(" quadratic ")).isEqualTo(GrokkingModel.QUADRATIC);
        assertThatThrownBy(() -> GrokkingModel.parse("transformer")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model must be one of quadratic, embed-relu, got 'transformer'");
    }

    @Test
    void aRunStoppedOnceGeneralizedEndsAtItsFirstPointAt99Percent() {
        // p = 11 with 90% of the pairs generalizes within a hundred steps
        ModularArithmetic.Split split = new ModularArithmetic(11, ModularArithmetic.Operation.ADD, 0.9, 1).split();
        TrainingLoop.Result full = train(GrokkingModel.QUADRATIC.build(11, 64, 1e-2, 1.0, 1), GrokkingModel.QUADRATIC,
                split, 200).build().run();
        assertThat(GrokkingPhases.of(full.curve()).generalization()).as("this setting generalizes").isPresent();
        long at = GrokkingPhases.of(full.curve()).generalization().getAsLong();
        List<CurvePoint> seen = new java.util.ArrayList<>();
        TrainingLoop.Result stopped = train(GrokkingModel.QUADRATIC.build(11, 64, 1e-2, 1.0, 1), GrokkingModel.QUADRATIC,
                split, 200).onEvaluation(seen::add).stopWhen(GrokkingPhases::generalized).build().run();
        assertThat(at).isLessThan(200);
        assertThat(stopped.stoppedEarly()).isTrue();
        assertThat(stopped.last().iteration()).isEqualTo(at);
        assertThat(stopped.curve()).isEqualTo(full.curve().subList(0, stopped.curve().size()));
        assertThat(seen).isEqualTo(stopped.curve());
    }
}

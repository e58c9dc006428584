package org.lottery4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.lottery4j.experiment.Evaluation;
import org.lottery4j.hparams.Step;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TrainingLoopTest {

    private static final DataSet DATA = Nets.dataSet(20, 3);

    /** Records what each epoch gave the loop. */
    private static final class Recorded implements Batches {
        final Batches inner;
        final List<Integer> epochs = new ArrayList<>();
        final List<Long> limits = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();

        Recorded(Batches inner) {
            this.inner = inner;
        }

        @Override
        public Epoch epoch(int epoch, long limit) {
            epochs.add(epoch);
            limits.add(limit);
            Epoch e = inner.epoch(epoch, limit);
            return new Epoch() {
                @Override
                public boolean hasNext() {
                    return e.hasNext();
                }

                @Override
                public DataSet next() {
                    DataSet b = e.next();
                    sizes.add(b.numExamples());
                    return b;
                }

                @Override
                public void close() {
                    e.close();
                }
            };
        }

        @Override
        public long batchesPerEpoch() {
            return inner.batchesPerEpoch();
        }
    }

    private static TrainingLoop.Evaluator accuracy(Model net) {
        return it -> CurvePoint.at(it).withTest(Double.NaN, Evaluation.accuracy(net, DATA));
    }

    @Test
    void evaluatesOnItsCadenceAndCallsBackAfterEachStepAndEpoch() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        List<Long> steps = new ArrayList<>();
        List<Long> evaluated = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        Recorded batches = new Recorded(Batches.shuffled(DATA, 6, 7)); // 4 batches: 6, 6, 6, 2
        TrainingLoop loop = TrainingLoop.builder(net).batches(batches).budget(Step.parse("3ep"))
                .evaluate(Cadence.every(5), accuracy(net))
                .onStep(steps::add).onEvaluation(p -> evaluated.add(p.iteration())).onEpochEnd(epochs::add)
                .build();
        assertThat(loop.iterations()).isEqualTo(12);
        TrainingLoop.Result r = loop.run();

        assertThat(r.iterations()).isEqualTo(12);
        assertThat(r.stoppedEarly()).isFalse();
        assertThat(steps).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(r.curve()).extracting(CurvePoint::iteration).containsExactly(0L, 5L, 10L, 12L);
        assertThat(evaluated).containsExactly(0L, 5L, 10L, 12L);
        assertThat(epochs).containsExactly(0, 1, 2);
        assertThat(batches.limits).containsExactly(12L, 8L, 4L);
        assertThat(batches.sizes).containsExactly(6, 6, 6, 2, 6, 6, 6, 2, 6, 6, 6, 2);
        assertThat(r.trainSeconds()).isPositive().isLessThanOrEqualTo(r.wallSeconds());
    }

    @Test
    void theLastEpochIsCutAtTheBudget() {
        Model net = Nets.mlp(Nets.Kind.GRAPH, 1);
        Recorded batches = new Recorded(Batches.shuffled(DATA, 6, 7));
        TrainingLoop.Result r = TrainingLoop.builder(net).batches(batches).iterations(6).build().run();
        assertThat(r.iterations()).isEqualTo(6);
        assertThat(r.curve()).isEmpty(); // no evaluator
        assertThat(batches.limits).containsExactly(6L, 2L);
        assertThat(batches.sizes).containsExactly(6, 6, 6, 2, 6, 6);
    }

    @Test
    void stopsAfterTheFirstEvaluationThatMeetsTheCondition() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        TrainingLoop.Result r = TrainingLoop.builder(net).batches(Batches.fullBatch(DATA)).iterations(100)
                .evaluate(Cadence.every(3), accuracy(net)).stopWhen(p -> p.iteration() >= 6).build().run();
        assertThat(r.iterations()).isEqualTo(6);
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.last().iteration()).isEqualTo(6);
        assertThat(r.curve()).extracting(CurvePoint::iteration).containsExactly(0L, 3L, 6L);
    }

    @Test
    void fullBatchTrainsOnEveryExampleEachStep() {
        Recorded batches = new Recorded(Batches.fullBatch(DATA));
        TrainingLoop.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 1)).batches(batches).budget(Step.parse("3ep")).build().run();
        assertThat(batches.sizes).containsExactly(20, 20, 20);
        assertThat(batches.epochs).containsExactly(0, 1, 2);
    }

    @Test
    void theSameSeedsGiveTheSameWeightsBitForBit() {
        float[][] params = new float[2][];
        List<List<CurvePoint>> curves = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 4);
            curves.add(TrainingLoop.builder(net).batches(Batches.shuffled(DATA, 5, 11)).budget(Step.parse("4ep"))
                    .evaluate(Cadence.every(4), accuracy(net)).build().run().curve());
            params[run] = Nets.params(net);
        }
        assertThat(Nets.bits(params[1])).containsExactly(Nets.bits(params[0]));
        assertThat(curves.get(1)).isEqualTo(curves.get(0));
    }

    @Test
    void shuffledBatchesFollowTheSeededPermutationOfTheirEpoch() {
        try (Batches.Epoch e = Batches.shuffled(DATA, 8, 9).epoch(1, 10)) {
            int[] order = Batches.permutation(20, new Random(9 * 31 + 1));
            DataSet first = e.next();
            for (int i = 0; i < 8; i++) {
                assertThat(first.getFeatures().getRow(i)).isEqualTo(DATA.getFeatures().getRow(order[i]));
                assertThat(first.getLabels().getRow(i)).isEqualTo(DATA.getLabels().getRow(order[i]));
            }
            assertThat(e.next().numExamples()).isEqualTo(8);
            assertThat(e.next().numExamples()).isEqualTo(4);
            assertThat(e.hasNext()).isFalse();
        }
    }

    @Test
    void augmentationDrawsFromItsStreamInBatchOrder() {
        List<Double> drawn = new ArrayList<>();
        Batches b = Batches.shuffled(DATA, 8, 9).augmented((f, random) -> {
            double d = random.nextDouble();
            drawn.add(d);
            return f.add(d);
        }, new Random(5));
        List<DataSet> seen = new ArrayList<>();
        try (Batches.Epoch e = b.epoch(0, 3)) {
            e.forEachRemaining(seen::add);
        }
        Random expected = new Random(5);
        assertThat(drawn).containsExactly(expected.nextDouble(), expected.nextDouble(), expected.nextDouble());
        int[] order = Batches.permutation(20, new Random(9 * 31));
        assertThat(seen.get(1).getFeatures().getRow(0).sub(drawn.get(1)))
                .isEqualTo(DATA.getFeatures().getRow(order[8]));
        assertThatThrownBy(() -> Batches.fullBatch(DATA).augmented((f, r) -> f, new Random(1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aLoopNeedsBatchesAndABudget() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        assertThatThrownBy(() -> TrainingLoop.builder(net).iterations(3).build()).hasMessage("the batches must be set");
        assertThatThrownBy(() -> TrainingLoop.builder(net).batches(Batches.fullBatch(DATA)).build())
                .hasMessage("the budget must be set: iterations(n) or budget(Step)");
        assertThatThrownBy(() -> TrainingLoop.builder(net).batches(Batches.inOrder(DATA, 4, e -> new int[0]))
                .iterations(2).build().run()).hasMessage("epoch 0 has no batches to train on");
    }

    @Test
    void theOrderOfAnEpochIsNotAStreamAcrossEpochs() {
        // inOrder asks for each epoch's order once, in epoch order
        List<Integer> asked = new ArrayList<>();
        Batches b = Batches.inOrder(DATA, 10, epoch -> {
            asked.add(epoch);
            return Batches.permutation(20, new Random(epoch));
        });
        TrainingLoop.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 1)).batches(b).iterations(5).build().run();
        assertThat(asked).containsExactly(0, 1, 2);
        assertThat(DATA.getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).rows()).isEqualTo(1);
    }
}

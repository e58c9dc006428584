package org.lottery4j.experiment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.network.NetworkAdapter;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.TrainingRecord;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one arm of one round for the budget, evaluating at iteration 0, every {@code evalEvery}
 * iterations and at the end. The data order and ND4J's random generator are seeded from the
 * training seed, the round and the arm alone, so a round gives the same result whether the
 * experiment ran straight through or resumed from a checkpoint; so is the data's
 * {@link BatchAugmentation} of training batches (validation and test examples are never
 * augmented), from a generator of its own. Without a validation split the
 * curve's validation loss and accuracy are NaN. One thread at a time: its batch buffers are
 * reused by every arm it trains (an experiment's workers have a trainer each).
 */
final class Trainer {

    private final TrainingHparams training;
    private final int batchSize;
    private final ExperimentData data;
    private final Progress progress;
    private final ShuffledBatches shuffled; // one pair of native buffers for every arm and round it trains

    Trainer(ExperimentHparams hp, ExperimentData data, Progress progress) {
        this(hp.training(), hp.dataset().batchSize(), data, progress);
    }

    Trainer(TrainingHparams training, int batchSize, ExperimentData data, Progress progress) {
        this.training = training;
        this.batchSize = batchSize;
        this.data = data;
        this.progress = progress;
        this.shuffled = new ShuffledBatches(data.train());
    }

    long iterationsPerEpoch() {
        return (data.train().numExamples() + batchSize - 1) / batchSize;
    }

    long budget() {
        return training.budget().toIterations(iterationsPerEpoch());
    }

    TrainingRecord train(NetworkAdapter view, int round, String arm) {
        return train(view, round, arm, training.budget());
    }

    /** As {@link #train(NetworkAdapter, int, String)} for another budget (a fine-tuning phase). */
    TrainingRecord train(NetworkAdapter view, int round, String arm, Step budget) {
        long start = System.nanoTime();
        long total = budget.toIterations(iterationsPerEpoch());
        long evalEvery = training.evalEvery().toIterations(iterationsPerEpoch());
        long seed = seed(round, arm);
        Nd4j.getRandom().setSeed(seed);
        List<CurvePoint> curve = new ArrayList<>();
        curve.add(evaluate(view, round, arm, 0, total));
        int n = data.train().numExamples();
        // a stream apart from the data order's, so that augmenting leaves the order as it was
        Random augmentRandom = new Random(seed(round, arm + "/augment"));
        double trainSeconds = 0;
        long it = 0;
        for (int epoch = 0; it < total; epoch++) {
            int[] order = ExperimentData.shuffled(n, new Random(seed * 31 + epoch));
            List<DataSet> batches = shuffled.inOrder(order, batchSize);
            for (int b = 0; b < batches.size() && it < total; b++) {
                long t0 = System.nanoTime();
                view.fit(augmented(batches.get(b), augmentRandom));
                double dt = (System.nanoTime() - t0) / 1e9;
                trainSeconds += dt;
                progress.advance(1);
                it++;
                if (it % evalEvery == 0 || it == total) {
                    curve.add(evaluate(view, round, arm, it, total));
                }
            }
        }
        double trainAccuracy = Evaluation.accuracy(view, data.train());
        return TrainingRecord.of(total, curve, trainAccuracy, trainSeconds, (System.nanoTime() - start) / 1e9);
    }

    private DataSet augmented(DataSet batch, Random random) {
        BatchAugmentation augmentation = data.augmentation();
        return augmentation == null ? batch
                : new DataSet(augmentation.apply(batch.getFeatures(), random), batch.getLabels());
    }

    private CurvePoint evaluate(NetworkAdapter view, int round, String arm, long iteration, long total) {
        double loss = data.hasValidation() ? view.score(data.validation()) : Double.NaN;
        double valAcc = data.hasValidation() ? Evaluation.accuracy(view, data.validation()) : Double.NaN;
        double testAcc = Evaluation.accuracy(view, data.test());
        progress.evaluated(round, arm, iteration, total, loss, valAcc, testAcc);
        return new CurvePoint(iteration, loss, valAcc, testAcc);
    }

    private long seed(int round, String arm) {
        long h = training.seed();
        for (byte b : (round + "/" + arm).getBytes(StandardCharsets.UTF_8)) {
            h = h * 1_000_003 + b;
        }
        return h;
    }
}

package org.lottery4j.experiment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.network.NetworkAdapter;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.runtime.GarbageCollection;
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

    /** Batches prepared ahead of the one training. */
    static final int PREFETCH_BATCHES = 2;

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
            List<DataSet> epochBatches = shuffled.inOrder(order, batchSize);
            // only the batches that train: none is augmented in vain
            epochBatches = epochBatches.subList(0, (int) Math.min(epochBatches.size(), total - it));
            AsyncDataSetIterator batches = prefetched(epochBatches, augmentRandom);
            try {
                while (batches.hasNext() && it < total) {
                    DataSet batch = batches.next();
                    long t0 = System.nanoTime();
                    view.fit(batch);
                    double dt = (System.nanoTime() - t0) / 1e9;
                    trainSeconds += dt;
                    GarbageCollection.DEFAULT.tick(); // frees dead arrays' native memory (see there)
                    progress.advance(1);
                    it++;
                    if (it % evalEvery == 0 || it == total) {
                        curve.add(evaluate(view, round, arm, it, total));
                    }
                }
            } finally {
                batches.shutdown(); // before the next epoch overwrites the buffers these batches view
            }
        }
        double trainAccuracy = Evaluation.accuracy(view, data.train());
        return TrainingRecord.of(total, curve, trainAccuracy, trainSeconds, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The epoch's batches, augmented, through DL4J's asynchronous prefetching: a background thread
     * augments the next batches (and on a GPU moves them to the device) while the current one
     * trains. It takes the batches in order, so {@code random} draws for each the numbers it would
     * draw without prefetching, and results stay bit for bit the same.
     */
    private AsyncDataSetIterator prefetched(List<DataSet> batches, Random random) {
        ExistingDataSetIterator epoch = new ExistingDataSetIterator(batches);
        BatchAugmentation augmentation = data.augmentation();
        if (augmentation != null) {
            epoch.setPreProcessor(b -> b.setFeatures(augmentation.apply(b.getFeatures(), random)));
        }
        return new AsyncDataSetIterator(epoch, PREFETCH_BATCHES, false);
    }

    private CurvePoint evaluate(NetworkAdapter view, int round, String arm, long iteration, long total) {
        double loss = data.hasValidation() ? Evaluation.loss(view, data.validation()) : Double.NaN;
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

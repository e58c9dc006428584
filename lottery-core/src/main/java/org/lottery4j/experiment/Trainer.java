package org.lottery4j.experiment;

import java.util.Random;
import java.util.function.LongConsumer;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.training.Batches;
import org.lottery4j.training.Cadence;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one arm of one round for the budget, evaluating at iteration 0, every {@code evalEvery}
 * iterations and at the end. The data order and ND4J's random generator are seeded from the
 * training seed, the round and the arm alone, so a round gives the same result whether the
 * experiment ran straight through or resumed from a checkpoint; so is the data's
 * {@code BatchAugmentation} of training batches (validation and test examples are never
 * augmented), from a generator of its own. It trains through the {@link TrainingLoop}. Without a
 * validation split the curve's validation loss and accuracy are NaN.
 */
final class Trainer {

    private final TrainingHparams training;
    private final int batchSize;
    private final ExperimentData data;
    private final Progress progress;
    Trainer(ExperimentHparams hp, ExperimentData data, Progress progress) {
        this(hp.training(), hp.dataset().batchSize(), data, progress);
    }

    Trainer(TrainingHparams training, int batchSize, ExperimentData data, Progress progress) {
        this.training = training;
        this.batchSize = batchSize;
        this.data = data;
        this.progress = progress;
    }

    long iterationsPerEpoch() {
        return (data.train().numExamples() + batchSize - 1) / batchSize;
    }

    /** The examples rounds train on, unaugmented. */
    DataSet trainingData() {
        return data.train();
    }

    /** The examples accuracy is reported on. */
    DataSet testData() {
        return data.test();
    }

    /** How many examples {@code iterations} steps train on: whole epochs, then full batches. */
    long examples(long iterations) {
        long perEpoch = iterationsPerEpoch();
        return iterations / perEpoch * data.train().numExamples() + iterations % perEpoch * batchSize;
    }

    long budget() {
        return training.budget().toIterations(iterationsPerEpoch());
    }

    TrainingRecord train(NetworkAdapter view, int round, String arm) {
        return train(view, round, arm, training.budget());
    }

    /** As {@link #train(NetworkAdapter, int, String)} for another budget (a fine-tuning phase). */
    TrainingRecord train(NetworkAdapter view, int round, String arm, Step budget) {
        return train(view, round, arm, budget, it -> { });
    }

    /** As {@link #train(NetworkAdapter, int, String, Step)}, calling {@code afterStep} after every step. */
    TrainingRecord train(NetworkAdapter view, int round, String arm, Step budget, LongConsumer afterStep) {
        long start = System.nanoTime();
        long seed = Seeds.arm(training.seed(), round, arm);
        Nd4j.getRandom().setSeed(seed);
        Batches batches = Batches.shuffled(data.train(), batchSize, seed);
        if (data.augmentation() != null) {
            // a stream apart from the data order's, so that augmenting leaves the order as it was
            batches = batches.augmented(data.augmentation(), new Random(Seeds.augmentation(training.seed(), round, arm)));
        }
        long total = budget.toIterations(iterationsPerEpoch());
        TrainingLoop.Result r = TrainingLoop.builder(view.model())
                .batches(batches)
                .iterations(total)
                .evaluate(Cadence.every(training.evalEvery().toIterations(iterationsPerEpoch())),
                        it -> evaluate(view, round, arm, it, total))
                .onStep(it -> progress.advance(1))
                .onStep(afterStep)
                .build()
                .run();
        double trainAccuracy = Evaluation.accuracy(view, data.train());
        return TrainingRecord.of(total, r.curve(), trainAccuracy, r.trainSeconds(), (System.nanoTime() - start) / 1e9);
    }

    private CurvePoint evaluate(NetworkAdapter view, int round, String arm, long iteration, long total) {
        double loss = data.hasValidation() ? Evaluation.loss(view, data.validation()) : Double.NaN;
        double valAcc = data.hasValidation() ? Evaluation.accuracy(view, data.validation()) : Double.NaN;
        double testAcc = Evaluation.accuracy(view, data.test());
        progress.evaluated(round, arm, iteration, total, loss, valAcc, testAcc);
        return new CurvePoint(iteration, loss, valAcc, testAcc);
    }
}

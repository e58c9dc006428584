package org.lottery4j.prune;

import org.nd4j.linalg.dataset.DataSet;

/**
 * A method that scores from a batch of training examples (SNIP, GraSP): {@link #withTrainingData}
 * chooses {@code batch} of them with the seed, and {@link #prepare} fails without them.
 */
abstract class ScoredOnABatch extends ScoredInPrepare {

    final int batch;
    private final DataSet examples; // the chosen batch, or null before withTrainingData

    ScoredOnABatch(String name, int batch, DataSet examples) {
        if (batch < 1) {
            throw new IllegalArgumentException(name + " batch must be at least 1, got " + batch);
        }
        this.batch = batch;
        this.examples = examples;
    }

    /** This method scoring {@code chosen}. */
    abstract PruningMethod withBatch(DataSet chosen);

    @Override
    public final PruningMethod withTrainingData(DataSet train, long seed) {
        return withBatch(TrainingBatch.choose(train, batch, seed));
    }

    @Override
    public final boolean needsTrainingData() {
        return true;
    }

    /** The chosen batch; an error naming the method before {@link #withTrainingData}. */
    DataSet examples() {
        return TrainingBatch.require(examples, describe());
    }
}

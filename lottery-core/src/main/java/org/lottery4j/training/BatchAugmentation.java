package org.lottery4j.training;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A random change to each training batch's features (such as a random crop and flip of images),
 * which {@link org.lottery4j.experiment.ExperimentData#withAugmentation} attaches to the training set. The experiment
 * applies it to training batches only, never to validation or test examples, drawing from a
 * {@link Random} seeded by the training seed, the round and the arm: the same run gives the same
 * batches, and a resumed round the same result as one run straight through. It changes results, so
 * the hyperparameters name it in {@code dataset.augment} (the experiment refuses data that augments
 * when {@code dataset.augment} is {@code none}, and the reverse).
 *
 * <pre>{@code
 * BatchAugmentation shift = (features, random) -> features.add(0.01 * random.nextGaussian()); // a new array
 * ExperimentData data = ExperimentData.holdOut(train, test, 1000, seed).withAugmentation(shift);
 * }</pre>
 */
@FunctionalInterface
public interface BatchAugmentation {

    /**
     * New features for a batch ({@code [n, ...]}, labels unchanged), drawing only from
     * {@code random}. Must not write into {@code features} (a view of buffers the next batches
     * reuse), and may be called from several threads at once (an experiment's workers).
     */
    INDArray apply(INDArray features, Random random);
}

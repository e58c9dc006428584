package org.lottery4j.docs;

import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.testing.Nets;
import org.lottery4j.testing.SyntheticWorkload;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** Inputs the docs snippets leave to the reader ({@code train}, {@code workload}), for their tests. */
public final class DocsData {

    private DocsData() {}

    /** {@code n} random MNIST-shaped examples (784 features, 10 one-hot classes) in batches of {@code batch}. */
    public static DataSetIterator mnistShaped(int n, int batch, long seed) {
        return new ListDataSetIterator<>(mnistShapedDataSet(n, seed).asList(), batch);
    }

    /** {@code n} random MNIST-shaped examples (784 features, 10 one-hot classes). */
    public static DataSet mnistShapedDataSet(int n, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][784];
        float[][] y = new float[n][10];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 784; j++) {
                x[i][j] = random.nextFloat();
            }
            y[i][random.nextInt(10)] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /**
     * The tests' 12-16-8-3 MLP (its last layer is named {@code output}) with enough synthetic data
     * for the docs' validation split of 1,000 examples: 1,120 for training and validation (two
     * batches of 60 left to train on), 100 for testing.
     */
    public static final class Workload extends SyntheticWorkload {
        @Override
        public ExperimentData loadData(ExperimentHparams hp) {
            return ExperimentData.holdOut(Nets.dataSet(1120, 1), Nets.dataSet(100, 2),
                    hp.dataset().validationExamples(), hp.training().seed());
        }
    }
}

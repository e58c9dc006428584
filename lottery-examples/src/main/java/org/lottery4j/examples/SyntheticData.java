package org.lottery4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A classification problem that needs no download: Gaussian clusters, one per class, in a space
 * with more noise dimensions than signal ones, so that most weights of a network are prunable.
 *
 * <pre>{@code
 * SyntheticData data = new SyntheticData(40, 5, 42);
 * DataSetIterator train = data.iterator(4000, 50, 1);
 * }</pre>
 */
final class SyntheticData {

    private final int features;
    private final int classes;
    private final float[][] centers;

    SyntheticData(int features, int classes, long seed) {
        this.features = features;
        this.classes = classes;
        Random random = new Random(seed);
        centers = new float[classes][features];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < features / 4; j++) { // only a quarter of the features carry signal
                centers[c][j] = (float) (0.45 * random.nextGaussian());
            }
        }
    }

    int features() {
        return features;
    }

    int classes() {
        return classes;
    }

    /** {@code n} examples drawn with this seed (use different seeds for train and test). */
    DataSetIterator iterator(int n, int batch, long seed) {
        Random random = new Random(seed);
        List<DataSet> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(classes);
            float[] x = new float[features];
            for (int j = 0; j < features; j++) {
                x[j] = centers[label][j] + (float) random.nextGaussian();
            }
            float[] y = new float[classes];
            y[label] = 1;
            list.add(new DataSet(Nd4j.createFromArray(new float[][] {x}), Nd4j.createFromArray(new float[][] {y})));
        }
        return new ListDataSetIterator<>(list, batch);
    }
}

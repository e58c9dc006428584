package org.lottery4j.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cuts an in-memory data set into batches in a new order each epoch. The rows are gathered
 * natively into the same two buffers every time and each batch is a view of them: gathering a
 * batch at a time with {@code getRows}, or allocating fresh native buffers each epoch, costs more
 * than the gather itself by far (BENCHMARKS.md has the measurements).
 *
 * <p>The batches of one call are valid until the next call, which overwrites them.
 *
 * <pre>{@code
 * ShuffledBatches batches = new ShuffledBatches(train);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (DataSet b : batches.inOrder(Batches.permutation(train.numExamples(), random), 60)) {
 *         net.fit(b);
 *     }
 * }
 * }</pre>
 */
final class ShuffledBatches {

    private final DataSet source;
    private INDArray features;
    private INDArray labels;

    /** Batches of the rows of {@code source}'s features and labels. */
    public ShuffledBatches(DataSet source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The rows of the source in {@code order} (indices may repeat or leave rows out), cut into
     * batches of {@code batchSize}; the last batch may be smaller.
     */
    public List<DataSet> inOrder(int[] order, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int n = source.numExamples();
        for (int i : order) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("row " + i + " is out of range: the data set has " + n + " examples");
            }
        }
        if (order.length == 0) {
            return List.of();
        }
        if (features == null || features.rows() != order.length) {
            features = Nd4j.create(source.getFeatures().dataType(), order.length, source.getFeatures().columns());
            labels = Nd4j.create(source.getLabels().dataType(), order.length, source.getLabels().columns());
        }
        Nd4j.pullRows(source.getFeatures(), features, 1, order);
        Nd4j.pullRows(source.getLabels(), labels, 1, order);
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            INDArrayIndex rows = NDArrayIndex.interval(from, Math.min(order.length, from + batchSize));
            out.add(new DataSet(features.get(rows, NDArrayIndex.all()), labels.get(rows, NDArrayIndex.all())));
        }
        return out;
    }
}

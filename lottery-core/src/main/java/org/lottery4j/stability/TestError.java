package org.lottery4j.stability;

import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Accuracy and loss as {@code org.lottery4j.experiment.Evaluation} computes them, in the same
 * chunks, so a path's endpoints give the very numbers the experiment reports for the trained
 * networks. A copy rather than a call: the experiment package will call this one, and packages
 * do not call back up.
 */
final class TestError {

    /** Examples evaluated at once: Evaluation's chunk, on which the loss's rounding depends. */
    static final int CHUNK = 2000;

    private TestError() {}

    /** The fraction of {@code examples} whose highest output is the one-hot label's class. */
    static double accuracy(NetworkAdapter network, DataSet examples) {
        long correct = 0;
        int n = examples.numExamples();
        for (int from = 0; from < n; from += CHUNK) {
            INDArrayIndex rows = NDArrayIndex.interval(from, Math.min(n, from + CHUNK));
            INDArray output = network.output(examples.getFeatures().get(rows, NDArrayIndex.all()));
            INDArray labels = examples.getLabels().get(rows, NDArrayIndex.all());
            correct += output.argMax(1).eq(labels.argMax(1)).castTo(DataType.INT).sumNumber().longValue();
        }
        return (double) correct / n;
    }

    /** DL4J's score (mean loss per example, regularization included), averaged over chunks by size. */
    static double loss(NetworkAdapter network, DataSet examples) {
        int n = examples.numExamples();
        if (n <= CHUNK) {
            return network.score(examples);
        }
        double sum = 0;
        for (int from = 0; from < n; from += CHUNK) {
            INDArrayIndex rows = NDArrayIndex.interval(from, Math.min(n, from + CHUNK));
            DataSet chunk = new DataSet(examples.getFeatures().get(rows, NDArrayIndex.all()),
                    examples.getLabels().get(rows, NDArrayIndex.all()));
            sum += network.score(chunk) * chunk.numExamples();
        }
        return sum / n;
    }
}

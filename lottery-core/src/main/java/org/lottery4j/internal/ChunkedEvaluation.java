package org.lottery4j.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Accuracy and loss of a classifier in inference mode, in chunks that bound the activations'
 * memory: the one computation behind {@code experiment.Evaluation} and the stability analysis, so
 * that a path's endpoints give the very numbers an experiment reports for its trained networks.
 */
public final class ChunkedEvaluation {

    /** Examples evaluated at once; the loss's rounding depends on it. */
    public static final int CHUNK = 2000;

    private ChunkedEvaluation() {}

    /** The fraction of {@code examples} whose highest output is the one-hot label's class. */
    public static double accuracy(NetworkAdapter network, DataSet examples) {
        long correct = 0;
        int n = examples.numExamples();
        for (int from = 0; from < n; from += CHUNK) {
            INDArrayIndex rows = NDArrayIndex.interval(from, Math.min(n, from + CHUNK));
            correct += correct(network.output(examples.getFeatures().get(rows, NDArrayIndex.all())),
                    examples.getLabels().get(rows, NDArrayIndex.all()));
        }
        return (double) correct / n;
    }

    /** The rows of {@code output} whose largest value is at the one-hot label's class. */
    public static long correct(INDArray output, INDArray labels) {
        return output.argMax(1).eq(labels.argMax(1)).castTo(DataType.INT).sumNumber().longValue();
    }

    /**
     * DL4J's score (mean loss per example, regularization included): one call up to {@link #CHUNK}
     * examples (the very number DL4J gives), else chunks averaged by size.
     */
    public static double loss(NetworkAdapter network, DataSet examples) {
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

package org.lottery4j.experiment;

import org.deeplearning4j.nn.api.Model;
import org.lottery4j.network.NetworkAdapter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How experiments evaluate a classifier: the fraction of examples whose highest output is the
 * labelled class, in inference mode, in chunks that bound the activations' memory.
 *
 * <pre>{@code
 * double acc = Evaluation.accuracy(net, test);   // a MultiLayerNetwork or a single-output ComputationGraph
 * }</pre>
 */
public final class Evaluation {

    /** Examples evaluated at once. */
    static final int CHUNK = 2000;

    private Evaluation() {}

    /** The fraction of {@code examples} classified correctly (one-hot labels). */
    public static double accuracy(Model network, DataSet examples) {
        return accuracy(NetworkAdapter.of(network), examples);
    }

    /** The fraction of {@code examples} classified correctly (one-hot labels). */
    public static double accuracy(NetworkAdapter network, DataSet examples) {
        long correct = 0;
        int n = examples.numExamples();
        for (int from = 0; from < n; from += CHUNK) {
            INDArrayIndex rows = NDArrayIndex.interval(from, Math.min(n, from + CHUNK));
            INDArray predicted = network.output(examples.getFeatures().get(rows, NDArrayIndex.all())).argMax(1);
            INDArray labels = examples.getLabels().get(rows, NDArrayIndex.all()).argMax(1);
            correct += predicted.eq(labels).castTo(DataType.INT).sumNumber().longValue();
        }
        return (double) correct / n;
    }
}

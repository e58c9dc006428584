package org.lottery4j.experiment;

import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.ChunkedEvaluation;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How experiments evaluate a classifier: the fraction of examples whose highest output is the
 * labelled class, and the mean loss, in inference mode, in chunks that bound the activations'
 * memory.
 *
 * <pre>{@code
 * double acc = Evaluation.accuracy(net, test);   // a MultiLayerNetwork or a single-output ComputationGraph
 * double loss = Evaluation.loss(net, validation);
 * long right = Evaluation.correct(net.output(features), labels);
 * }</pre>
 */
public final class Evaluation {

    /** Examples evaluated at once. */
    static final int CHUNK = ChunkedEvaluation.CHUNK;

    private Evaluation() {}

    /** The fraction of {@code examples} classified correctly (one-hot labels). */
    public static double accuracy(Model network, DataSet examples) {
        return accuracy(NetworkAdapter.of(network), examples);
    }

    static double loss(NetworkAdapter network, DataSet examples) {
        return ChunkedEvaluation.loss(network, examples);
    }

    /**
     * The network's score on {@code examples} (its mean loss per example, with DL4J's
     * regularization term), in inference mode, in chunks of {@value #CHUNK} examples whose scores
     * are averaged by size: DL4J's {@code score(DataSet)} on all of them at once holds every
     * layer's activations for every example (gigabytes for CIFAR-10's validation images).
     */
    public static double loss(Model network, DataSet examples) {
        return loss(NetworkAdapter.of(network), examples);
    }

    /** The fraction of {@code examples} classified correctly (one-hot labels). */
    static double accuracy(NetworkAdapter network, DataSet examples) {
        return ChunkedEvaluation.accuracy(network, examples);
    }

    /** The rows of {@code output} whose largest value is at the one-hot label's class. */
    public static long correct(INDArray output, INDArray labels) {
        return ChunkedEvaluation.correct(output, labels);
    }

    /**
     * The mean cross-entropy of softmax {@code output} against one-hot {@code labels}: minus the
     * mean log of the output at each row's label, floored at 1e-10 first as DL4J's MCXENT floors
     * it (without the regularization term DL4J's score adds).
     */
    public static double crossEntropy(INDArray output, INDArray labels) {
        return -Transforms.log(Transforms.max(output.mul(labels).sum(1), 1e-10), false).meanNumber().doubleValue();
    }
}

package org.lottery4j.examples;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What the grokking and double-descent runs measure on a network's outputs against one-hot labels,
 * in one place: how many are right, and the mean cross-entropy as DL4J's MCXENT computes it.
 *
 * <pre>{@code
 * INDArray out = net.output(data.getFeatures());
 * double accuracy = OutputScores.correct(out, data.getLabels()) / data.numExamples();
 * double loss = OutputScores.crossEntropy(out, data.getLabels());
 * }</pre>
 */
public final class OutputScores {

    private OutputScores() {}

    /** The rows whose largest output is at the label's class. */
    public static long correct(INDArray output, INDArray labels) {
        return output.argMax(1).eq(labels.argMax(1)).castTo(DataType.INT).sumNumber().longValue();
    }

    /**
     * Minus the mean log of the softmax output at each row's label, the output floored at 1e-10
     * first, as DL4J's MCXENT floors it.
     */
    public static double crossEntropy(INDArray output, INDArray labels) {
        return -Transforms.log(Transforms.max(output.mul(labels).sum(1), 1e-10), false).meanNumber().doubleValue();
    }
}

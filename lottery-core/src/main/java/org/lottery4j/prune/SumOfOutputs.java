package org.lottery4j.prune;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A "loss" that is the sum of the output layer's pre-activations (the logits, before softmax),
 * whatever the labels: SynFlow's R. Its gradient with respect to the pre-activations is all ones,
 * so back-propagating it gives dR/dw through the layers below. Used only on SynFlow's working copy.
 */
final class SumOfOutputs implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray masked = mask == null ? preOutput : preOutput.mul(mask);
        return masked.reshape(masked.size(0), -1).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray ones = preOutput.ulike().assign(1.0); // dR/dz = 1: the activation function is skipped
        return mask == null ? ones : ones.muli(mask);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "SumOfOutputs";
    }
}

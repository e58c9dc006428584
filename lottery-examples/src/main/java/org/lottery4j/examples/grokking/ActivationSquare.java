package org.lottery4j.examples.grokking;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code f(x) = x^2}, the activation of the quadratic MLP that groks modular arithmetic (Gromov
 * 2023); DL4J has none. Its derivative is {@code 2x}. Usable in any DL4J layer, saved in
 * configurations by class name (tickets accept lottery4j classes).
 *
 * <pre>{@code
 * new DenseLayer.Builder().nIn(194).nOut(500).hasBias(false).activation(new ActivationSquare()).build();
 * }</pre>
 */
public final class ActivationSquare extends BaseActivationFunction {

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return in.muli(in);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray dLdz = in.mul(2).muli(epsilon);
        return new Pair<>(dLdz, null); // no parameters of its own
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationSquare;
    }

    @Override
    public int hashCode() {
        return ActivationSquare.class.hashCode();
    }

    @Override
    public String toString() {
        return "square";
    }
}

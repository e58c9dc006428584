package testgadgets;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An identity activation whose constructors record that they ran ({@link Recorded}), for the gadget
 * classes that Jackson would construct where a configuration expects an activation; each subclass
 * records its own static initializer.
 */
abstract class RecordingActivation implements IActivation {

    private static final long serialVersionUID = 1L;

    RecordingActivation() {
        Recorded.record(getClass(), "constructed");
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        return new Pair<>(epsilon, null);
    }

    @Override
    public int numParams(int inputSize) {
        return 0;
    }
}

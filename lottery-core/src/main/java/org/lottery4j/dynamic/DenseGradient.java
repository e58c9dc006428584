package org.lottery4j.dynamic;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The gradient of the loss on one batch with respect to every parameter, pruned ones included:
 * what RigL grows by.
 *
 * <p>It calls the network's own {@code computeGradientAndScore}, which runs the forward and
 * backward passes only: DL4J's optimizer, not this call, applies the updater, counts the
 * iteration and calls listeners' {@code onGradientCalculation}, where the mask enforcer zeroes the
 * pruned weights' gradients. So the weights, the updater state and the iteration counter are
 * left as they were, and the gradient is dense. What the call does change: the network's last
 * score and gradient arrays (the next {@code fit} writes both again), and, for networks with
 * dropout, how far ND4J's random generator has advanced.
 */
final class DenseGradient {

    private DenseGradient() {}

    /** A copy of the dense gradient on {@code batch}, aligned with the network's flat params(). */
    static INDArray of(NetworkAdapter network, DataSet batch) {
        Model model = network.model();
        if (model instanceof MultiLayerNetwork mln) {
            mln.setInput(batch.getFeatures());
            mln.setLabels(batch.getLabels());
            mln.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
            mln.computeGradientAndScore();
            INDArray gradient = network.flatGradients().dup();
            mln.clearLayerMaskArrays();
            mln.clearLayersStates();
            return gradient;
        }
        ComputationGraph graph = (ComputationGraph) model; // NetworkAdapter admits no other kind
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.setLayerMaskArrays(masks(batch.getFeaturesMaskArray()), masks(batch.getLabelsMaskArray()));
        graph.computeGradientAndScore();
        INDArray gradient = network.flatGradients().dup();
        graph.clearLayerMaskArrays();
        graph.clearLayersStates();
        return gradient;
    }

    private static INDArray[] masks(INDArray mask) {
        return mask == null ? null : new INDArray[] {mask};
    }
}

package org.lottery4j.prune;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SynFlow (Tanaka, Kunin, Yamins and Ganguli, 2020): importance = |w x dR/dw|, the synaptic flow,
 * where R is the sum of the network's logits on one all-ones input with every parameter replaced
 * by its absolute value (biases included) and the pruned weights 0. Data-free; it prunes in
 * {@link #iterations()} rounds (100 by default, the paper's), re-scoring the survivors each round.
 *
 * <p>It runs on a DOUBLE copy of the network, as the paper's code does to avoid overflow, without
 * dropout. The logits are the output layer's pre-activations: the copy's loss is replaced by
 * {@link SumOfOutputs}, whose gradient with respect to them is all ones, so DL4J's own backward
 * pass gives dR/dw through the layers, softmax or not. The scores are divided by their largest
 * before they become floats (a scale that orders them as before) so that they neither overflow nor
 * all round to zero.
 *
 * <p>The input's shape is one training example's when the method was given data, else
 * {@code [1, nIn]} of a first dense or output layer. Networks with batch normalization are refused:
 * the paper runs it in inference mode (its running statistics), which DL4J cannot back-propagate.
 */
final class SynflowPruning extends ScoredInPrepare {

    private final int iterations;
    private final long[] inputShape; // [1, ...] from the data, or null to read it from the network

    SynflowPruning(int iterations, long[] inputShape) {
        if (iterations < 1) {
            throw new IllegalArgumentException("synflow iterations must be at least 1, got " + iterations);
        }
        this.iterations = iterations;
        this.inputShape = inputShape;
    }

    @Override
    public int iterations() {
        return iterations;
    }

    /** Reads only the shape of one example: SynFlow's input is all ones. */
    @Override
    public PruningMethod withTrainingData(DataSet train, long seed) {
        long[] shape = train.getFeatures().shape().clone(); // ND4J hands out the array's own shape: never change it
        shape[0] = 1;
        return new SynflowPruning(iterations, shape);
    }

    @Override
    public PruningMethod prepare(NetworkView network) {
        return prepare(network, MaskSet.of(Map.of()));
    }

    @Override
    public PruningMethod prepare(NetworkView network, MaskSet current) {
        for (org.lottery4j.network.ParamInfo p : network.params()) {
            if (p.layerType().equals(BatchNormalization.class.getSimpleName())) {
                throw new IllegalArgumentException(describe() + " cannot score a network with batch normalization (layer '"
                        + network.layerNames().get(p.layerIndex()) + "'): SynFlow runs it on its running statistics, "
                        + "through which DL4J cannot back-propagate");
            }
        }
        WorkingCopy copy = WorkingCopy.of(network);
        NetworkAdapter net = copy.network();
        for (Layer layer : net.layers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof BaseOutputLayer out) {
                out.setLossFn(new SumOfOutputs());
            } else if (conf instanceof LossLayer out) {
                out.setLossFn(new SumOfOutputs());
            }
        }
        // |w|, with the pruned weights 0
        INDArray params = net.flatParams();
        params.assign(params.dup().muli(current.toFlat(net.model())));
        org.nd4j.linalg.ops.transforms.Transforms.abs(params, false);
        double[] w = copy.params();
        INDArray ones = Nd4j.ones(DataType.DOUBLE, inputShape(net));
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, net.output(ones).shape());
        double[] g = copy.gradient(new DataSet(ones, labels));
        double[] s = new double[w.length];
        double max = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.abs(w[i] * g[i]);
            max = Math.max(max, s[i]);
        }
        if (max > 0 && Double.isFinite(max)) {
            for (int i = 0; i < s.length; i++) {
                s[i] /= max;
            }
        }
        return new PrecomputedScores(describe(), copy.split(s));
    }

    private long[] inputShape(NetworkAdapter net) {
        if (inputShape != null) {
            return inputShape;
        }
        org.deeplearning4j.nn.conf.layers.Layer first = net.layers()[0].conf().getLayer();
        if (first instanceof DenseLayer dense) {
            return new long[] {1, dense.getNIn()};
        }
        if (first instanceof org.deeplearning4j.nn.conf.layers.OutputLayer out) {
            return new long[] {1, out.getNIn()};
        }
        throw new IllegalStateException(describe() + " cannot tell the input shape of a network whose first layer is '"
                + first.getLayerName() + "' (" + first.getClass().getSimpleName()
                + "): call withTrainingData(train, seed) so that it reads one example's shape");
    }

    @Override
    public String describe() {
        return "synflow(iterations=" + iterations + ")";
    }
}

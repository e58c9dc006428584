package org.lottery4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network a gradient-based pruning method runs: a DOUBLE copy of the one being pruned (which
 * is never run, so its weights, inputs, listeners and batch-norm statistics stay as they were),
 * without dropout or weight noise, so that its gradients are deterministic and finite differences
 * of them keep their digits.
 */
final class WorkingCopy {

    private final NetworkAdapter network;
    private final List<ParamInfo> params;

    private WorkingCopy(NetworkAdapter network, List<ParamInfo> params) {
        this.network = network;
        this.params = params;
    }

    static WorkingCopy of(NetworkView view) {
        NetworkAdapter copy = NetworkAdapter.of(view.copy(DataType.DOUBLE));
        for (Layer layer : copy.layers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            conf.setIDropout(null);
            if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base) {
                base.setWeightNoise(null);
            }
        }
        copy.setListeners(List.of());
        return new WorkingCopy(copy, view.params());
    }

    NetworkAdapter network() {
        return network;
    }

    /** The parameters, flat. */
    double[] params() {
        return network.flatParams().toDoubleVector();
    }

    void setParams(double[] values) {
        INDArray flat = network.flatParams();
        flat.assign(Nd4j.createFromArray(values).reshape(flat.shape()));
    }

    /**
     * The gradient of the network's loss on {@code batch} (features and labels cast to DOUBLE), the
     * mean over its examples as the network's score is: DL4J's backward pass sums over the examples
     * (its updater divides by the batch size later), so the sum is divided here.
     */
    double[] gradient(DataSet batch) {
        DataSet doubles = new DataSet(cast(batch.getFeatures()), cast(batch.getLabels()),
                cast(batch.getFeaturesMaskArray()), cast(batch.getLabelsMaskArray()));
        double[] g = network.gradient(doubles).toDoubleVector();
        int n = batch.numExamples();
        for (int i = 0; i < g.length; i++) {
            g[i] /= n;
        }
        return g;
    }

    private static INDArray cast(INDArray a) {
        return a == null ? null : a.castTo(DataType.DOUBLE);
    }

    /** A flat array cut into one float array per parameter. */
    Map<ParamKey, float[]> split(double[] flat) {
        Map<ParamKey, float[]> out = new LinkedHashMap<>();
        for (ParamInfo p : params) {
            float[] values = new float[(int) p.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) flat[(int) p.offset() + i];
            }
            out.put(p.key(), values);
        }
        return out;
    }
}

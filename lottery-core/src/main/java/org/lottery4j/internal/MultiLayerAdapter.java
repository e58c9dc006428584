package org.lottery4j.internal;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.UpdaterCreator;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link NetworkAdapter} of a {@link MultiLayerNetwork}. */
final class MultiLayerAdapter extends NetworkAdapter {

    private final MultiLayerNetwork net;

    public MultiLayerAdapter(MultiLayerNetwork net) {
        super(net, net.getLayers());
        this.net = net;
    }

    @Override
    public Layer[] layers() {
        return net.getLayers();
    }

    @Override
    public long seed() {
        return net.getDefaultConfiguration().getSeed();
    }

    @Override
    public int iterationCount() {
        return net.getIterationCount();
    }

    @Override
    public int epochCount() {
        return net.getEpochCount();
    }

    @Override
    public void setNetworkCounters(int iteration, int epoch) {
        net.getLayerWiseConfigurations().setIterationCount(iteration);
        net.getLayerWiseConfigurations().setEpochCount(epoch);
    }

    @Override
    public Updater updater() {
        return net.getUpdater(false);
    }

    @Override
    public List<org.deeplearning4j.nn.conf.layers.Layer> configuredLayers() {
        return net.getLayerWiseConfigurations().getConfs().stream().map(NeuralNetConfiguration::getLayer).toList();
    }

    @Override
    public void rebuildUpdater() {
        if (net.getUpdater(false) != null) {
            net.setUpdater(UpdaterCreator.getUpdater(net));
        }
    }

    @Override
    public String configurationJson() {
        return net.getLayerWiseConfigurations().toJson();
    }

    @Override
    public Model freshCopy(long seed) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            c.setSeed(seed);
        }
        MultiLayerNetwork fresh = new MultiLayerNetwork(conf);
        fresh.init();
        return fresh;
    }

    @Override
    public void fit(DataSet batch) {
        net.fit(batch);
    }

    @Override
    public double score(DataSet examples) {
        return net.score(examples);
    }

    @Override
    public INDArray output(INDArray features) {
        return net.output(features, false);
    }

    @Override
    public Model copy(DataType dataType) {
        // convertDataType returns the network itself when the type is the same
        MultiLayerNetwork copy = dataType == net.params().dataType() ? net.clone() : net.convertDataType(dataType);
        copy.setListeners(List.of());
        NetworkAdapter.of(copy).setCounters(iterationCount(), epochCount());
        return copy;
    }

    @Override
    public INDArray gradient(DataSet batch) {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
        net.computeGradientAndScore();
        return net.getGradientsViewArray().dup();
    }

    @Override
    public Collection<TrainingListener> listeners() {
        return net.getListeners();
    }

    @Override
    public void setListeners(List<TrainingListener> listeners) {
        net.setListeners(listeners);
    }
}

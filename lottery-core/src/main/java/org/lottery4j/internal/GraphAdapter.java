package org.lottery4j.internal;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.updater.UpdaterCreator;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link NetworkAdapter} of a {@link ComputationGraph}. */
final class GraphAdapter extends NetworkAdapter {

    private final ComputationGraph graph;

    public GraphAdapter(ComputationGraph graph) {
        super(graph, graph.getLayers());
        this.graph = graph;
    }

    @Override
    public Layer[] layers() {
        return graph.getLayers();
    }

    @Override
    public long seed() {
        return graph.getConfiguration().getDefaultConfiguration().getSeed();
    }

    @Override
    public int iterationCount() {
        return graph.getIterationCount();
    }

    @Override
    public int epochCount() {
        return graph.getEpochCount();
    }

    @Override
    public void setNetworkCounters(int iteration, int epoch) {
        graph.getConfiguration().setIterationCount(iteration);
        graph.getConfiguration().setEpochCount(epoch);
    }

    @Override
    public Updater updater() {
        return graph.getUpdater(false);
    }

    @Override
    public List<org.deeplearning4j.nn.conf.layers.Layer> configuredLayers() {
        return graph.getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex).map(v -> ((LayerVertex) v).getLayerConf().getLayer()).toList();
    }

    @Override
    public void rebuildUpdater() {
        if (graph.getUpdater(false) != null) {
            graph.setUpdater((ComputationGraphUpdater) UpdaterCreator.getUpdater(graph));
        }
    }

    @Override
    public String configurationJson() {
        return graph.getConfiguration().toJson();
    }

    @Override
    public Model freshCopy(long seed) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        conf.getDefaultConfiguration().setSeed(seed);
        ComputationGraph fresh = new ComputationGraph(conf);
        fresh.init();
        return fresh;
    }

    @Override
    public void fit(DataSet batch) {
        graph.fit(batch);
    }

    @Override
    public double score(DataSet examples) {
        return graph.score(examples);
    }

    @Override
    public INDArray output(INDArray features) {
        return graph.outputSingle(false, features);
    }

    /**
     * ComputationGraph.clone() less its flaws: clone() hands the copy the original's very collection
     * of listeners (so clearing the copy's, or adding a mask enforcer to it, changes the original's)
     * and sets the iteration counter back to 0.
     */
    @Override
    public Model copy(DataType dataType) {
        ComputationGraph copy = new ComputationGraph(graph.getConfiguration().clone());
        copy.init(graph.params().dup(), false);
        Updater updater = graph.getUpdater(false);
        if (updater != null && updater.getStateViewArray() != null) {
            copy.getUpdater().setStateViewArray(updater.getStateViewArray().dup());
        }
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex.hasLayer() && vertex.getLayer() instanceof FrozenLayer) {
                copy.getVertex(vertex.getVertexName()).setLayerAsFrozen(); // as clone() does
            }
        }
        // convertDataType returns the network itself when the type is the same
        ComputationGraph typed = copy.convertDataType(dataType);
        NetworkAdapter.of(typed).setCounters(iterationCount(), epochCount());
        return typed;
    }

    @Override
    public INDArray gradient(DataSet batch) {
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.setLayerMaskArrays(batch.getFeaturesMaskArray() == null ? null : new INDArray[] {batch.getFeaturesMaskArray()},
                batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()});
        graph.computeGradientAndScore();
        return graph.getGradientsViewArray().dup();
    }

    @Override
    public Collection<TrainingListener> listeners() {
        return graph.getListeners();
    }

    @Override
    public void setListeners(List<TrainingListener> listeners) {
        graph.setListeners(listeners);
    }
}

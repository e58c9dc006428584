package org.lottery4j.stability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Sets every batch-norm layer's running mean and variance to the exact statistics of its inputs
 * over a data set, as one training-mode pass over all of it as a single batch would see them:
 * layer by layer in order of computation, each layer's inputs computed in inference mode with the
 * statistics already set for the layers before it (which is what those layers do in training mode
 * on the whole set as one batch), so the passes can go in chunks and no dropout is drawn.
 *
 * <p>The variance is the biased one (divided by the count, not the count less one), which is what
 * DL4J normalizes with in training mode. DL4J stores either the variance ({@code var}) or, by
 * default, {@code log10} of the standard deviation ({@code log10stdev}), both without epsilon: in
 * inference it divides by {@code sqrt(var + eps)}. Writing the statistics directly is exact where
 * DL4J's own update is a moving average with a decay.
 *
 * <p>Cost: one forward pass over the data up to each batch-norm layer, per layer.
 */
final class BatchNormStatistics {

    /** Examples per forward pass; their inputs are held in double precision. */
    static final int CHUNK = 256;

    // a zero variance (a dead channel) would store log10(0) = -infinity; this is below float's
    // resolution next to any epsilon, and 10^(log10(sqrt(1e-30)))^2 still rounds to it
    private static final double MIN_VARIANCE = 1e-30;

    private BatchNormStatistics() {}

    /** One batch-norm layer: its name, and where its inputs come from. */
    private record Site(String name, BatchNormalization conf, int index, String input, InputPreProcessor preProcessor) {}

    /** Whether the network has a batch-norm layer. */
    static boolean present(Model model) {
        return !sites(model).isEmpty();
    }

    /** Sets every batch-norm layer's statistics from {@code features}, in chunks of {@code chunk} examples. */
    static void recompute(Model model, INDArray features, int chunk) {
        NetworkAdapter network = NetworkAdapter.of(model);
        for (Site site : sites(model)) {
            Moments moments = new Moments();
            long n = features.size(0);
            for (long from = 0; from < n; from += chunk) {
                moments.add(inputs(model, site, rows(features, from, Math.min(n, from + chunk))), site);
            }
            write(network, site, moments);
        }
    }

    private static List<Site> sites(Model model) {
        List<Site> out = new ArrayList<>();
        if (model instanceof MultiLayerNetwork net) {
            Layer[] layers = net.getLayers();
            List<String> names = NetworkAdapter.of(net).layerNames();
            for (int i = 0; i < layers.length; i++) {
                if (layers[i].conf().getLayer() instanceof BatchNormalization bn) {
                    out.add(new Site(names.get(i), bn, i, null, net.getLayerWiseConfigurations().getInputPreProcess(i)));
                }
            }
        } else if (model instanceof ComputationGraph graph) {
            Map<String, List<String>> inputs = graph.getConfiguration().getVertexInputs();
            for (int index : graph.topologicalSortOrder()) {
                GraphVertex vertex = graph.getVertices()[index];
                if (vertex.hasLayer() && vertex.getLayer().conf().getLayer() instanceof BatchNormalization bn) {
                    List<String> from = inputs.get(vertex.getVertexName());
                    if (from.size() != 1) {
                        throw new IllegalArgumentException("batch-norm layer " + vertex.getVertexName() + " has "
                                + from.size() + " inputs " + from + "; only one is supported");
                    }
                    org.deeplearning4j.nn.conf.graph.LayerVertex conf = (org.deeplearning4j.nn.conf.graph.LayerVertex)
                            graph.getConfiguration().getVertices().get(vertex.getVertexName());
                    out.add(new Site(vertex.getVertexName(), bn, index, from.get(0), conf.getPreProcessor()));
                }
            }
        }
        return out;
    }

    // the inputs the batch-norm layer sees for these examples, in inference mode
    private static INDArray inputs(Model model, Site site, INDArray x) {
        INDArray in;
        if (model instanceof MultiLayerNetwork net) {
            in = net.feedForwardToLayer(site.index(), x, false).get(site.index()); // [0] is x, [i] the output of layer i-1
        } else {
            in = ((ComputationGraph) model).feedForward(new INDArray[] {x}, site.index(), false).get(site.input());
        }
        if (site.preProcessor() != null) {
            in = site.preProcessor().preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces());
        }
        return in;
    }

    private static INDArray rows(INDArray x, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[x.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[0] = NDArrayIndex.interval(from, to);
        return x.get(index);
    }

    /** Per-channel count, mean and sum of squared deviations, merged chunk by chunk (Chan et al.). */
    private static final class Moments {
        long count;
        double[] mean;
        double[] m2;

        void add(INDArray in, Site site) {
            INDArray x = in.castTo(DataType.DOUBLE);
            int[] over = switch (x.rank()) {
                case 2 -> new int[] {0};
                case 4 -> site.conf().getCnn2DFormat() == CNN2DFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
                default -> throw new IllegalArgumentException("batch-norm layer " + site.name() + " has inputs of rank "
                        + x.rank() + " " + Arrays.toString(x.shape()) + "; statistics are recomputed for rank 2 and 4 only");
            };
            long channels = x.rank() == 2 ? x.size(1) : x.size(site.conf().getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1);
            long n = x.length() / channels;
            double[] chunkMean = x.mean(over).toDoubleVector();
            double[] chunkM2 = x.var(false, over).muli(n).toDoubleVector();
            if (mean == null) {
                count = n;
                mean = chunkMean;
                m2 = chunkM2;
                return;
            }
            long total = count + n;
            for (int c = 0; c < mean.length; c++) {
                double delta = chunkMean[c] - mean[c];
                mean[c] += delta * n / total;
                m2[c] += chunkM2[c] + delta * delta * ((double) count * n / total);
            }
            count = total;
        }
    }

    private static void write(NetworkAdapter network, Site site, Moments m) {
        if (m.mean == null) {
            throw new IllegalArgumentException("no examples to compute batch-norm statistics from");
        }
        double[] variance = new double[m.mean.length];
        for (int c = 0; c < variance.length; c++) {
            variance[c] = m.m2[c] / m.count;
        }
        set(network, site, BatchNormalizationParamInitializer.GLOBAL_MEAN, m.mean);
        if (site.conf().isUseLogStd()) {
            double[] log10std = new double[variance.length];
            for (int c = 0; c < variance.length; c++) {
                log10std[c] = 0.5 * Math.log10(Math.max(variance[c], MIN_VARIANCE));
            }
            set(network, site, BatchNormalizationParamInitializer.GLOBAL_LOG_STD, log10std);
        } else {
            set(network, site, BatchNormalizationParamInitializer.GLOBAL_VAR, variance);
        }
    }

    private static void set(NetworkAdapter network, Site site, String param, double[] values) {
        ParamInfo p = network.param(ParamKey.of(site.name(), param)).orElseThrow(() -> new IllegalStateException(
                "batch-norm layer " + site.name() + " has no parameter " + param));
        if (p.length() != values.length) {
            throw new IllegalStateException("batch-norm layer " + site.name() + " has " + p.length() + " values of "
                    + param + " but its inputs have " + values.length + " channels");
        }
        NetworkAdapter.segment(network.flatParams(), p).assign(Nd4j.createFromArray(values).castTo(network.dataType()));
    }
}

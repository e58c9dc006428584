package org.lottery4j.sparsity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.export.SafetensorsExporter;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.Pruned;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;

/** One answer to "which PyTorch layout has this weight", read alike by N:M pruning and the exporters. */
class TorchLayoutTest {

    @TempDir
    Path dir;

    /** Conv1d(8 -> 8, k 3) -> global pooling -> output, on sequences of 8 features. */
    static MultiLayerNetwork conv1d(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.base(seed).list()
                .layer(new Convolution1DLayer.Builder().kernelSize(3).nOut(8).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(8, 10)).build());
        net.init();
        return net;
    }

    @Test
    void aConv1dWeightIsPyTorchsConv1dAndIsPrunedCheckedAndExportedAsOne() throws IOException {
        MultiLayerNetwork net = conv1d(3);
        NetworkView view = NetworkView.of(net);
        ParamInfo w = view.param(new ParamKey("layer0", "W")).orElseThrow();
        assertThat(w.shape()).containsExactly(8, 8, 3, 1); // DL4J's [nOut, nIn, k, 1]
        assertThat(TorchLayout.weightShape(w)).hasValueSatisfying(s -> assertThat(s).containsExactly(8, 8, 3));
        assertThat(TorchLayout.weightValues(w, view.read(w))).containsExactly(view.read(w)); // same elements

        Pruned pruned = new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0);
        assertThat(pruned.skipped()).isEmpty();
        assertThat(pruned.masks().get(w.key()).countKept()).isEqualTo(8 * 8 * 3 / 2);
        NetworkAdapter adapter = NetworkAdapter.of(net);
        adapter.flatParams().muli(pruned.masks().toFlat(adapter.model()));
        assertThat(new NmChecker(NmPattern.TWO_FOUR).check(view).satisfied()).isTrue();

        Path file = dir.resolve("conv1d.safetensors");
        SafetensorsExporter.builder().compressed24().build().export(net, file);
        SafetensorsFile f = SafetensorsFile.readChecked(file);
        assertThat(f.compressedWeights().get("layer0.weight")).containsExactly(8, 8, 3);
        // equal under ==: a pruned -0.0 comes back as +0.0 (Compressed24)
        assertThat(plusZero(f.decompress("layer0.weight"))).containsExactly(plusZero(view.read(w)));
        assertThat(f.checkPattern(NmPattern.TWO_FOUR).entries()).extracting(NmReport.Entry::name)
                .contains("layer0.weight");
        assertThat(f.checkPattern(NmPattern.TWO_FOUR).satisfied()).isTrue();
    }

    private static float[] plusZero(float[] v) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += 0.0f;
        }
        return out;
    }

    @Test
    void aDenseWeightIsLinearOutByIn() {
        MultiLayerNetwork net = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        NetworkView view = NetworkView.of(net);
        ParamInfo w = view.params().get(0);
        long[] s = w.shape();
        assertThat(TorchLayout.weightShape(w)).hasValueSatisfying(t -> assertThat(t).containsExactly(s[1], s[0]));
        float[] flat = view.read(w); // 'f' order [nIn, nOut]: element (i, o) at o * nIn + i
        float[] torch = TorchLayout.weightValues(w, flat);
        assertThat(torch[(int) (1 * s[0] + 2)]).isEqualTo(flat[(int) (1 * s[0] + 2)]); // row o=1, column i=2
        assertThat(TorchLayout.weightShape(view.params().get(1))).isEmpty(); // the bias
    }

    @Test
    void theMatrixViewOfAConvolutionPutsTheInputChannelsInRows() {
        long[] shape = {2, 3, 2}; // Conv1d [out 2, in 3, k 2]
        float[] tensor = new float[12];
        for (int i = 0; i < 12; i++) {
            tensor[i] = i; // (o, c, p) at (o * 3 + c) * 2 + p
        }
        float[] matrix = TorchLayout.toMatrix(shape, tensor);
        assertThat(TorchLayout.rows(shape)).isEqualTo(4);
        assertThat(TorchLayout.k(shape)).isEqualTo(3);
        // row (o=0, p=1) holds channels 0..2 at position 1: elements 1, 3, 5
        assertThat(new float[] {matrix[3], matrix[4], matrix[5]}).containsExactly(1, 3, 5);
        assertThat(TorchLayout.toTensor(shape, matrix)).containsExactly(tensor);
    }
}

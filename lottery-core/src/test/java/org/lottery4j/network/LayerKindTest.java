package org.lottery4j.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lottery4j.prune.PruningScope;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Every kind of layer a user may bring, classified once: what it is, and which of its parameters
 * the default pruning scope takes (docs/concepts.md, "What lottery4j does", says the same).
 */
class LayerKindTest {

    static Stream<Arguments> layers() {
        InputType image = InputType.convolutional(6, 6, 4);
        InputType sequence = InputType.recurrent(4, 5);
        return Stream.of(
                Arguments.of("dense", new DenseLayer.Builder().nOut(4).build(), InputType.feedForward(8),
                        LayerKind.DENSE, List.of("W")),
                Arguments.of("dense with layer norm", new DenseLayer.Builder().nOut(4).hasLayerNorm(true).build(),
                        InputType.feedForward(8), LayerKind.DENSE, List.of("W")),
                Arguments.of("convolution", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), image,
                        LayerKind.CONVOLUTION, List.of("W")),
                Arguments.of("1-D convolution", new Convolution1DLayer.Builder(3).nOut(4).build(), sequence,
                        LayerKind.CONVOLUTION_1D, List.of("W")),
                Arguments.of("3-D convolution", new Convolution3D.Builder(2, 2, 2).nOut(4).build(),
                        InputType.convolutional3D(4, 4, 4, 2), LayerKind.CONVOLUTION_3D, List.of("W")),
                Arguments.of("deconvolution", new Deconvolution2D.Builder(2, 2).nOut(4).build(), image,
                        LayerKind.DECONVOLUTION, List.of("W")),
                Arguments.of("depthwise", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(8).build(),
                        image, LayerKind.DEPTHWISE_CONVOLUTION, List.of("W")),
                Arguments.of("separable", new SeparableConvolution2D.Builder(3, 3).nOut(4).build(), image,
                        LayerKind.SEPARABLE_CONVOLUTION, List.of("W", "pW")),
                Arguments.of("LSTM", new LSTM.Builder().nOut(4).build(), sequence, LayerKind.RECURRENT, List.of("W", "RW")),
                Arguments.of("simple RNN", new SimpleRnn.Builder().nOut(4).build(), sequence, LayerKind.RECURRENT,
                        List.of("W", "RW")),
                Arguments.of("bidirectional LSTM", new Bidirectional(new LSTM.Builder().nOut(4).build()), sequence,
                        LayerKind.RECURRENT, List.of("fW", "fRW", "bW", "bRW")),
                Arguments.of("embedding", new EmbeddingLayer.Builder().nIn(10).nOut(4).build(), InputType.feedForward(1),
                        LayerKind.EMBEDDING, List.of()),
                Arguments.of("batch norm", new BatchNormalization.Builder().build(), image, LayerKind.NORMALIZATION,
                        List.of()),
                Arguments.of("self-attention", new SelfAttentionLayer.Builder().nOut(4).nHeads(1).projectInput(true).build(),
                        sequence, LayerKind.ATTENTION, List.of("Wq", "Wk", "Wv", "Wo")),
                Arguments.of("pooling", new SubsamplingLayer.Builder(2, 2).build(), image, LayerKind.OTHER, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void eachLayerHasOneKindAndTheDefaultScopePrunesOnlyItsWeights(String name, Layer layer, InputType input,
            LayerKind kind, List<String> prunable) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(layer.clone())
                .layer(input.getType() == InputType.Type.FF
                        ? new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build()
                        : new GlobalPoolingLayer.Builder().build())
                .setInputType(input)
                .build());
        net.init();
        NetworkView view = NetworkView.of(net);
        List<ParamInfo> first = view.params().stream().filter(p -> p.layerIndex() == 0).toList();
        assertThat(first).allSatisfy(p -> assertThat(p.layerKind()).isEqualTo(kind));
        assertThat(LayerKind.of(layer)).isEqualTo(kind);
        assertThat(first.stream().filter(PruningScope::isPrunableByDefault).map(p -> p.key().param()).toList())
                .containsExactlyInAnyOrderElementsOf(prunable);
    }
}

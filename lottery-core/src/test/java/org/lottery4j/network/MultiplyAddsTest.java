package org.lottery4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.network.MultiplyAdds.LayerCount;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class MultiplyAddsTest {

    private static OutputLayer output(int nOut) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(nOut).activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** LeNet-300-100: 784-300-100-10. */
    private static MultiLayerNetwork lenet300100() {
        return init(Nets.base(1).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
    }

    @Test
    void lenet300100CostsOneMultiplyAddPerWeight() {
        MultiplyAdds dense = MultiplyAdds.of(lenet300100(), Nd4j.rand(DataType.FLOAT, 5, 784));

        assertThat(dense.layers()).containsExactly(
                new LayerCount("layer0", LayerKind.DENSE, 784 * 300, 1),
                new LayerCount("layer1", LayerKind.DENSE, 300 * 100, 1),
                new LayerCount("layer2", LayerKind.OUTPUT, 100 * 10, 1));
        assertThat(dense.perExample()).isEqualTo(266_200);
        assertThat(dense.trainingMultiplyAdds(60_000)).isEqualTo(3L * 266_200 * 60_000);
    }

    @Test
    void keptWeightsCountInsteadOfAllWithMasks() {
        MultiplyAdds dense = MultiplyAdds.of(lenet300100(), Nd4j.rand(DataType.FLOAT, 1, 784));

        MultiplyAdds sparse = dense.withKeptWeights(Map.of(
                ParamKey.of("layer0", "W"), 23_520L, ParamKey.of("layer1", "W"), 3_000L));

        assertThat(sparse.layers()).extracting(LayerCount::weights).containsExactly(23_520L, 3_000L, 1_000L);
        assertThat(sparse.perExample()).isEqualTo(23_520 + 3_000 + 1_000);
        assertThat(sparse.trainingMultiplyAdds(10)).isEqualTo(3L * 27_520 * 10);
        assertThat(dense.perExample()).isEqualTo(266_200); // unchanged
    }

    /** 1x28x28 -> conv 3x3x4 (mode) -> conv 3x3x8 stride 2 truncate -> batch norm -> pool 2x2 -> output 10. */
    private static MultiLayerNetwork convNet(ConvolutionMode firstMode) {
        return init(Nets.base(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(firstMode).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build())
                .layer(output(10))
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
    }

    @Test
    void aConvolutionCostsItsWeightsAtEveryOutputPosition() {
        // truncate: 28 -> 26 -> (26 - 3) / 2 + 1 = 12 -> pool 6: output 8 x 6 x 6 = 288 inputs
        MultiplyAdds truncate = MultiplyAdds.of(convNet(ConvolutionMode.Truncate), Nd4j.rand(DataType.FLOAT, 2, 784));
        assertThat(truncate.layers()).containsExactly(
                new LayerCount("layer0", LayerKind.CONVOLUTION, 4 * 1 * 3 * 3, 26 * 26),
                new LayerCount("layer1", LayerKind.CONVOLUTION, 8 * 4 * 3 * 3, 12 * 12),
                new LayerCount("layer4", LayerKind.OUTPUT, 288 * 10, 1));
        assertThat(truncate.perExample()).isEqualTo(36 * 676 + 288 * 144 + 2880); // 24,336 + 41,472 + 2,880

        // same: 28 -> 28 -> (28 - 3) / 2 + 1 = 13 -> pool 6
        MultiplyAdds same = MultiplyAdds.of(convNet(ConvolutionMode.Same), Nd4j.rand(DataType.FLOAT, 1, 784));
        assertThat(same.layers().get(0).multiplyAdds()).isEqualTo(36 * 784); // 28,224
        assertThat(same.layers().get(1).positions()).isEqualTo(13 * 13);

        MultiplyAdds masked = truncate.withKeptWeights(Map.of(ParamKey.of("layer0", "W"), 20L));
        assertThat(masked.layers().get(0).multiplyAdds()).isEqualTo(20 * 676);
        assertThat(masked.perExample()).isEqualTo(20 * 676 + 288 * 144 + 2880);
    }

    @Test
    void aResidualGraphCountsItsConvolutionsNotItsAdd() {
        ComputationGraphConfiguration conf = Nets.base(1).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "a")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "add")
                .addLayer("out", output(3), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();

        MultiplyAdds cost = MultiplyAdds.of(graph, Nd4j.rand(DataType.FLOAT, 3, 1, 8, 8));

        assertThat(cost.layers()).containsExactly(
                new LayerCount("a", LayerKind.CONVOLUTION, 36, 64),
                new LayerCount("b", LayerKind.CONVOLUTION, 144, 64),
                new LayerCount("out", LayerKind.OUTPUT, 12, 1));
        assertThat(cost.perExample()).isEqualTo(36 * 64 + 144 * 64 + 12); // 11,532
    }

    @Test
    void uncountedLayersAndUnknownWeightsAreRefused() {
        assertThatThrownBy(() -> MultiplyAdds.of(Nets.lstmNet(1), Nd4j.rand(DataType.FLOAT, 1, 5, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer layer0 (LSTM, RECURRENT) has weights but its multiply-adds are not counted: "
                        + "only dense, output and 2-D convolution layers are");
        MultiplyAdds dense = MultiplyAdds.of(lenet300100(), Nd4j.rand(DataType.FLOAT, 1, 784));
        assertThatThrownBy(() -> dense.withKeptWeights(Map.of(ParamKey.of("layer0", "b"), 3L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no counted weight layer0/b; the weights counted are [layer0/W, layer1/W, layer2/W]");
        assertThatThrownBy(() -> dense.withKeptWeights(Map.of(ParamKey.of("layer2", "W"), 1001L)))
                .hasMessage("layer2/W keeps 1001 weights, not in [0, 1000]");
    }
}

package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.internal.OnnxInitializers;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.testing.Graphs;
import org.lottery4j.testing.Nets;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Residual and multi-branch ComputationGraphs exported to ONNX and run by ONNX Runtime as DL4J runs them. */
class GraphExportTest {

    private static final double TOLERANCE = 1e-5;
    private static final OnnxExporter ONNX = OnnxExporter.builder().build();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ElementWiseVertex.Op.class)
    void everyVertexKindRunsInOnnxRuntimeAsInDl4j(ElementWiseVertex.Op op) throws Exception {
        ComputationGraph graph = Graphs.everyVertex(op, 5);
        INDArray input = OnnxRuntime.randomData(6, 7 * 9 * 2, 3, 11).getFeatures();
        assertThat(OnnxRuntime.exportAndCompare(graph, input, dir.resolve("every-" + op + ".onnx")))
                .isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void threeInputsOfAnElementWiseVertexAndSumAndMaxGlobalPoolingMatchDl4j() throws Exception {
        for (PoolingType type : new PoolingType[] {PoolingType.MAX, PoolingType.SUM}) {
            for (ElementWiseVertex.Op op : new ElementWiseVertex.Op[] {ElementWiseVertex.Op.Add, ElementWiseVertex.Op.Product,
                    ElementWiseVertex.Op.Average, ElementWiseVertex.Op.Max}) {
                ComputationGraph graph = Graphs.threeInputs(op, type);
                Nd4j.getRandom().setSeed(4);
                INDArray input = Nd4j.rand(DataType.FLOAT, 3, 2, 5, 6);
                assertThat(OnnxRuntime.exportAndCompare(graph, input, dir.resolve("three-" + op + "-" + type + ".onnx")))
                        .as(op + " " + type).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @Test
    void zeroPaddingBeforeMaxPoolingMatchesDl4jInOnnxRuntimeWithAndWithoutItsOptimizations() throws Exception {
        ComputationGraph graph = new ComputationGraph(Nets.base(2).graphBuilder()
                .addInputs("in")
                .addLayer("c", new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("pad", new ZeroPaddingLayer.Builder(2, 1, 0, 3).build(), "c")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "pad")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 5, 1))
                .build());
        graph.init();
        Nd4j.getRandom().setSeed(9);
        INDArray input = Nd4j.rand(DataType.FLOAT, 3, 1, 6, 5).subi(0.5);
        Path file = dir.resolve("pad-maxpool.onnx");
        ONNX.export(graph, file);
        float[] expected = OnnxRuntime.flat(graph.outputSingle(input));
        // with its default optimizations (the Pad fusion left out by the MaxPool's Indices output) and without any
        assertThat(OnnxRuntime.maxAbsDiff(expected, OnnxRuntime.run(file, input))).isLessThanOrEqualTo(TOLERANCE);
        assertThat(OnnxRuntime.maxAbsDiff(expected, OnnxRuntime.run(file, input, false))).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void aPrunedResidualGraphKeepsItsZerosInTheExport() throws Exception {
        ComputationGraph graph = Graphs.everyVertexUntrained(ElementWiseVertex.Op.Add, 8);
        try (LotteryTicket ticket = LotteryTicket.builder(graph).method(PruningMethod.magnitude())
                .scope(PruningScope.layerwise()).build()) {
            graph.fit(OnnxRuntime.randomData(16, 7 * 9 * 2, 3, 8));
            ticket.prune(0.6);
            Path file = dir.resolve("pruned.onnx");
            ONNX.export(graph, file);
            OnnxInitializers.Tensor a = OnnxInitializers.read(file).get("a.weight");
            long zeros = 0;
            for (float v : a.data()) {
                zeros += v == 0f ? 1 : 0;
            }
            assertThat(zeros).isEqualTo(Math.round(0.6 * a.data().length));
            INDArray input = OnnxRuntime.randomData(4, 7 * 9 * 2, 3, 12).getFeatures();
            assertThat(OnnxRuntime.maxAbsDiff(OnnxRuntime.flat(graph.outputSingle(input)), OnnxRuntime.run(file, input)))
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void theZoosResNet50RunsInOnnxRuntimeAsInDl4j() throws Exception {
        ComputationGraph resnet = ResNet50.builder().numClasses(10).seed(1)
                .weightInit(new WeightInitRelu()).build().init(); // the zoo's default init overflows to NaN untrained
        Nd4j.getRandom().setSeed(6);
        INDArray input = Nd4j.rand(DataType.FLOAT, 1, 3, 224, 224).muli(1e-3); // logits of order 1: no saturated softmax
        assertThat(OnnxRuntime.exportAndCompare(resnet, input, dir.resolve("resnet50.onnx")))
                .isLessThanOrEqualTo(TOLERANCE);
        assertThat(Files.size(dir.resolve("resnet50.onnx"))).isGreaterThan(4L * 23_000_000);
    }

    @Test
    void theZoosSqueezeNetRunsInOnnxRuntimeAsInDl4j() throws Exception {
        ComputationGraph squeeze = SqueezeNet.builder().numClasses(10).seed(1).inputShape(new int[] {3, 64, 64}).build()
                .init();
        Nd4j.getRandom().setSeed(7);
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        assertThat(OnnxRuntime.exportAndCompare(squeeze, input, dir.resolve("squeezenet.onnx")))
                .isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void aGraphWhoseInputAVertexReadsFirstFailsNamingIt() {
        ComputationGraph graph = new ComputationGraph(Nets.base(1).graphBuilder()
                .addInputs("in")
                .addVertex("scaled", new ScaleVertex(2), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "scaled")
                .setOutputs("out")
                .build());
        graph.init();
        assertThatThrownBy(() -> ONNX.toBytes(graph))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot export vertex 'scaled' (index ")
                .hasMessageEndingWith(", ScaleVertex) to ONNX: cannot tell the network's input shape from a vertex;"
                        + " let a layer read the input first");
    }

    @Test
    void anUnsupportedVertexFailsNamingItAndTheSupportedOnes() {
        ComputationGraph graph = new ComputationGraph(Nets.base(1).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(3).build(), "in")
                .addVertex("norm", new L2NormalizeVertex(), "a")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).build(), "norm")
                .setOutputs("out")
                .build());
        graph.init();
        assertThatThrownBy(() -> ONNX.toBytes(graph))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot export vertex 'norm' (L2NormalizeVertex, inputs [a]) to ONNX: supported vertices are"
                        + " layers, ElementWiseVertex, MergeVertex, ScaleVertex, ShiftVertex, SubsetVertex, PreprocessorVertex");
    }
}

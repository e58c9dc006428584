package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import onnx.Onnx.ModelProto;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.internal.OnnxInitializers;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPatternException;
import org.lottery4j.sparsity.NmTestNets;
import org.lottery4j.testing.Nets;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class OnnxExporterTest {

    private static final double TOLERANCE = 1e-5;
    private static final OnnxExporter ONNX = OnnxExporter.builder().build();

    @TempDir
    Path dir;

    private double exportAndCompare(Model net, INDArray input, String file) throws Exception {
        return OnnxRuntime.exportAndCompare(net, input, dir.resolve(file));
    }

    private static DataSet randomData(int n, long features, int classes, long seed) {
        return OnnxRuntime.randomData(n, features, classes, seed);
    }

    @Test
    void prunedLenetRunsInOnnxRuntimeAsInDl4jWithExactZeros() throws Exception {
        MultiLayerNetwork net = Nets.lenet(7);
        LotteryTicket ticket = LotteryTicket.builder(net).method(PruningMethod.magnitude())
                .scope(PruningScope.layerwise()).build();
        DataSet data = randomData(64, 784, 10, 1);
        for (int round = 0; round < 2; round++) {
            for (int step = 0; step < 3; step++) {
                net.fit(data);
            }
            ticket.pruneAndRewind(0.5);
        }
        net.fit(data);

        assertThat(exportAndCompare(net, randomData(32, 784, 10, 2).getFeatures(), "lenet.onnx")).isLessThanOrEqualTo(TOLERANCE);

        Map<String, OnnxInitializers.Tensor> weights = OnnxInitializers.read(dir.resolve("lenet.onnx"));
        assertThat(weights.keySet()).containsExactly(
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "output.weight", "output.bias");
        SparsityReport sparsity = ticket.sparsity();
        for (String layer : new String[] {"fc1", "fc2", "output"}) {
            OnnxInitializers.Tensor w = weights.get(layer + ".weight");
            INDArray dl4j = net.getLayer(layer).getParam("W"); // [nIn, nOut]
            assertThat(w.dims()).containsExactly(dl4j.size(1), dl4j.size(0));
            // bit for bit: W^T in row-major order, pruned weights exact zeros
            assertThat(Nets.bits(w.data())).isEqualTo(Nets.bits(OnnxRuntime.flat(dl4j.transpose())));
            long zeros = 0;
            for (float v : w.data()) {
                zeros += Float.floatToRawIntBits(v) == 0 ? 1 : 0;
            }
            assertThat(zeros).as(layer).isEqualTo(sparsity.byLayer().get(layer).pruned());
            assertThat(zeros).as(layer).isGreaterThan(w.data().length / 2);
        }
    }

    @ParameterizedTest(name = "batchNorm={0}")
    @ValueSource(booleans = {false, true})
    void mnistConvNetRunsInOnnxRuntimeAsInDl4j(boolean batchNorm) throws Exception {
        MultiLayerNetwork net = Nets.mnistConvNet(3, batchNorm);
        DataSet data = randomData(32, 784, 10, 4);
        for (int step = 0; step < 4; step++) {
            net.fit(data); // moves the batch-norm statistics away from mean 0, variance 1
        }
        if (batchNorm) {
            assertThat(net.getLayer("bn2").getParam("mean").maxNumber().doubleValue()).isNotZero();
        }
        INDArray input = randomData(16, 784, 10, 5).getFeatures();
        assertThat(exportAndCompare(net, input, "convnet-bn-" + batchNorm + ".onnx")).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void sameModeStridesDilationsAveragePoolingAndOtherActivationsMatchDl4j() throws Exception {
        MultiLayerNetwork net = Nets.mixedConvNet(11);
        DataSet data = randomData(24, 13 * 11 * 2, 3, 8);
        for (int step = 0; step < 3; step++) {
            net.fit(data);
        }
        assertThat(exportAndCompare(net, randomData(8, 13 * 11 * 2, 3, 9).getFeatures(), "mixed.onnx"))
                .isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest(name = "{0}, includePad={1}")
    @CsvSource({"Same, true", "Same, false", "Truncate, true", "Truncate, false"})
    void averagePoolingCountsPaddingAsDl4jDoes(ConvolutionMode mode, boolean includePad) throws Exception {
        MultiLayerNetwork net = Nets.averagePooling(mode, includePad);
        INDArray input = randomData(4, 7 * 8 * 2, 3, 1).getFeatures();
        assertThat(exportAndCompare(net, input, "avg-" + mode + "-" + includePad + ".onnx")).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void convolutionalInputWithoutPreprocessorTakesNchwInputAndPadsSameModeAutomatically() throws Exception {
        MultiLayerNetwork net = Nets.nchwConvNet(5);
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, 5, 2, 7, 9);
        assertThat(exportAndCompare(net, input, "nchw.onnx")).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void computationGraphOfLayersRunsAsInDl4j() throws Exception {
        Model graph = Nets.mlp(Nets.Kind.GRAPH, 4);
        Nets.fit(graph, Nets.data(48, 12, 2), 1);
        assertThat(exportAndCompare(graph, Nets.dataSet(10, 3).getFeatures(), "graph.onnx"))
                .isLessThanOrEqualTo(TOLERANCE);
        assertThat(OnnxInitializers.read(dir.resolve("graph.onnx")).keySet())
                .containsExactly("dense0.weight", "dense0.bias", "dense1.weight", "dense1.bias", "output.weight", "output.bias");
    }

    @Test
    void computationGraphConvNetWithPreprocessorsRunsAsInDl4j() throws Exception {
        ComputationGraphConfiguration conf = Nets.base(6).graphBuilder()
                .addInputs("pixels")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "pixels")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("pool", new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(10, 10, 1))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        DataSet data = randomData(16, 100, 3, 2);
        for (int step = 0; step < 3; step++) {
            graph.fit(data);
        }
        assertThat(exportAndCompare(graph, randomData(6, 100, 3, 3).getFeatures(), "graph-conv.onnx"))
                .isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void doubleNetworksAreWrittenInFloatAndLossLayersApplyTheirActivation() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.base(9).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().name("fc").nIn(12).nOut(3).activation(Activation.TANH).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("loss")
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(12))
                .build());
        net.init();
        assertThat(exportAndCompare(net, Nets.dataSet(10, 3).getFeatures(), "double.onnx")).isLessThanOrEqualTo(TOLERANCE);
        assertThat(OnnxInitializers.read(dir.resolve("double.onnx")).get("fc.weight").dims()).containsExactly(3, 12);
    }

    @Test
    void aPatternIsCheckedBeforeWritingAndRecordedWithTheCallersMetadata() throws Exception {
        Path file = dir.resolve("conv.onnx");
        Files.writeString(file, "previous");
        OnnxExporter checked = OnnxExporter.builder().pattern(NmPattern.TWO_FOUR).metadata("source", "unit test").build();
        assertThatThrownBy(() -> checked.export(NmTestNets.conv(3), file))
                .isInstanceOf(NmPatternException.class)
                .hasMessage("the weights are not 2:4 sparse, nothing was written (prune to the pattern and apply the"
                        + " masks first): conv.weight has 72 of 72 groups with more than 2 non-zeros;"
                        + " dense.weight has 256 of 256 groups with more than 2 non-zeros;"
                        + " output.weight has 6 of 6 groups with more than 2 non-zeros");
        assertThat(Files.readString(file)).isEqualTo("previous");

        OnnxExporter.Summary s = checked.export(SafetensorsExporterTest.prunedConvNet(), file);
        assertThat(s.file()).isEqualTo(file);
        assertThat(s.bytes()).isEqualTo(Files.size(file));
        assertThat(s.initializers().keySet()).containsExactly("conv.weight", "conv.bias", "dense.weight", "dense.bias",
                "output.weight", "output.bias");
        assertThat(s.initializers().get("dense.weight")).containsExactly(8, 128);
        assertThat(s.pattern().entries()).extracting(e -> e.name() + " " + e.violatingGroups())
                .containsExactly("conv.weight 0", "dense.weight 0", "output.weight 0");
        Map<String, String> meta = metadata(file);
        assertThat(meta).containsEntry("source", "unit test").containsEntry("sparsity_pattern", "2:4")
                .containsEntry("provenance.network", "MultiLayerNetwork")
                .containsEntry("provenance.java", System.getProperty("java.version"))
                .doesNotContainKey("sparsity_pattern_skipped");
        assertThat(meta.get("provenance.lottery4j")).isNotBlank();

        assertThat(ONNX.export(NmTestNets.conv(3), file).pattern()).isNull();
        assertThat(metadata(file)).containsEntry("sparsity_pattern", "none").doesNotContainKey("source");
        assertThatThrownBy(() -> OnnxExporter.builder().metadata("sparsity_pattern", "1:4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata key 'sparsity_pattern' is written by the exporter itself");
        assertThatThrownBy(() -> OnnxExporter.builder().metadata("provenance.java", "8"))
                .hasMessage("metadata key 'provenance.java' is written by the exporter itself");
    }

    private static Map<String, String> metadata(Path onnx) throws IOException {
        Map<String, String> out = new TreeMap<>();
        ModelProto.parseFrom(Files.readAllBytes(onnx)).getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Test
    void unsupportedLayersFailNamingTheLayerAndWriteNothing() {
        Path target = dir.resolve("lstm.onnx");
        assertThatThrownBy(() -> ONNX.export(Nets.lstmNet(1), target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'layer0'")
                .hasMessageContaining("LSTM is not supported");
        assertThat(target).doesNotExist();

        assertThatThrownBy(() -> ONNX.toBytes(Nets.convNet(1)))
                .hasMessageContaining("layer 'layer3'")
                .hasMessageContaining("hasLayerNorm");
    }

    @Test
    void unsupportedActivationsFailNamingTheLayerAndActivation() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.base(1).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(4).nOut(3).activation(Activation.CUBE).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        assertThatThrownBy(() -> ONNX.toBytes(net))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'hidden'")
                .hasMessageContaining("activation cube is not supported");
    }

    @Test
    void aWriteIntoAFileInsteadOfAFolderFailsAndLeavesNothing() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> ONNX.export(Nets.lenet(1), notAFolder.resolve("model.onnx")))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(notAFolder)).isEqualTo("x");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(notAFolder);
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.onnx");
        Files.writeString(target, "old");
        MultiLayerNetwork net = Nets.lenet(2);
        assertThatThrownBy(() -> ONNX.export(net, target, out -> new FailingStream(out, 200_000)))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    /** Passes {@code limit} bytes through, then fails as a full disk would. */
    private static final class FailingStream extends OutputStream {
        private final OutputStream out;
        private long left;

        FailingStream(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("disk full");
            }
            out.write(b, off, len);
            left -= len;
        }
    }
}

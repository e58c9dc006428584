package org.lottery4j.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.testing.Nets;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SparseModelTest {

    static final double TOLERANCE = 1e-5;

    /** Sets exactly round(fraction * n) weights of each weight matrix or kernel to zero, chosen by a seeded shuffle. */
    static long prune(Model net, double fraction, long seed) {
        Layer[] layers = net instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) net).getLayers();
        Random random = new Random(seed);
        long kept = 0;
        for (Layer layer : layers) {
            INDArray w = layer.paramTable().get("W");
            if (w == null) {
                continue;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < w.length(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            int zeros = (int) Math.round(fraction * w.length());
            INDArray flat = w.reshape(w.ordering(), new long[] {w.length()}); // a view: writes reach the layer
            for (int i = 0; i < zeros; i++) {
                flat.putScalar(order.get(i), 0.0);
            }
            kept += w.neq(0).castTo(DataType.INT).sumNumber().longValue();
        }
        return kept;
    }

    static INDArray dl4j(Model net, INDArray x) {
        return net instanceof MultiLayerNetwork m ? m.output(x) : ((ComputationGraph) net).outputSingle(x);
    }

    /** Runs both on x; asserts the outputs agree within the tolerance and name the same classes; returns the difference. */
    static double assertParity(Model net, SparseModel sparse, INDArray x) {
        float[] expected = dl4j(net, x).castTo(DataType.FLOAT).dup('c').data().asFloat();
        int batch = (int) x.size(0);
        float[] input = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] got = sparse.output(input, batch);
        assertThat(got).hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs(got[i] - expected[i]));
        }
        assertThat(max).as("max abs difference from DL4J").isLessThanOrEqualTo(TOLERANCE);
        int classes = expected.length / batch;
        if (classes > 1) {
            int[] predicted = sparse.predict(input, batch);
            for (int b = 0; b < batch; b++) {
                int best = 0;
                for (int j = 1; j < classes; j++) {
                    best = expected[b * classes + j] > expected[b * classes + best] ? j : best;
                }
                assertThat(predicted[b]).as("class of example %d", b).isEqualTo(best);
            }
        }
        return max;
    }

    static INDArray randomInput(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape);
    }

    @ParameterizedTest(name = "{0} pruned")
    @ValueSource(doubles = {0, 0.5, 0.8, 0.9, 0.98})
    void lenetMatchesDl4jAtEverySparsityAndBatch(double sparsity) {
        MultiLayerNetwork net = Nets.lenet(3);
        long kept = prune(net, sparsity, 5);
        SparseModel sparse = SparseModel.of(net);
        assertThat(sparse.nonZeros()).isEqualTo(kept);
        assertThat(sparse.weights()).isEqualTo(784 * 300 + 300 * 100 + 100 * 10);
        assertThat(sparse.inputShape()).containsExactly(784);
        assertThat(sparse.outputSize()).isEqualTo(10);
        for (int batch : new int[] {1, 8, 64}) {
            assertParity(net, sparse, randomInput(batch, batch, 784));
        }
    }

    @Test
    void aTrainedTicketRunsAsItsNetwork() {
        MultiLayerNetwork net = Nets.lenet(7);
        LotteryTicket ticket = LotteryTicket.builder(net).method(PruningMethod.magnitude())
                .scope(PruningScope.layerwise()).build();
        DataSet data = new DataSet(randomInput(1, 64, 784), Nd4j.eye(10).repeat(0, 7).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        for (int round = 0; round < 3; round++) {
            for (int step = 0; step < 3; step++) {
                net.fit(data);
            }
            ticket.pruneAndRewind(0.6);
        }
        net.fit(data);
        SparseModel sparse = SparseModel.of(ticket);
        assertThat(sparse.nonZeros()).isEqualTo(ticket.sparsity().overall().remaining());
        assertParity(net, sparse, randomInput(2, 64, 784));
    }

    @Test
    void aLayerPrunedToNothingGivesItsBiasesThroughItsActivation() {
        MultiLayerNetwork net = Nets.lenet(4);
        net.getLayer("fc2").getParam("W").assign(0);
        net.getLayer("fc2").getParam("b").assign(Nd4j.linspace(-1, 1, 100, DataType.FLOAT).reshape(1, 100));
        SparseModel sparse = SparseModel.of(net);
        assertThat(sparse.steps()).filteredOn(s -> s.layer().equals("fc2") && s.kind().equals("linear"))
                .singleElement().satisfies(s -> assertThat(s.nonZeros()).isZero());
        assertParity(net, sparse, randomInput(3, 8, 784));
    }

    @ParameterizedTest(name = "batch norm {0}, {1} pruned")
    @CsvSource({"false, 0", "false, 0.5", "false, 0.9", "true, 0", "true, 0.9", "false, 1"})
    void convNetsMatchDl4j(boolean batchNorm, double sparsity) {
        MultiLayerNetwork net = Nets.mnistConvNet(2, batchNorm);
        if (batchNorm) { // trained a little, so that the running mean and variance are not 0 and 1
            for (int step = 0; step < 3; step++) {
                net.fit(new DataSet(randomInput(4, 16, 784), Nd4j.eye(10).repeat(0, 2)
                        .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16), org.nd4j.linalg.indexing.NDArrayIndex.all())));
            }
        }
        long kept = prune(net, sparsity, 9);
        SparseModel sparse = SparseModel.of(net);
        assertThat(sparse.nonZeros()).isEqualTo(kept);
        assertThat(sparse.steps()).extracting(SparseModel.Step::kind).containsSubsequence(
                "reshape", "conv", "relu", "maxpool", "conv", "maxpool", "reshape", "linear", "relu", "linear", "softmax");
        for (int batch : new int[] {1, 5}) {
            assertParity(net, sparse, randomInput(10 + batch, batch, 784));
        }
    }

    @Test
    void everySupportedSettingAndActivationMatchesDl4j() {
        MultiLayerNetwork net = Nets.mixedConvNet(11);
        DataSet data = new DataSet(randomInput(8, 24, 13 * 11 * 2), Nd4j.eye(3).repeat(0, 8));
        for (int step = 0; step < 3; step++) {
            net.fit(data);
        }
        prune(net, 0.5, 1);
        SparseModel sparse = SparseModel.of(net);
        assertThat(sparse.steps()).extracting(SparseModel.Step::kind).containsExactly(
                "reshape", "conv", "tanh", "conv", "leakyrelu", "avgpool", "maxpool", "reshape", "linear", "sigmoid",
                "batchnorm", "linear");
        assertParity(net, sparse, randomInput(9, 8, 13 * 11 * 2));
    }

    @ParameterizedTest(name = "{0}, includePad={1}")
    @CsvSource({"Same, true", "Same, false", "Truncate, true", "Truncate, false"})
    void averagePoolingCountsPaddingAsDl4jDoes(ConvolutionMode mode, boolean includePad) {
        MultiLayerNetwork net = Nets.averagePooling(mode, includePad);
        assertParity(net, SparseModel.of(net), randomInput(1, 4, 7 * 8 * 2));
    }

    @Test
    void aConvolutionWithoutPreprocessorNeedsItsInputShape() {
        MultiLayerNetwork net = Nets.nchwConvNet(5);
        assertThatThrownBy(() -> SparseModel.of(net))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input shape [2, -1, -1]")
                .hasMessageContaining("SparseModel.of(network, channels, height, width)");
        assertThatThrownBy(() -> SparseModel.of(net, 3, 7, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input shape [3, 7, 9] does not fit the network's [2, -1, -1]");
        SparseModel sparse = SparseModel.of(net, 2, 7, 9);
        assertThat(sparse.inputShape()).containsExactly(2, 7, 9);
        assertParity(net, sparse, randomInput(3, 5, 2, 7, 9));
        // a DL4J batch in the input's own shape
        INDArray x = randomInput(4, 3, 2, 7, 9);
        assertThat(sparse.output(x).shape()).containsExactly(3, 3);
        assertThat(sparse.output(x).dup('c').data().asFloat()).containsExactly(
                sparse.output(x.dup('c').data().asFloat(), 3));
    }

    @Test
    void aComputationGraphChainRunsAsInDl4j() {
        ComputationGraphConfiguration conf = Nets.base(6).graphBuilder()
                .addInputs("pixels")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "pixels")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("pool", new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build(), "bn")
                .addLayer("fc", new DenseLayer.Builder().nOut(20).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(10, 10, 1))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        DataSet data = new DataSet(randomInput(2, 16, 100), Nd4j.eye(3).repeat(0, 6)
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        for (int step = 0; step < 3; step++) {
            graph.fit(data);
        }
        long kept = prune(graph, 0.7, 2);
        SparseModel sparse = SparseModel.of(graph);
        assertThat(sparse.nonZeros()).isEqualTo(kept);
        assertParity(graph, sparse, randomInput(3, 6, 100));
    }

    @Test
    void anExampleGetsTheSameBitsInAnyBatchThatRunsTheSameKernelsAndWithinRoundingInAnyOther() {
        // pruned so far that every layer runs sparse at every batch: the sparse kernels sum alike alone and in a batch
        MultiLayerNetwork net = Nets.mixedConvNet(3);
        prune(net, 0.97, 4);
        SparseModel sparse = SparseModel.of(net);
        assertThat(sparse.kernels(9)).isEqualTo(sparse.kernels(1)).doesNotContain("dense-nd4j", "dense-java");
        assertSameAloneAndInABatch(sparse, true);
        // denser: batch 1 and batch 9 run different kernels, so the results agree within float rounding
        MultiLayerNetwork denser = Nets.mixedConvNet(3);
        prune(denser, 0.6, 4);
        SparseModel mixed = SparseModel.of(denser);
        assertThat(mixed.kernels(9)).isNotEqualTo(mixed.kernels(1));
        assertSameAloneAndInABatch(mixed, false);
        // wide enough that two threads split the sparse products: the same bits on one thread or two
        MultiLayerNetwork wide = new MultiLayerNetwork(Nets.base(1).list()
                .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        wide.init();
        prune(wide, 0.9, 1);
        SparseModel one = SparseModel.of(wide);
        SparseModel two = one.withThreads(2);
        assertThat(two.threads()).isEqualTo(2);
        assertThat(one.threads()).isEqualTo(1);
        assertThat(one.kernels(64).get(0)).isEqualTo("sparse");
        float[] x = randomInput(6, 64, 1024).dup('c').data().asFloat();
        assertThat(64L * one.steps().get(0).nonZeros()).isGreaterThanOrEqualTo(LinearOp.PARALLEL_WORK);
        assertThat(Nets.bits(two.output(x, 64))).containsExactly(Nets.bits(one.output(x, 64)));
    }

    /** Each of 9 examples alone against in one batch: the same bits, or within 1e-6 and the same bits on a second call. */
    private static void assertSameAloneAndInABatch(SparseModel sparse, boolean bitExact) {
        int n = sparse.inputSize();
        float[] batch = randomInput(5, 9, n).dup('c').data().asFloat();
        float[] all = sparse.output(batch, 9);
        assertThat(Nets.bits(sparse.output(batch, 9))).as("a second call").containsExactly(Nets.bits(all));
        int out = sparse.outputSize();
        for (int b = 0; b < 9; b++) {
            float[] alone = sparse.output(java.util.Arrays.copyOfRange(batch, b * n, (b + 1) * n), 1);
            float[] inBatch = java.util.Arrays.copyOfRange(all, b * out, (b + 1) * out);
            if (bitExact) {
                assertThat(Nets.bits(alone)).as("example %d", b).containsExactly(Nets.bits(inBatch));
            } else {
                for (int j = 0; j < out; j++) {
                    assertThat(alone[j]).as("example %d [%d]", b, j).isCloseTo(inBatch[j],
                            org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        SparseModel sparse = SparseModel.of(Nets.lenet(1));
        assertThatThrownBy(() -> sparse.output(new float[783], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input of 783 values is not 1 examples of 784 values (input shape [784])");
        assertThatThrownBy(() -> sparse.output(new float[784 * 2], 3))
                .hasMessage("input of 1568 values is not 3 examples of 784 values (input shape [784])");
        float[] x = new float[784 * 2];
        x[784 + 17] = Float.NaN;
        assertThatThrownBy(() -> sparse.output(x, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input value NaN at example 1, feature 17: inputs must be finite numbers");
        x[784 + 17] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> sparse.predict(x, 2)).hasMessageContaining("-Infinity at example 1, feature 17");
        assertThatThrownBy(() -> sparse.output(Nd4j.zeros(DataType.FLOAT, 784)))
                .hasMessageContaining("has no batch dimension");
        assertThatThrownBy(() -> sparse.withThreads(0)).hasMessageContaining("threads must be at least 1, got 0");
    }

    @Test
    void unsupportedLayersAndActivationsFailNamingTheLayer() {
        MultiLayerNetwork lstm = Nets.lstmNet(1);
        assertThatThrownBy(() -> SparseModel.of(lstm))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot build a sparse model")
                .hasMessageContaining("is not supported");
        MultiLayerNetwork cube = new MultiLayerNetwork(Nets.base(1).list()
                .layer(new DenseLayer.Builder().name("cubed").nIn(4).nOut(3).activation(Activation.CUBE).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        cube.init();
        assertThatThrownBy(() -> SparseModel.of(cube))
                .hasMessageContaining("layer 'cubed'")
                .hasMessageContaining("activation cube is not supported");
    }
}

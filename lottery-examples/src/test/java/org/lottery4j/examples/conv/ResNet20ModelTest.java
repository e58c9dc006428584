package org.lottery4j.examples.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.OrtRun;
import org.lottery4j.export.OnnxExporter;
import org.lottery4j.export.SafetensorsExporter;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.hparams.LearningRateSchedule;
import org.lottery4j.hparams.Step;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.mask.Mask;
import org.lottery4j.network.LayerKind;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** ResNet-20 as a ComputationGraph: its size, a ticket that never masks batch normalization, late and learning-rate rewinding. */
class ResNet20ModelTest {

    @Test
    void parameterCountsMatchTheArchitecture() {
        // convolution weights (no biases): conv1 3*16*9 = 432 (MNIST 1*16*9 = 144);
        // stage 1: 6 x 16*16*9 = 13,824; stage 2: 16*32*9 + 5 x 32*32*9 = 4,608 + 46,080, projection 16*32 = 512;
        // stage 3: 32*64*9 + 5 x 64*64*9 = 18,432 + 184,320, projection 32*64 = 2,048. Total 270,256 on CIFAR-10.
        // batch normalization, 4 per channel in DL4J (gamma, beta, running mean and variance):
        // 16 * 7 + 32 * 7 + 64 * 7 = 784 channels -> 3,136 (of which gamma and beta: 1,568).
        // output 64*10 + 10 = 650.
        // DL4J count: 270,256 + 3,136 + 650 = 274,042; trainable (PyTorch's count) 272,474, open_lth's ResNet-20.
        ComputationGraph cifar = ResNet20.network(ImageShape.CIFAR10, 1);
        assertThat(cifar.numParams()).isEqualTo(274_042);
        assertThat(ResNet20.network(ImageShape.MNIST, 1).numParams()).isEqualTo(274_042 - 432 + 144);
        NetworkView view = NetworkView.of(cifar);
        long convWeights = view.params().stream().filter(p -> p.layerKind() == LayerKind.CONVOLUTION)
                .mapToLong(ParamInfo::length).sum();
        assertThat(convWeights).isEqualTo(270_256);
        long bn = view.params().stream().filter(p -> p.layerKind() == LayerKind.NORMALIZATION).mapToLong(ParamInfo::length).sum();
        assertThat(bn).isEqualTo(3_136);
        assertThat(view.params().stream().filter(p -> p.layerKind() == LayerKind.NORMALIZATION).map(p -> p.key().layer())
                .distinct().count()).as("a normalization after each of the 21 convolutions").isEqualTo(21);
    }

    @Test
    void theDefaultScopePrunesEveryConvolutionAndTheOutputButNoBatchNormalization() {
        NetworkView view = NetworkView.of(ResNet20.network(ImageShape.CIFAR10, 1));
        Set<String> prunable = view.params().stream().filter(PruningScope::isPrunableByDefault)
                .map(p -> p.key().toString()).collect(Collectors.toSet());
        Set<String> expected = view.params().stream()
                .filter(p -> p.layerKind() == LayerKind.CONVOLUTION || p.key().equals(ParamKey.of("output", "W")))
                .map(p -> p.key().toString()).collect(Collectors.toSet());
        assertThat(expected).hasSize(22); // 21 convolutions and the output weights
        assertThat(prunable).isEqualTo(expected);
    }

    @Test
    void trainsAsAGlobalTicketAndNeverMasksBatchNormalization() {
        ImageShape tiny = new ImageShape(1, 8, 8); // stride 2 twice: 8 -> 4 -> 2
        DataSet batch = TicketChecks.randomImages(tiny, 4, 5);
        ComputationGraph net = ResNet20.network(tiny, 13);
        ImageModel.RESNET20.paperTraining().applyTo(net, 1);
        NetworkView view = NetworkView.of(net);
        List<ParamInfo> bn = view.params().stream().filter(p -> p.layerKind() == LayerKind.NORMALIZATION).toList();
        try (LotteryTicket ticket = LotteryTicket.builder(net).method(PruningMethod.magnitude())
                .scope(ImageModel.RESNET20.paperPruning().scope()).build()) {
            net.fit(batch);
            ticket.pruneAndRewind(0.2);
            net.fit(batch);
            ticket.pruneAndRewind(0.2);
            for (int step = 0; step < 3; step++) {
                net.fit(batch);
            }
            // global: 20% of the 22 weights together, twice: round(0.2 n), then round(0.2 of the rest)
            long n = view.params().stream().filter(PruningScope::isPrunableByDefault).mapToLong(ParamInfo::length).sum();
            long first = Math.round(0.2 * n);
            assertThat(TicketChecks.assertPrunedWeightsAreZero(ticket)).isEqualTo(first + Math.round(0.2 * (n - first)));
            for (ParamInfo p : bn) {
                assertThat(ticket.masks().keys()).as("batch normalization is never masked").doesNotContain(p.key());
            }
        }
    }

    @Test
    void lateRewindingRestoresTheSnapshotAtKExactlyBatchNormStatisticsIncluded() {
        ImageShape tiny = new ImageShape(1, 8, 8);
        DataSet batch = TicketChecks.randomImages(tiny, 4, 6);
        ComputationGraph net = ResNet20.network(tiny, 17);
        ImageModel.RESNET20.paperTraining().applyTo(net, 1);
        try (LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.iteration(2))
                .scope(ImageModel.RESNET20.paperPruning().scope()).build()) {
            net.fit(batch);
            net.fit(batch);
            float[] atTwo = net.params().toFloatVector();
            net.fit(batch);
            net.fit(batch);
            assertThat(net.params().toFloatVector()).isNotEqualTo(atTwo);

            ticket.pruneAndRewind(0.2);

            float[] now = net.params().toFloatVector();
            NetworkView view = NetworkView.of(net);
            long pruned = 0;
            for (ParamInfo p : view.params()) {
                Mask mask = ticket.masks().asMap().get(p.key());
                for (int i = 0; i < p.length(); i++) {
                    int at = (int) p.offset() + i;
                    boolean off = mask != null && !mask.isKept(i);
                    pruned += off ? 1 : 0;
                    // batch normalization's gamma, beta, running mean and variance come back as they were at K too
                    assertThat(Float.floatToIntBits(now[at])).as("%s[%d]", p.key(), i)
                            .isEqualTo(Float.floatToIntBits(off ? 0f : atTwo[at]));
                }
            }
            assertThat(pruned).isPositive();
            assertThat(Optimizers.scheduleStart(net)).hasValue(2);
        }
    }

    @Test
    void learningRateRewindingKeepsTheWeightsAndReplaysTheStepDecay() {
        ImageShape tiny = new ImageShape(1, 8, 8);
        DataSet batch = TicketChecks.randomImages(tiny, 4, 7);
        ComputationGraph net = ResNet20.network(tiny, 19);
        ImageModel.RESNET20.paperTraining().toBuilder()
                .schedule(LearningRateSchedule.stepDecay(0.1, Step.ofIterations(2), Step.ofIterations(3))).build()
                .applyTo(net, 1);
        try (LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.lrRewind())
                .scope(ImageModel.RESNET20.paperPruning().scope()).build()) {
            for (int step = 0; step < 4; step++) {
                net.fit(batch);
            }
            assertThat(Optimizers.schedulePosition(net)).isEqualTo(4);
            ticket.prune(0.2);
            float[] pruned = net.params().toFloatVector();

            ticket.rewind();

            assertThat(net.params().toFloatVector()).containsExactly(pruned);
            assertThat(Optimizers.schedulePosition(net)).isZero();
            assertThat(TicketChecks.assertPrunedWeightsAreZero(ticket)).isPositive();
        }
    }

    @Test
    void aResNet20TicketExportsToOnnxThatOnnxRuntimeRunsAsDl4jAndToSafetensorsWithPyTorchNames(@TempDir Path dir)
            throws Exception {
        ImageShape tiny = new ImageShape(1, 8, 8);
        DataSet batch = TicketChecks.randomImages(tiny, 4, 8);
        ComputationGraph net = ResNet20.network(tiny, 23);
        ImageModel.RESNET20.paperTraining().applyTo(net, 1);
        try (LotteryTicket ticket = LotteryTicket.builder(net).method(PruningMethod.magnitude())
                .scope(ImageModel.RESNET20.paperPruning().scope()).build()) {
            for (int step = 0; step < 3; step++) {
                net.fit(batch); // batch normalization's running statistics move
            }
            ticket.prune(0.8);
            Path onnx = dir.resolve("resnet20.onnx");
            OnnxExporter.builder().build().export(net, onnx);
            INDArray x = TicketChecks.randomImages(tiny, 5, 9).getFeatures();
            float[] dl4j = net.outputSingle(x).dup('c').reshape(-1).toFloatVector();
            float[] ort = OrtRun.output(onnx, x);
            assertThat(ort).hasSameSizeAs(dl4j);
            for (int i = 0; i < dl4j.length; i++) {
                assertThat((double) ort[i]).as("output %d", i).isCloseTo(dl4j[i], within(1e-5));
            }

            Path weights = dir.resolve("resnet20.safetensors");
            SafetensorsExporter.builder().build().export(net, weights);
            Map<String, long[]> shapes = new HashMap<>();
            SafetensorsFile.readChecked(weights).tensors().forEach((name, t) -> shapes.put(name, t.shape()));
            assertThat(shapes.get("s2b1_proj.weight")).containsExactly(32, 16, 1, 1);
            assertThat(shapes.get("s3b3_conv2.weight")).containsExactly(64, 64, 3, 3);
            assertThat(shapes.get("s1b1_bn1.running_var")).containsExactly(16);
            assertThat(shapes.get("output.weight")).containsExactly(10, 64);
        }
    }
}

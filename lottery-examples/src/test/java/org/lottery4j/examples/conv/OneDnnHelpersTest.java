package org.lottery4j.examples.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.runtime.RuntimeSettings;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The examples' default on the oneDNN build: DL4J's layer helpers on
 * ({@link RuntimeSettings#enableOneDnnHelpers()}, with the {@code lottery-onednn} module the
 * examples depend on). Conv-2 and ResNet-20 get them, compute what
 * DL4J's own layers compute, and keep a ticket's pruned weights exactly zero while training.
 */
class OneDnnHelpersTest {

    private String saved;

    @BeforeEach
    void helpersOn() {
        assumeTrue(RuntimeSettings.hasOneDnn(), "the nd4j-native build has no oneDNN (-Dnd4j.classifier)");
        saved = System.clearProperty(RuntimeSettings.HELPERS_PROPERTY);
        assertThat(RuntimeSettings.hasOneDnnBridge()).isTrue();
        assertThat(RuntimeSettings.enableOneDnnHelpers()).isTrue();
        // DL4J's reflective check finds the bridge lottery-onednn puts back
        assertThat(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN()).isTrue();
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(RuntimeSettings.HELPERS_PROPERTY);
        } else {
            System.setProperty(RuntimeSettings.HELPERS_PROPERTY, saved);
        }
    }

    @Test
    void convolutionPoolingAndBatchNormLayersGetTheirHelpers() {
        assertThat(helpers(ConvNets.network(1, ImageShape.MNIST, 1)))
                .containsExactly("conv1:MKLDNNConvHelper", "conv2:MKLDNNConvHelper", "pool1:MKLDNNSubsamplingHelper");
        assertThat(helpers(ResNet20.network(ImageShape.MNIST, 1)))
                .contains("conv1:MKLDNNConvHelper", "bn1:MKLDNNBatchNormHelper", "s3b3_conv2:MKLDNNConvHelper", "s3b1_proj_bn:MKLDNNBatchNormHelper");
        System.setProperty(RuntimeSettings.HELPERS_PROPERTY, "true");
        assertThat(helpers(ConvNets.network(1, ImageShape.MNIST, 1))).isEmpty();
        assertThat(RuntimeSettings.enableOneDnnHelpers()).as("a user's setting stays").isFalse();
    }

    @Test
    void helpersComputeWhatDl4jComputesAndKeepPrunedWeightsAtZero() {
        ImageShape tiny = new ImageShape(1, 8, 8);
        DataSet batch = TicketChecks.randomImages(tiny, 6, 4);
        MultiLayerNetwork fast = ConvNets.network(1, tiny, 5);
        System.setProperty(RuntimeSettings.HELPERS_PROPERTY, "true");
        MultiLayerNetwork plain = ConvNets.network(1, tiny, 5);
        assertThat(helpers(fast)).isNotEmpty();
        assertThat(helpers(plain)).isEmpty();
        assertThat(fast.params()).isEqualTo(plain.params());
        INDArray a = fast.output(batch.getFeatures());
        INDArray b = plain.output(batch.getFeatures());
        assertThat(a.sub(b).amaxNumber().doubleValue()).isLessThan(1e-5);

        ImageModel.CONV2.paperTraining().applyTo(fast, 1);
        PruningHparams paper = ImageModel.CONV2.paperPruning();
        try (LotteryTicket ticket = LotteryTicket.builder(fast).method(PruningMethod.magnitude())
                .scope(paper.scope()).build()) {
            fast.fit(batch);
            ticket.pruneAndRewind(paper.fraction());
            for (int step = 0; step < 3; step++) {
                fast.fit(batch);
            }
            assertThat(TicketChecks.assertPrunedWeightsAreZero(ticket)).isPositive();
        }

        {
            ComputationGraph resnet = ResNet20.network(new ImageShape(1, 8, 8), 6);
            ImageModel.RESNET20.paperTraining().applyTo(resnet, 1);
            try (LotteryTicket ticket = LotteryTicket.builder(resnet).method(PruningMethod.magnitude())
                    .scope(ImageModel.RESNET20.paperPruning().scope()).build()) {
                resnet.fit(batch);
                ticket.pruneAndRewind(0.2);
                resnet.fit(batch);
                resnet.fit(batch);
                assertThat(TicketChecks.assertPrunedWeightsAreZero(ticket)).isPositive();
            }
        }
    }

    /** {@code layer:HelperClass} for each layer that has a helper. */
    private static List<String> helpers(Model net) {
        Layer[] layers = net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
        List<String> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l.getHelper() != null) {
                out.add(l.conf().getLayer().getLayerName() + ":" + l.getHelper().getClass().getSimpleName());
            }
        }
        return out;
    }
}

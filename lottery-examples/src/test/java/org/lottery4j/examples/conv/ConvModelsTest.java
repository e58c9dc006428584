package org.lottery4j.examples.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.examples.mnist.SmallConvNet;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.api.Test;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.ticket.LotteryTicket;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Conv-2, Conv-4 and Conv-6: their sizes, and training as tickets on tiny images. */
class ConvModelsTest {

    @Test
    void parameterCountsMatchTheArchitectures() {
        // convolution k x k, in -> out: in * out * 9 + out; dense in -> out: in * out + out.
        // conv1 3->64: 1,792 (1->64 on MNIST: 640); conv2 64->64: 36,928; conv3 64->128: 73,856;
        // conv4 128->128: 147,584; conv5 128->256: 295,168; conv6 256->256: 590,080;
        // fc2 256->256: 65,792; output 256->10: 2,570. fc1 takes the last pooling's output:
        // Conv-2 CIFAR 64*16*16 = 16,384 -> 4,194,560   MNIST 64*14*14 = 12,544 -> 3,211,520
        // Conv-4 CIFAR 128*8*8  =  8,192 -> 2,097,408   MNIST 128*7*7  =  6,272 -> 1,605,888
        // Conv-6 CIFAR 256*4*4  =  4,096 -> 1,048,832   MNIST 256*3*3  =  2,304 ->   590,080 (7 -> 3: rounded down)
        Map<ImageModel, long[]> expected = Map.of(
                ImageModel.CONV2, new long[] {4_301_642, 3_317_450},   // paper: 4.3M
                ImageModel.CONV4, new long[] {2_425_930, 1_933_258},   // paper: 2.4M
                ImageModel.CONV6, new long[] {2_262_602, 1_802_698});  // paper: 2.3M
        expected.forEach((model, counts) -> {
            assertThat(model.network(ImageShape.CIFAR10, 1).numParams()).as("%s on CIFAR-10", model).isEqualTo(counts[0]);
            assertThat(model.network(ImageShape.MNIST, 1).numParams()).as("%s on MNIST", model).isEqualTo(counts[1]);
        });
    }

    @Test
    void layersAreNamedAndTheSameSeedGivesTheSameWeights() {
        MultiLayerNetwork conv6 = ConvNets.network(3, ImageShape.CIFAR10, 7);
        assertThat(NetworkView.of(conv6).layerNames()).containsExactly("conv1", "conv2", "pool1", "conv3", "conv4", "pool2",
                "conv5", "conv6", "pool3", "fc1", "fc2", "output");
        assertThat(ConvNets.network(3, ImageShape.CIFAR10, 7).params()).isEqualTo(conv6.params());
        assertThat(ConvNets.network(3, ImageShape.CIFAR10, 8).params()).isNotEqualTo(conv6.params());
    }

    @Test
    void theFirstLayerReadsFlatChannelMajorImagesAsNchw() {
        // the reader's layout: feature c * h * w + i * w + j is channel c, row i, column j
        ImageShape shape = new ImageShape(3, 4, 6);
        MultiLayerNetwork conv2 = ConvNets.network(1, shape, 0);
        INDArray flat = Nd4j.arange(2 * 72).castTo(DataType.FLOAT).reshape('c', 2, 72);
        INDArray nchw = conv2.getLayerWiseConfigurations().getInputPreProcess(0)
                .preProcess(flat, 2, LayerWorkspaceMgr.noWorkspaces());
        assertThat(nchw.shape()).containsExactly(2, 3, 4, 6);
        for (int[] at : new int[][] {{0, 0, 0, 0}, {0, 1, 2, 3}, {1, 2, 3, 5}, {1, 0, 1, 4}}) {
            assertThat(nchw.getFloat(at[0], at[1], at[2], at[3])).isEqualTo(72f * at[0] + 24 * at[1] + 6 * at[2] + at[3]);
        }
    }

    @Test
    void imagesTooSmallForThePoolingsAreRefused() {
        assertThatThrownBy(() -> ConvNets.network(3, new ImageShape(3, 4, 8), 0)).hasMessage(
                "images of shape 3x4x8 are too small for Conv-6: its 3 poolings need at least 8 pixels on each side");
        assertThatThrownBy(() -> ConvNets.network(4, ImageShape.MNIST, 0))
                .hasMessage("Conv-2, Conv-4 and Conv-6 have 1 to 3 pairs of convolutions, got 4");
    }

    @Test
    void eachTrainsAsATicketAndKeepsPrunedWeightsAtZero() {
        ImageShape tiny = new ImageShape(3, 8, 8); // Conv-6's three poolings leave 1x1
        DataSet batch = TicketChecks.randomImages(tiny, 4, 3);
        for (ImageModel model : new ImageModel[] {ImageModel.CONV2, ImageModel.CONV4, ImageModel.CONV6}) {
            MultiLayerNetwork net = (MultiLayerNetwork) model.network(tiny, 11);
            model.paperTraining().applyTo(net, 1);
            PruningHparams paper = model.paperPruning();
            try (LotteryTicket ticket = LotteryTicket.builder(net).method(PruningMethod.magnitude())
                    .scope(paper.scope()).build()) {
                net.fit(batch);
                ticket.pruneAndRewind(paper.fraction());
                for (int step = 0; step < 3; step++) {
                    net.fit(batch);
                }
                // each weight loses round(its fraction x its size): convolutions 10% (Conv-6: 15%), output 10%, dense 20%
                long expectedPruned = 0;
                for (ParamInfo p : NetworkView.of(net).params()) {
                    if (p.weight()) {
                        String layer = p.key().layer();
                        double f = layer.startsWith("conv") ? (model == ImageModel.CONV6 ? 0.15 : 0.1)
                                : layer.equals("output") ? 0.1 : 0.2;
                        expectedPruned += Math.round(f * p.length());
                    }
                }
                assertThat(TicketChecks.assertPrunedWeightsAreZero(ticket)).as(model.modelName()).isEqualTo(expectedPruned);
                assertThat(ticket.masks().keys()).as("weights only, no biases").allMatch(k -> k.param().equals("W"));
            }
        }
    }

    @Test
    void theConvolutionalExamplesCacheIm2colAndTrainToTheSameNumbersAsWithout() {
        DataSet tiny = TicketChecks.randomImages(new ImageShape(1, 8, 8), 4, 3);
        MultiLayerNetwork conv2 = ConvNets.network(1, new ImageShape(1, 8, 8), 5);
        ImageModel.CONV2.paperTraining().applyTo(conv2, 1);
        assertTrainsAsWithoutCache(conv2, tiny);
        assertTrainsAsWithoutCache(SmallConvNet.network(5, new Adam(1e-2)), TicketChecks.randomImages(ImageShape.MNIST, 4, 3));
    }

    /** The network runs with {@link ConvNets#CACHE_MODE}, and a copy without cache trains to the same bits. */
    private static void assertTrainsAsWithoutCache(MultiLayerNetwork cached, DataSet batch) {
        MultiLayerConfiguration conf = cached.getLayerWiseConfigurations();
        assertThat(conf.getCacheMode()).isEqualTo(CacheMode.DEVICE);
        assertThat(conf.getConfs()).allMatch(layer -> layer.getCacheMode() == CacheMode.DEVICE);
        MultiLayerConfiguration plainConf = conf.clone();
        plainConf.setCacheMode(CacheMode.NONE);
        plainConf.getConfs().forEach(layer -> layer.setCacheMode(CacheMode.NONE));
        MultiLayerNetwork plain = new MultiLayerNetwork(plainConf);
        plain.init(cached.params().dup(), false);
        float[] initial = cached.params().toFloatVector();
        for (int step = 0; step < 3; step++) {
            cached.fit(batch);
            plain.fit(batch);
        }
        assertThat(cached.params().toFloatVector()).isNotEqualTo(initial).containsExactly(plain.params().toFloatVector());
    }
}

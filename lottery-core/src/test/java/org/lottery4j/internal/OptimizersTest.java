package org.lottery4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.internal.Momentum;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.internal.ScheduledLearningRate;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

class OptimizersTest {

    private static final DataSetIterator DATA = Nets.data(120, 12, 3);

    private static NeuralNetConfiguration.Builder sgdWithL2(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Sgd(0.5)).biasUpdater(new Sgd(1.0)).l2(0.1);
    }

    private static String configJson(Model net) {
        return net instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) net).getConfiguration().toJson();
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void theAppliedOptimizerReplacesTheNetworksOwn(Nets.Kind kind) {
        Model applied = Nets.mlp(kind, sgdWithL2(21));
        Optimizers.apply(applied, new Adam(1e-2), List.of());
        Model native_ = Nets.mlp(kind, 21); // configured with Adam(1e-2) by DL4J's builder
        Nets.fit(applied, DATA, 2);
        Nets.fit(native_, DATA, 2);
        assertThat(Nets.bits(Nets.params(applied))).isEqualTo(Nets.bits(Nets.params(native_)));
        // and a saved network records it
        assertThat(configJson(applied)).contains("org.nd4j.linalg.learning.config.Adam")
                .doesNotContain("org.nd4j.linalg.learning.config.Sgd", "L2Regularization");
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void anUpdaterDl4jBuiltBeforeIsRebuilt(Nets.Kind kind) {
        Model applied = Nets.mlp(kind, sgdWithL2(22));
        if (applied instanceof MultiLayerNetwork m) {
            assertThat(m.getUpdater()).isNotNull(); // built now, from the Sgd configuration
        } else {
            assertThat(((ComputationGraph) applied).getUpdater()).isNotNull();
        }
        Optimizers.apply(applied, new Adam(1e-2), List.of());
        Model native_ = Nets.mlp(kind, 22);
        Nets.fit(applied, DATA, 1);
        Nets.fit(native_, DATA, 1);
        assertThat(Nets.bits(Nets.params(applied))).isEqualTo(Nets.bits(Nets.params(native_)));
    }

    private static List<Regularization> weightRegularization(MultiLayerNetwork net, int layer) {
        return ((BaseLayer) net.getLayer(layer).conf().getLayer()).getRegularization();
    }

    @Test
    void l2TrainsAsDl4jsOwn() {
        MultiLayerNetwork applied = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, sgdWithL2(23));
        Optimizers.apply(applied, new Adam(1e-2), List.of(new L2Regularization(1e-2)));
        MultiLayerNetwork dl4j = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, Nets.base(23).l2(1e-2));
        Nets.fit(applied, DATA, 2);
        Nets.fit(dl4j, DATA, 2);
        assertThat(Nets.bits(Nets.params(applied))).isEqualTo(Nets.bits(Nets.params(dl4j)));
    }

    @Test
    void decoupledWeightDecayIsInstalledOncePerLayer() {
        WeightDecay decay = new WeightDecay(1e-2, true);
        MultiLayerNetwork applied = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, sgdWithL2(23));
        Optimizers.apply(applied, new Adam(1e-2), List.of(decay));
        for (int layer = 0; layer < 3; layer++) {
            assertThat(weightRegularization(applied, layer)).containsExactly(decay);
            assertThat(((BaseLayer) applied.getLayer(layer).conf().getLayer()).getRegularizationBias()).isEmpty();
        }
        // DL4J's own builder gives every layer its weightDecay twice (so the rate is doubled); the same
        // list installed by apply trains bit for bit as DL4J's network, so apply's single one is what takes effect
        MultiLayerNetwork dl4j = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, Nets.base(23).weightDecay(1e-2, true));
        assertThat(weightRegularization(dl4j, 0)).containsExactly(decay, decay);
        MultiLayerNetwork twice = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, sgdWithL2(23));
        Optimizers.apply(twice, new Adam(1e-2), List.of(decay, decay));
        for (Model net : List.of(applied, dl4j, twice)) {
            Nets.fit(net, DATA, 2);
        }
        assertThat(Nets.bits(Nets.params(twice))).isEqualTo(Nets.bits(Nets.params(dl4j)));
        assertThat(Nets.bits(Nets.params(applied))).isNotEqualTo(Nets.bits(Nets.params(dl4j)));
    }

    @Test
    void theScheduleTravelsInTheConfigurationJsonWithItsPosition() {
        ScheduledLearningRate lr = ScheduledLearningRate.of(0.1, 5, new long[] {20}, 0.5, false, 40);
        MultiLayerNetwork net = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 24);
        Optimizers.apply(net, new Momentum(lr, 0.9), List.of());
        Optimizers.startScheduleAt(net, 17);
        String json = net.getLayerWiseConfigurations().toJson();
        assertThat(json).contains("org.lottery4j.internal.Momentum", "org.lottery4j.internal.ScheduledLearningRate");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertThat(back).isEqualTo(net.getLayerWiseConfigurations());
        MultiLayerNetwork restored = new MultiLayerNetwork(back);
        restored.init();
        assertThat(Optimizers.scheduleStart(restored)).hasValue(17);
        assertThat(restored.getLayer(0).conf().getLayer().getUpdaterByParam("W").getLearningRate(3, 0))
                .isEqualTo(lr.at(20));
    }

    @Test
    void schedulePositionIsStartPlusDl4jsCounter() {
        MultiLayerNetwork net = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 25);
        assertThat(Optimizers.scheduleStart(net)).isEmpty(); // Adam at a constant rate
        Optimizers.apply(net, new Adam(ScheduledLearningRate.of(1e-2, 0, new long[0], 1, true, 100)), List.of());
        Optimizers.startScheduleAt(net, 40);
        Nets.fit(net, DATA, 1); // 10 iterations
        assertThat(Optimizers.schedulePosition(net)).isEqualTo(50);
    }

    @Test
    void anUninitializedNetworkIsRefused() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.base(1).list()
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(2).nOut(2).build()).build());
        assertThatThrownBy(() -> Optimizers.apply(net, new Adam(), List.of()))
                .hasMessage("the network is not initialized: call init() on the MultiLayerNetwork before using it with lottery4j");
    }
}

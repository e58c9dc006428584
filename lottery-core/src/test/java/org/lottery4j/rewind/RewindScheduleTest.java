package org.lottery4j.rewind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.internal.ScheduledLearningRate;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.TestNetworks;
import org.lottery4j.testing.Nets;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What each rewind point does to the learning-rate schedule (RewindPoint's table), on a trained network;
 * late rewinding is in {@link RewindTest}.
 */
class RewindScheduleTest {

    private static final DataSetIterator DATA = Nets.data(120, 12, 3); // 10 iterations an epoch

    // 0.01, x0.1 at iterations 3 and 12, over a budget of 20
    static final ScheduledLearningRate SCHEDULE = ScheduledLearningRate.of(1e-2, 0, new long[] {3, 12}, 0.1, false, 20);

    static Model scheduled(Nets.Kind kind, long seed) {
        Model net = Nets.mlp(kind, seed);
        Optimizers.apply(net, new Adam(SCHEDULE), List.of());
        return net;
    }

    /** The rate DL4J's live updater uses for the next update. */
    static double nextRate(Model net) {
        NetworkView view = NetworkView.of(net);
        org.deeplearning4j.nn.api.Updater updater = net instanceof MultiLayerNetwork m ? m.getUpdater()
                : ((org.deeplearning4j.nn.graph.ComputationGraph) net).getUpdater();
        return ((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) updater).getUpdaterBlocks().get(0)
                .getGradientUpdater().getConfig().getLearningRate(view.iterationCount(), TestNetworks.adapter(view).epochCount());
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void lrRewindingKeepsTheTrainedWeightsAndReplaysTheSchedule(Nets.Kind kind) {
        Model net = scheduled(kind, 42);
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.lrRewind()).build();
        Nets.fit(net, DATA, 1);
        ticket.prune(0.4);
        int[] pruned = Nets.bits(Nets.params(net));
        assertThat(nextRate(net)).isEqualTo(1e-2 * 0.1); // position 10

        ticket.rewind();

        assertThat(Nets.bits(Nets.params(net))).isEqualTo(pruned);
        assertThat(ticket.view().iterationCount()).isZero();
        assertThat(TestNetworks.adapter(ticket.view()).updaterState().amaxNumber().doubleValue()).isZero();
        assertThat(nextRate(net)).isEqualTo(SCHEDULE.at(0)).isEqualTo(1e-2);
        // the replayed schedule drops at its milestone again
        Nets.fit(net, DATA, 1);
        assertThat(nextRate(net)).isEqualTo(1e-2 * 0.1);
    }

    @Test
    void fineTuningContinuesWhereTrainingEnded() {
        Model net = scheduled(Nets.Kind.MULTI_LAYER, 43);
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.fineTune()).build();
        Nets.fit(net, DATA, 1);
        ticket.pruneAndRewind(0.4);
        assertThat(Optimizers.scheduleStart(net)).hasValue(10);
        assertThat(nextRate(net)).isEqualTo(SCHEDULE.at(10));
        Nets.fit(net, DATA, 1); // positions 10..19: past the second milestone
        ticket.pruneAndRewind(0.4);
        assertThat(Optimizers.scheduleStart(net)).hasValue(20);
        assertThat(nextRate(net)).isEqualTo(SCHEDULE.at(19)).isEqualTo(1e-2 * 0.1 * 0.1); // the final rate holds
    }

    @Test
    void initAndRandomReinitRestartTheSchedule() {
        for (RewindPoint point : List.of(RewindPoint.init(), RewindPoint.randomReinit(5))) {
            Model net = scheduled(Nets.Kind.GRAPH, 44);
            LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(point).build();
            Nets.fit(net, DATA, 1);
            ticket.pruneAndRewind(0.2);
            assertThat(Optimizers.scheduleStart(net)).as(point.describe()).hasValue(0);
            assertThat(nextRate(net)).as(point.describe()).isEqualTo(1e-2);
        }
    }

    @Test
    void rewindPointsParseInAnySpelling() {
        assertThat(RewindPoint.parse(" LR-Rewind ")).isEqualTo(RewindPoint.lrRewind());
        assertThat(RewindPoint.lrRewind().describe()).isEqualTo("lr-rewind");
        assertThat(RewindPoint.parse("Iteration: 500")).isEqualTo(RewindPoint.iteration(500));
        assertThat(RewindPoint.parse("INIT")).isEqualTo(RewindPoint.init());
        assertThat(RewindPoint.lrRewind().keepsTrainedWeights()).isTrue();
        assertThat(RewindPoint.lrRewind().snapshotIteration()).isEmpty();
        assertThat(RewindPoint.init().keepsTrainedWeights()).isFalse();
    }
}

package org.lottery4j.rewind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.mask.Mask;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.network.TestNetworks;
import org.lottery4j.testing.Nets;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class RewindTest {

    private static final DataSetIterator DATA = Nets.data(120, 12, 3);

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void rewindToInitRestoresSurvivorsBitForBitAndClearsTrainingState(Nets.Kind kind) {
        Model net = Nets.mlp(kind, 11);
        float[] init = Nets.params(net);
        LotteryTicket ticket = LotteryTicket.builder(net).build();
        Nets.fit(net, DATA, 3);
        NetworkView view = ticket.view();
        assertThat(view.iterationCount()).isEqualTo(30);
        assertThat(TestNetworks.adapter(view).updaterState().sumNumber().doubleValue()).isNotZero();

        ticket.pruneAndRewind(0.5);

        float[] now = Nets.params(net);
        for (ParamInfo p : view.params()) {
            Mask mask = ticket.masks().get(p.key());
            for (int i = 0; i < p.length(); i++) {
                int at = (int) p.offset() + i;
                if (mask != null && !mask.isKept(i)) {
                    assertThat(now[at]).as("pruned %s[%d]", p.key(), i).isEqualTo(0f);
                } else {
                    assertThat(Float.floatToIntBits(now[at])).as("%s[%d]", p.key(), i)
                            .isEqualTo(Float.floatToIntBits(init[at]));
                }
            }
        }
        assertThat(TestNetworks.adapter(view).updaterState().amaxNumber().doubleValue()).isZero();
        assertThat(view.iterationCount()).isZero();
        assertThat(TestNetworks.adapter(view).epochCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void lateRewindingRestoresTheWeightsAfterKUpdatesAndTheRateAtK(Nets.Kind kind) {
        Model net = RewindScheduleTest.scheduled(kind, 12); // x0.1 at iterations 3 and 12
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.iteration(4)).build();
        List<float[]> seen = new ArrayList<>();
        NetworkAdapter.of(net).addListener(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                seen.add(model.params().toFloatVector());
            }
        });
        Nets.fit(net, DATA, 2);
        float[] afterFour = seen.get(3);

        ticket.pruneAndRewind(0.3);

        float[] now = Nets.params(net);
        Map<ParamKey, Mask> masks = ticket.masks().asMap();
        for (ParamInfo p : ticket.view().params()) {
            for (int i = 0; i < p.length(); i++) {
                int at = (int) p.offset() + i;
                boolean pruned = masks.containsKey(p.key()) && !masks.get(p.key()).isKept(i);
                assertThat(Float.floatToIntBits(now[at])).isEqualTo(Float.floatToIntBits(pruned ? 0f : afterFour[at]));
            }
        }
        assertThat(ticket.view().iterationCount()).isZero(); // Adam's bias correction starts again
        assertThat(TestNetworks.adapter(ticket.view()).updaterState().amaxNumber().doubleValue()).isZero();
        assertThat(Optimizers.scheduleStart(net)).hasValue(4);
        assertThat(RewindScheduleTest.nextRate(net)).isEqualTo(RewindScheduleTest.SCHEDULE.at(4)).isEqualTo(1e-2 * 0.1);
    }

    @Test
    void rewindingPastTheTrainedIterationsNamesTheMissingSnapshot() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 13);
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.iteration(500)).build();
        Nets.fit(net, DATA, 1);
        ticket.prune(0.2);
        assertThatThrownBy(ticket::rewind)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot rewind to iteration:500")
                .hasMessageContaining("after 500 updates");
    }

    @Test
    void buildingAfterTrainingCannotRewindToInit() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 14);
        Nets.fit(net, DATA, 1);
        assertThatThrownBy(() -> LotteryTicket.builder(net).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot rewind to init")
                .hasMessageContaining("already trained 10 iterations");
        // fine-tuning needs no snapshot
        assertThat(LotteryTicket.builder(net).rewindTo(RewindPoint.fineTune()).build().round()).isZero();
    }

    @Test
    void fineTuningKeepsTheTrainedSurvivors() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 15);
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.fineTune()).build();
        Nets.fit(net, DATA, 2);
        ticket.prune(0.4);
        int[] pruned = Nets.bits(Nets.params(net));
        ticket.rewind();
        assertThat(Nets.bits(Nets.params(net))).isEqualTo(pruned);
        assertThat(ticket.view().iterationCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void randomReinitDrawsNewWeightsFromTheSameDistributionWithItsOwnSeed(Nets.Kind kind) {
        float[][] reinit = new float[3][];
        float[] init = null;
        long[] seeds = {100, 100, 101};
        Map<ParamKey, Mask> masks = null;
        for (int r = 0; r < 3; r++) {
            Model net = Nets.mlp(kind, 16);
            init = Nets.params(net);
            LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.randomReinit(seeds[r])).build();
            Nets.fit(net, DATA, 1);
            ticket.pruneAndRewind(0.5);
            reinit[r] = Nets.params(net);
            masks = ticket.masks().asMap();
        }
        assertThat(reinit[0]).isEqualTo(reinit[1]);
        assertThat(reinit[0]).isNotEqualTo(reinit[2]);

        ParamInfo w = NetworkView.of(Nets.mlp(kind, 16)).param(ParamKey.of("dense0", "W")).orElseThrow();
        double initStd = std(init, w, null);
        double reinitStd = std(reinit[0], w, masks.get(w.key()));
        assertThat(reinitStd).isBetween(initStd * 0.7, initStd * 1.3);
        long same = 0;
        for (int i = 0; i < w.length(); i++) {
            int at = (int) w.offset() + i;
            if (masks.get(w.key()).isKept(i)) {
                if (reinit[0][at] == init[at]) {
                    same++;
                }
            } else {
                assertThat(reinit[0][at]).isEqualTo(0f);
            }
        }
        assertThat(same).isZero();
    }

    private static double std(float[] flat, ParamInfo p, Mask keptOnly) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < p.length(); i++) {
            if (keptOnly == null || keptOnly.isKept(i)) {
                double v = flat[(int) p.offset() + i];
                sum += v;
                sq += v * v;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(sq / n - mean * mean);
    }

    @Test
    void rewindPointsParseWhatTheyDescribe() {
        for (RewindPoint p : List.of(RewindPoint.init(), RewindPoint.iteration(500), RewindPoint.fineTune(),
                RewindPoint.randomReinit(-3))) {
            assertThat(RewindPoint.parse(p.describe())).isEqualTo(p);
        }
        assertThatThrownBy(() -> RewindPoint.parse("iteration:x"))
                .hasMessageContaining("not a rewind point: 'iteration:x'");
        assertThatThrownBy(() -> RewindPoint.iteration(-1)).hasMessageContaining("-1");
    }

    @Test
    void snapshotsAreCopiesNotViews() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 17);
        RewindSnapshots s = RewindSnapshots.record(NetworkAdapter.of(net).model(), 0, 2);
        Nets.fit(net, DATA, 1);
        INDArray init = s.at(0).orElseThrow();
        INDArray two = s.at(2).orElseThrow();
        assertThat(init.toFloatVector()).isNotEqualTo(two.toFloatVector());
        assertThat(two.toFloatVector()).isNotEqualTo(Nets.params(net));
        assertThat(s.asMap().keySet()).containsExactly(0, 2);
    }

    @Test
    void onlyALateRewindKeepsARecorderListening() {
        // every listener costs DL4J time per step: rewinding to init records at once and needs none
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork atInit =
                (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        LotteryTicket.builder(atInit).rewindTo(RewindPoint.init()).build();
        assertThat(atInit.getListeners()).hasSize(1); // the mask enforcer
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork late =
                (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1);
        LotteryTicket.builder(late).rewindTo(RewindPoint.iteration(3)).build();
        assertThat(late.getListeners()).hasSize(2); // and the recorder, until iteration 3
    }
}

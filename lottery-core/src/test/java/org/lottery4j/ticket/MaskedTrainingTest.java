package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lottery4j.mask.Mask;
import org.lottery4j.network.ParamKey;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

class MaskedTrainingTest {

    static Stream<Arguments> updaters() {
        Map<String, java.util.function.Supplier<NeuralNetConfiguration.Builder>> configs = Map.of(
                // DL4J's weight decay is decoupled from the gradient (applied after the updater): AdamW-style
                "Adam + weight decay (AdamW-style)", () -> Nets.base(7).updater(new Adam(1e-2)).weightDecay(1e-2, true),
                "Adam + L2", () -> Nets.base(7).updater(new Adam(1e-2)).l2(1e-3),
                "Nesterov momentum + L2", () -> Nets.base(7).updater(new Nesterovs(0.05, 0.9)).l2(1e-3),
                "SGD + L1", () -> Nets.base(7).updater(new Sgd(0.1)).l1(1e-3),
                // masks hold on DOUBLE parameters as on FLOAT ones
                "Adam on DOUBLE parameters", () -> Nets.base(7).dataType(DataType.DOUBLE));
        return configs.entrySet().stream().flatMap(e -> Stream.of(Nets.Kind.values())
                .map(k -> Arguments.of(e.getKey(), k, e.getValue())));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("updaters")
    void prunedWeightsStayExactlyZeroThroughTraining(
            String name, Nets.Kind kind, java.util.function.Supplier<NeuralNetConfiguration.Builder> conf) {
        Model net = Nets.mlp(kind, conf.get());
        LotteryTicket ticket = LotteryTicket.builder(net).scope(PruningScope.global()).build();
        DataSetIterator data = Nets.data(240, 24, 1);
        Nets.fit(net, data, 2);
        ticket.pruneAndRewind(0.6);
        float[] afterRewind = Nets.params(net);
        Nets.fit(net, data, 5); // 50 steps with an empty updater state

        assertPrunedZeroAndSurvivorsTrained(ticket, afterRewind);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("updaters")
    void pruningMidTrainingKeepsZerosDespiteMomentumBuiltBefore(
            String name, Nets.Kind kind, java.util.function.Supplier<NeuralNetConfiguration.Builder> conf) {
        Model net = Nets.mlp(kind, conf.get());
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.fineTune()).build();
        DataSetIterator data = Nets.data(240, 24, 2);
        Nets.fit(net, data, 3); // momentum and Adam moments are non-zero for every weight now
        ticket.prune(0.5); // no rewind: the updater keeps its state
        float[] afterPrune = Nets.params(net);
        Nets.fit(net, data, 5);

        assertPrunedZeroAndSurvivorsTrained(ticket, afterPrune);
    }

    private static void assertPrunedZeroAndSurvivorsTrained(LotteryTicket ticket, float[] before) {
        NetworkView view = ticket.view();
        long changedSurvivors = 0;
        for (Map.Entry<ParamKey, Mask> e : ticket.masks().asMap().entrySet()) {
            float[] w = view.read(view.param(e.getKey()).orElseThrow());
            long offset = view.param(e.getKey()).orElseThrow().offset();
            Mask mask = e.getValue();
            assertThat(mask.countPruned()).isPositive();
            for (int i = 0; i < w.length; i++) {
                if (!mask.isKept(i)) {
                    assertThat(w[i]).as("pruned weight %d of %s", i, e.getKey()).isEqualTo(0f);
                } else if (w[i] != before[(int) offset + i]) {
                    changedSurvivors++;
                }
            }
        }
        long survivors = ticket.sparsity().total() - ticket.sparsity().pruned();
        assertThat(changedSurvivors).as("survivors that trained").isGreaterThan(survivors * 9 / 10);
    }
}

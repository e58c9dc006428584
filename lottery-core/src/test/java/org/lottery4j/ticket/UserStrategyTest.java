package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.Pruned;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.testing.Nets;

/** A user's own importance score and a user's own strategy, plugged into a ticket. */
class UserStrategyTest {

    /** |w - w0|: the magnitude of the movement since initialization (Sanh et al.'s movement, unsigned). */
    static final class Movement implements PruningMethod {
        final Map<ParamKey, float[]> initial = new HashMap<>();

        Movement(NetworkView view) {
            for (ParamInfo p : view.params()) {
                initial.put(p.key(), view.read(p));
            }
        }

        @Override
        public void score(ParamKey param, int from, float[] weights, float[] scores, int count) {
            float[] w0 = initial.get(param);
            for (int j = 0; j < count; j++) {
                scores[j] = Math.abs(weights[j] - w0[from + j]);
            }
        }

        @Override
        public String describe() {
            return "movement";
        }
    }

    @Test
    void aUserWrittenScorePrunesTheWeightsThatMovedLeast() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 3);
        Movement movement = new Movement(NetworkView.of(net));
        LotteryTicket ticket = LotteryTicket.builder(net).method(movement).rewindTo(org.lottery4j.rewind.RewindPoint.fineTune()).build();
        Nets.fit(net, Nets.data(120, 12, 1), 2);
        NetworkView view = ticket.view();
        ParamInfo d1 = view.param(ParamKey.of("dense1", "W")).orElseThrow();
        float[] before = movement.initial.get(d1.key());
        float[] after = view.read(d1);

        ticket.prune(0.25);

        // by hand: the round(0.25 x n) smallest |w - w0|, ties to the lower index
        Integer[] order = new Integer[after.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(Math.abs(after[a] - before[a]), Math.abs(after[b] - before[b]));
            return c != 0 ? c : Integer.compare(a, b);
        });
        int removed = (int) Math.round(0.25 * after.length);
        Mask mask = ticket.masks().get(d1.key());
        for (int r = 0; r < order.length; r++) {
            assertThat(mask.isKept(order[r])).as("rank %d (element %d)", r, order[r]).isEqualTo(r >= removed);
        }
        assertThat(ticket.strategy().describe()).isEqualTo("movement layerwise");
    }

    @Test
    void aUserWrittenStrategyIsPrunedWithAndItsMasksAreEnforced() {
        // keeps the first half of every weight, whatever the fraction: not score-based at all
        PruningStrategy firstHalf = new PruningStrategy() {
            @Override
            public Pruned prune(NetworkView network, MaskSet current, double fraction) {
                Map<ParamKey, Mask> next = new LinkedHashMap<>();
                current.asMap().forEach((key, mask) -> {
                    long[] pruned = new long[(int) (mask.length() - mask.length() / 2)];
                    for (int i = 0; i < pruned.length; i++) {
                        pruned[i] = mask.length() / 2 + i;
                    }
                    next.put(key, mask.withPruned(pruned));
                });
                return Pruned.of(MaskSet.of(next));
            }

            @Override
            public MaskSet initialMasks(NetworkView network) {
                return new Pruner(PruningMethod.magnitude(), PruningScope.layerwise()).initialMasks(network);
            }

            @Override
            public String describe() {
                return "first-half";
            }
        };
        Model net = Nets.mlp(Nets.Kind.GRAPH, 4);
        LotteryTicket ticket = LotteryTicket.builder(net).strategy(firstHalf).build();
        ticket.pruneAndRewind(0.9);
        Nets.fit(net, Nets.data(120, 12, 2), 1);
        for (ParamKey key : ticket.masks().keys()) {
            Mask m = ticket.masks().get(key);
            float[] w = ticket.view().read(ticket.view().param(key).orElseThrow());
            for (int i = 0; i < w.length; i++) {
                assertThat(m.isKept(i)).isEqualTo(i < w.length / 2);
                if (!m.isKept(i)) {
                    assertThat(w[i]).isEqualTo(0f);
                }
            }
        }
        assertThat(ticket.toString()).contains("first-half");
    }

    @Test
    void aStrategyWhoseMasksWouldGrowIsRefusedAndTheMasksStay() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 5);
        LotteryTicket ticket = LotteryTicket.builder(net).build();
        ticket.prune(0.5);
        MaskSet pruned = ticket.masks();
        PruningStrategy reviving = new PruningStrategy() {
            @Override
            public Pruned prune(NetworkView network, MaskSet current, double fraction) {
                return Pruned.of(initialMasks(network));
            }

            @Override
            public MaskSet initialMasks(NetworkView network) {
                return new Pruner(PruningMethod.magnitude(), PruningScope.layerwise()).initialMasks(network);
            }

            @Override
            public String describe() {
                return "reviving";
            }
        };
        LotteryTicket again = LotteryTicket.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 5)).masks(pruned).strategy(reviving).build();
        assertThatThrownBy(() -> again.prune(0.2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revives").hasMessageContaining("masks only ever shrink");
        assertThat(again.masks()).isEqualTo(pruned);
        assertThat(again.round()).isZero();
    }
}

package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamKey;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.testing.Nets;

class LotteryTicketTest {

    /** Three rounds of iterative pruning; returns the final weights. */
    private static LotteryTicket search(Nets.Kind kind, PruningMethod method, RewindPoint rewind) {
        Model net = Nets.mlp(kind, 31);
        LotteryTicket ticket = LotteryTicket.builder(net).method(method).scope(PruningScope.global())
                .rewindTo(rewind).build();
        for (int round = 0; round < 3; round++) {
            Nets.fit(net, Nets.data(96, 12, 6), 2);
            ticket.pruneAndRewind(0.3);
        }
        Nets.fit(net, Nets.data(96, 12, 6), 1);
        return ticket;
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void theSameSeedsGiveBitIdenticalMasksAndWeights(Nets.Kind kind) {
        for (PruningMethod method : List.of(PruningMethod.magnitude(), PruningMethod.random(8))) {
            for (RewindPoint rewind : List.of(RewindPoint.init(), RewindPoint.iteration(5), RewindPoint.randomReinit(4))) {
                LotteryTicket a = search(kind, method, rewind);
                LotteryTicket b = search(kind, method, rewind);
                assertThat(a.masks()).as("%s %s", method, rewind.describe()).isEqualTo(b.masks());
                assertThat(Nets.bits(a.network().params())).isEqualTo(Nets.bits(b.network().params()));
                assertThat(a.sparsity().fractionRemaining()).isCloseTo(0.343, org.assertj.core.data.Offset.offset(0.002));
            }
        }
    }

    @Test
    void computationGraphBehavesLikeMultiLayerNetwork() {
        // same seed and layers: DL4J initializes both kinds identically, so the searches must agree
        LotteryTicket mln = search(Nets.Kind.MULTI_LAYER, PruningMethod.magnitude(), RewindPoint.init());
        LotteryTicket graph = search(Nets.Kind.GRAPH, PruningMethod.magnitude(), RewindPoint.init());
        assertThat(graph.masks()).isEqualTo(mln.masks());
        assertThat(graph.network().params().toFloatVector()).containsExactly(mln.network().params().toFloatVector(),
                org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void masksFromAnotherArchitectureAreRejectedAtBuild() {
        MaskSet convMasks = MaskSet.allKept(NetworkView.of(Nets.convNet(1)), List.of(ParamKey.of("layer0", "W")));
        assertThatThrownBy(() -> LotteryTicket.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 1)).masks(convMasks).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masks do not fit this network (masks from another architecture?)")
                .hasMessageContaining("layer0/W");
    }

    @Test
    void unknownLayersInTheScopeFailAtBuild() {
        assertThatThrownBy(() -> LotteryTicket.builder(Nets.mlp(Nets.Kind.GRAPH, 1))
                        .scope(PruningScope.layerwise().withLayerFraction("ouptut", 0.1)).build())
                .hasMessage("unknown layer 'ouptut' in pruning scope; the network's layers are [dense0, dense1, output]");
    }

    @Test
    void uninitializedNetworksFailAtBuild() {
        Model net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1))
                        .getLayerWiseConfigurations());
        assertThatThrownBy(() -> LotteryTicket.builder(net).build()).hasMessageContaining("call init()");
    }

    @Test
    void appliedMasksMayOnlyShrink() {
        LotteryTicket ticket = LotteryTicket.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 2)).build();
        MaskSet full = ticket.masks();
        ticket.prune(0.5);
        assertThatThrownBy(() -> ticket.applyMasks(full))
                .hasMessageContaining("revives")
                .hasMessageContaining("masks only ever shrink during a search");
        assertThat(ticket.round()).isEqualTo(1);
    }

    @Test
    void closingStopsEnforcement() {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, 3);
        LotteryTicket ticket = LotteryTicket.builder(net).build();
        ticket.prune(0.5);
        ticket.close();
        Nets.fit(net, Nets.data(48, 12, 1), 1);
        float[] w = ticket.view().read(ticket.view().param(ParamKey.of("dense0", "W")).orElseThrow());
        long zeros = 0;
        for (float v : w) {
            if (v == 0f) {
                zeros++;
            }
        }
        assertThat(zeros).isLessThan(ticket.masks().get(ParamKey.of("dense0", "W")).countPruned());
    }

    @Test
    void theOriginalPapersLenetScopePrunesTheOutputLayerAtHalfRate() {
        LotteryTicket ticket = LotteryTicket.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 4))
                .scope(PruningScope.layerwise().withLayerFraction("output", 0.1)).build();
        ticket.prune(0.2);
        assertThat(ticket.sparsity().byLayer().get("dense0").pruned()).isEqualTo(38);
        assertThat(ticket.sparsity().byLayer().get("output").pruned()).isEqualTo(2);
        assertThat(ticket.toString()).contains("round 1", "magnitude layerwise fractions={output=0.1}", "rewind init");
    }
}

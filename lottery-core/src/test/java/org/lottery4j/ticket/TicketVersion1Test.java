package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.testing.Nets;

/** Tickets written in format version 1 (the network as a DL4J ModelSerializer zip) still load. */
class TicketVersion1Test {

    @TempDir
    Path dir;

    /**
     * {@code tickets/v1-*.zip} were saved by lottery4j's version-1 writer (12-16-8-3 MLP, seed 21,
     * random(5) pruning, global scope with output at 0.1, rewind to iteration 3, two rounds). The
     * reference for their network is DL4J's own reader, on these trusted files only.
     */
    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void ticketsWrittenByVersion1Load(Nets.Kind kind) throws IOException, URISyntaxException {
        Path file = Path.of(getClass().getResource("/tickets/v1-" + kind.name().toLowerCase().replace('_', '-')
                + ".zip").toURI());
        byte[] network = TicketFiles.read(file, "network.zip");
        Model reference = kind == Nets.Kind.GRAPH
                ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(network), false)
                : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false);

        try (LotteryTicket loaded = LotteryTicket.load(file)) {
            assertThat(loaded.network()).isInstanceOf(kind == Nets.Kind.GRAPH ? ComputationGraph.class : MultiLayerNetwork.class);
            assertThat(Nets.bits(loaded.network().params())).isEqualTo(Nets.bits(reference.params()));
            assertThat(loaded.round()).isEqualTo(2);
            assertThat(((Pruner) loaded.strategy()).method()).isEqualTo(PruningMethod.random(5));
            assertThat(((Pruner) loaded.strategy()).scope()).isEqualTo(PruningScope.global().withLayerFraction("output", 0.1));
            assertThat(loaded.rewindPoint()).isEqualTo(RewindPoint.iteration(3));
            assertThat(loaded.metadata().hyperparameters()).containsExactly(Map.entry("lr", "0.01"));
            // global 0.5 twice on the hidden layers, 0.1 twice on the output layer
            assertThat(loaded.sparsity().total()).isEqualTo(12 * 16 + 16 * 8 + 8 * 3);
            assertThat(loaded.sparsity().total() - loaded.sparsity().pruned()).isEqualTo(80 + 20);
            assertThat(loaded.sparsity().params()).extracting(e -> e.pruned())
                    .containsExactly(148L, 92L, 4L); // as the file's manifest records them
            float[] snapshot = new float[371];
            ByteBuffer.wrap(TicketFiles.read(file, "rewind/iteration-3.bin")).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(snapshot);
            assertThat(Nets.bits(loaded.snapshots().at(3).orElseThrow())).isEqualTo(Nets.bits(snapshot));
        }
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void aVersion1TicketLoadsAsTheTicketItWasWrittenFrom(Nets.Kind kind) throws IOException {
        Model net = Nets.mlp(kind, 8);
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.iteration(2)).build();
        Nets.fit(net, Nets.data(48, 12, 2), 1);
        ticket.pruneAndRewind(0.4);
        Path file = dir.resolve("v1.zip");
        TicketFiles.writeVersion1(ticket, file, Map.of());

        try (LotteryTicket loaded = LotteryTicket.load(file)) {
            assertThat(Nets.bits(loaded.network().params())).isEqualTo(Nets.bits(ticket.network().params()));
            assertThat(loaded.masks()).isEqualTo(ticket.masks());
            assertThat(Nets.bits(loaded.snapshots().at(2).orElseThrow()))
                    .isEqualTo(Nets.bits(ticket.snapshots().at(2).orElseThrow()));
            assertThat(loaded.round()).isEqualTo(1);
        }
    }
}

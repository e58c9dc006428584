package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.inference.SparseModel;
import org.lottery4j.internal.Json;
import org.lottery4j.testing.Nets;

/** Files a ticket could be mistaken for, and a ticket whose parts disagree: each named for what it is. */
class TicketIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aSparseModelFileIsNamedAsSuch() throws IOException {
        Path model = dir.resolve("lenet.sparse.safetensors");
        SparseModel.of(Nets.lenet(1)).save(model);
        assertThatThrownBy(() -> LotteryTicket.load(model))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(model + ": not a ticket file, or a truncated or corrupted one: zip END header not found "
                        + "(it is a sparse model file, which SparseModel.load reads)");
    }

    /** A method of the user's own cannot be rebuilt, but its name and the scope it ranked over are kept. */
    @Test
    void aUsersMethodKeepsItsNameAndScopeAndANameNotInItsWrittenFormIsRefused() throws IOException {
        var net = Nets.mlp(Nets.Kind.MULTI_LAYER, 3);
        LotteryTicket ticket = LotteryTicket.builder(net).method(new UserStrategyTest.Movement(org.lottery4j.network.NetworkView.of(net)))
                .scope(org.lottery4j.prune.PruningScope.global()).build();
        Path file = dir.resolve("movement.zip");
        ticket.save(file);
        try (LotteryTicket loaded = LotteryTicket.load(file)) {
            org.assertj.core.api.Assertions.assertThat(loaded.metadata().method()).isEqualTo("movement");
            org.assertj.core.api.Assertions.assertThat(loaded.metadata().scope()).isEqualTo("global");
        }
        Path edited = editMetadata(file, m -> m.put("scope", "Global"));
        assertThatThrownBy(() -> LotteryTicket.load(edited))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(edited + ": the pruning method 'movement' and scope 'Global' are not written as lottery4j "
                        + "writes them ('movement', 'global')");
    }

    @Test
    void aManifestWhoseSeedIsNotTheConfigurationsIsRefused() throws IOException {
        LotteryTicket ticket = LotteryTicket.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 3)).build();
        Path file = dir.resolve("t.zip");
        ticket.save(file);
        Path forged = editMetadata(file, m -> ((ObjectNode) m.path("seeds")).put("network", 4));
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(forged + ": the network's configuration has the seed 3 but ticket.json says 4");
    }

    /** A copy of the ticket whose manifest's metadata is edited (the zip's CRCs recomputed). */
    private Path editMetadata(Path file, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        return TicketFiles.rewrite(file, dir.resolve("edited-" + System.nanoTime() + ".zip"), TicketFile.MANIFEST, bytes -> {
            try {
                ObjectNode manifest = (ObjectNode) Json.reader().readTree(bytes);
                edit.accept((ObjectNode) manifest.path("metadata"));
                return Json.writer().writeValueAsBytes(manifest);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, false);
    }
}

package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.study.Summary;
import org.lottery4j.ticket.LotteryTicket;

class GrokkingTicketsTest {

    @TempDir
    Path dir;

    @Test
    void aLayerPrunedAwayIsFoundInTheSavedTicket() throws IOException {
        MultiLayerNetwork net = GrokkingModel.QUADRATIC.build(11, 16, 1e-2, 1, 1);
        Path file = dir.resolve("ticket.zip");
        try (LotteryTicket t = LotteryTicket.builder(net).method(PruningMethod.magnitude())
                .scope(PruningScope.layerwise().withLayerFraction("output", 0.999)).build()) {
            t.prune(0.5);
            t.save(file);
        }
        // 0.999 of the output layer's 176 weights rounds to all of them; the hidden layer keeps half
        assertThat(GrokkingTickets.layersPrunedAway(file)).containsExactly("output");
    }

    @Test
    void theSummaryCountsTheSeedsThatGeneralizedAndTheSpeedUps() {
        List<GrokkingTickets.SeedResult> seeds = List.of(seed(1, 600L, 200L, null), seed(2, 500L, 250L, null),
                seed(3, 700L, 350L, 1400L));
        GrokkingTickets.Outcome o = GrokkingTickets.summarize(seeds);
        assertThat(o.generalized()).isEqualTo(Map.of("dense", 3, "ticket", 3, "random", 1));
        assertThat(o.generalizationSteps().get("dense").mean()).isEqualTo(600.0);
        assertThat(o.generalizationSteps().get("ticket").mean()).isEqualTo(800.0 / 3);
        // dense over ticket: 3, 2, 2
        assertThat(o.ticketSpeedup().mean()).isEqualTo(7.0 / 3);
        assertThat(o.ticketSpeedup().n()).isEqualTo(3);
        assertThat(o.randomSpeedup()).extracting(Summary.Estimate::n, Summary.Estimate::mean).containsExactly(1, 0.5);
        assertThat(GrokkingTickets.describe(o, "random")).isEqualTo("1400 (one seed) (1 of 3 seeds)");
        assertThat(GrokkingTickets.describe(o, "dense")).startsWith("600 [");
    }

    private static GrokkingTickets.SeedResult seed(long seed, Long dense, Long ticket, Long random) {
        return new GrokkingTickets.SeedResult(seed, 0.4, "40.0%", Map.of("dense", result(dense), "ticket", result(ticket),
                "random", result(random)));
    }

    private static GrokkingResult result(Long generalized) {
        return new GrokkingResult(20L, generalized, null, generalized == null ? 1500 : generalized, 1, 0, 0, 1);
    }
}

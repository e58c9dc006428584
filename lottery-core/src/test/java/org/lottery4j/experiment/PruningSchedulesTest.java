package org.lottery4j.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.EarlyBirdDraw;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.ticket.LotteryTicket;

class PruningSchedulesTest {

    @TempDir
    Path dir;

    private static ExperimentHparams hparams(String schedule) {
        ExperimentHparams base = SyntheticWorkload.hparams(2, "30it", List.of());
        return base.toBuilder().pruning(base.pruning().toBuilder().schedule(schedule).build()).build();
    }

    /** {@code steps} pruning steps of the experiment's fraction from all-kept masks, on {@code network}'s weights. */
    private static MaskSet steps(ExperimentHparams hp, Model network, int steps) {
        PruningStrategy strategy = hp.pruning().pruningStrategy();
        NetworkView view = NetworkView.of(network);
        MaskSet masks = strategy.initialMasks(view);
        for (int s = 0; s < steps; s++) {
            masks = strategy.prune(view, masks, hp.pruning().fraction()).masks();
        }
        return masks;
    }

    private static MaskSet savedMasks(Path folder, int round) throws IOException {
        try (LotteryTicket t = LotteryTicket.load(folder.resolve(String.format("round-%02d/ticket.zip", round)))) {
            return t.masks();
        }
    }

    @Test
    void pruningAtInitializationDrawsEveryRoundFromTheUntrainedNetworkWithIterativeCounts() throws IOException {
        ExperimentHparams hp = hparams("at-init");
        ExperimentResult result = new Experiment(hp, new SyntheticWorkload(), dir).run();
        ExperimentResult iterative = new Experiment(hparams("iterative"), new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        Model untrained = new SyntheticWorkload().createNetwork(hp);
        for (int round = 1; round <= 2; round++) {
            assertThat(savedMasks(folder, round)).as("round %d", round).isEqualTo(steps(hp, untrained, round));
            assertThat(result.arm(round, ArmResult.TICKET).orElseThrow().layerRemaining())
                    .isEqualTo(iterative.arm(round, ArmResult.TICKET).orElseThrow().layerRemaining());
        }
        // round 0 is the same dense training whatever the schedule
        assertThat(result.arm(0, ArmResult.TICKET).orElseThrow().training())
                .usingRecursiveComparison().ignoringFields("trainSeconds", "wallSeconds")
                .isEqualTo(iterative.arm(0, ArmResult.TICKET).orElseThrow().training());
    }

    @Test
    void oneShotDrawsEveryRoundFromTheTrainedDenseNetwork() throws IOException {
        ExperimentHparams hp = hparams("one-shot");
        new Experiment(hp, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        try (LotteryTicket dense = LotteryTicket.load(folder.resolve("round-00/ticket.zip"))) {
            for (int round = 1; round <= 2; round++) {
                assertThat(savedMasks(folder, round)).as("round %d", round).isEqualTo(steps(hp, dense.network(), round));
            }
        }
    }

    @Test
    void earlyBirdTicketsAreDrawnWhereTheirMasksSettled() throws IOException {
        // every distance counts as settled: each round's masks settle at the second draw (iteration 20)
        ExperimentHparams hp = hparams("early-bird(every=10it, distance=1, window=1)");
        new Experiment(hp, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        ExperimentArms.EarlyBirdDraws draws = Json.readChecked(folder.resolve("round-00/early-bird.json"),
                ExperimentArms.EarlyBirdDraws.class);
        assertThat(draws.draws()).extracting(EarlyBirdDraw::round, EarlyBirdDraw::iteration, EarlyBirdDraw::settled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 20L, true),
                        org.assertj.core.groups.Tuple.tuple(2, 20L, true));
        assertThat(draws.draws().get(0).distances()).hasSize(1).allSatisfy(d -> assertThat(d).isBetween(0.0, 1.0));
        for (int round = 1; round <= 2; round++) {
            Path early = folder.resolve(String.format("round-00/early-bird-%02d.zip", round));
            try (LotteryTicket atDraw = LotteryTicket.load(early)) {
                assertThat(atDraw.view().iterationCount()).isEqualTo(20);
                assertThat(savedMasks(folder, round)).isEqualTo(steps(hp, atDraw.network(), round));
            }
        }
    }

    @Test
    void earlyBirdMasksThatNeverSettleAreDrawnAtTheEndOfDenseTraining() throws IOException {
        // a distance of exactly 0 over a window longer than the training's draws can never settle
        ExperimentHparams hp = hparams("early-bird(every=10it, distance=0, window=5)");
        new Experiment(hp, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        ExperimentArms.EarlyBirdDraws draws = Json.readChecked(folder.resolve("round-00/early-bird.json"),
                ExperimentArms.EarlyBirdDraws.class);
        assertThat(draws.draws()).extracting(EarlyBirdDraw::iteration, EarlyBirdDraw::settled)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(30L, false));
        assertThat(draws.draws().get(0).distances()).hasSize(2);
        assertThat(Files.list(folder.resolve("round-00")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.startsWith("early-bird-"));
        try (LotteryTicket dense = LotteryTicket.load(folder.resolve("round-00/ticket.zip"))) {
            assertThat(savedMasks(folder, 2)).isEqualTo(steps(hp, dense.network(), 2));
        }
    }

    @Test
    void aRoundRunAgainAfterItsRecordWasLostGivesTheSameResult() throws IOException {
        for (String schedule : List.of("at-init", "early-bird(every=10it, distance=1, window=1)")) {
            ExperimentHparams hp = hparams(schedule);
            ExperimentResult first = new Experiment(hp, new SyntheticWorkload(), dir).run();
            Path folder = dir.resolve(hp.folderName());
            Files.delete(folder.resolve("round-02/ticket.json")); // as if killed before the record was written
            ExperimentResult again = new Experiment(hp, new SyntheticWorkload(), dir).run();
            assertThat(again.arm(2, ArmResult.TICKET).orElseThrow().training().curve())
                    .as(schedule).isEqualTo(first.arm(2, ArmResult.TICKET).orElseThrow().training().curve());
        }
    }
}

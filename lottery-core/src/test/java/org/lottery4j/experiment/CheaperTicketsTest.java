package org.lottery4j.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.TrainingCost;
import org.lottery4j.testing.Nets;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.ticket.LotteryTicket;

/**
 * Pruning at initialization, the inverted and stability arms, dynamic sparse training and the
 * training cost, in experiments of the 12-16-8-3 MLP (240 training examples, batch 12: 20
 * iterations an epoch; 344 multiply-adds per example, dense).
 */
class CheaperTicketsTest {

    private static final long DENSE_PER_EXAMPLE = 12 * 16 + 16 * 8 + 8 * 3;

    @TempDir
    Path dir;

    private static ExperimentHparams hparams(int rounds, List<ControlArm> controls, PruningHparams.Builder pruning) {
        ExperimentHparams base = SyntheticWorkload.hparams(rounds, "20it", controls);
        return base.toBuilder().pruning(pruning.rounds(rounds).fraction(0.5).scope("layerwise fractions={output=0.2}")
                .build()).build();
    }

    private static MaskSet masks(Path folder, int round) throws IOException {
        try (LotteryTicket t = LotteryTicket.load(folder.resolve(String.format("round-%02d/ticket.zip", round)))) {
            return t.masks();
        }
    }

    private static MaskSet steps(PruningStrategy strategy, Model network, int steps) {
        NetworkView view = NetworkView.of(network);
        MaskSet m = strategy.initialMasks(view);
        for (int s = 0; s < steps; s++) {
            m = strategy.prune(view, m, 0.5).masks();
        }
        return m;
    }

    private static long kept(MaskSet masks) {
        return masks.asMap().values().stream().mapToLong(Mask::countKept).sum();
    }

    @Test
    void snipAtInitializationScoresTheExperimentsOwnSeededBatchAndItsInvertedControlTheOpposite() throws IOException {
        ExperimentHparams hp = hparams(2, List.of(ControlArm.INVERTED),
                PruningHparams.builder().method("snip(batch=24)").schedule("at-init"));
        ExperimentResult result = new Experiment(hp, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        SyntheticWorkload workload = new SyntheticWorkload();
        ExperimentData data = workload.loadData(hp);
        PruningMethod snip = PruningMethod.snip(24).withTrainingData(data.train(), Seeds.pruningData(hp.training().seed()));
        Model untrained = workload.createNetwork(hp);
        for (int round = 1; round <= 2; round++) {
            MaskSet expected = steps(new Pruner(snip, hp.pruning().scope()), untrained, round);
            assertThat(masks(folder, round)).as("round %d", round).isEqualTo(expected);
            MaskSet inverted = steps(new Pruner(snip.inverted(), hp.pruning().scope()), untrained, round);
            assertThat(inverted).isNotEqualTo(expected);
            ArmResult control = result.arm(round, "inverted").orElseThrow();
            assertThat(control.layerRemaining()).isEqualTo(result.arm(round, ArmResult.TICKET).orElseThrow().layerRemaining());
        }
        // the inverted arm's masks are not saved; its per-layer counts are those of the scores negated
        assertThat(Files.exists(folder.resolve("round-01/inverted.json"))).isTrue();
    }

    @Test
    void costsCountThreeForwardPassesPerExampleAndTheTrainingsTheMasksCameFrom() throws IOException {
        ExperimentHparams iterative = hparams(2, List.of(ControlArm.RANDOM_PRUNING, ControlArm.REINIT),
                PruningHparams.builder());
        ExperimentResult r = new Experiment(iterative, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(iterative.folderName());
        double dense = 3.0 * 240 * DENSE_PER_EXAMPLE; // one 20-iteration training: 240 examples
        TrainingCost round0 = r.arm(0, ArmResult.TICKET).orElseThrow().cost();
        assertThat(round0.multiplyAdds()).isEqualTo(dense);
        assertThat(round0.denseMultiplyAdds()).isEqualTo(dense);
        assertThat(round0.trainSeconds()).isEqualTo(r.arm(0, ArmResult.TICKET).orElseThrow().training().trainSeconds());
        double own1 = 3.0 * 240 * sparsePerExample(masks(folder, 1));
        double own2 = 3.0 * 240 * sparsePerExample(masks(folder, 2));
        // iterative pruning pays for every round before
        assertThat(r.arm(1, ArmResult.TICKET).orElseThrow().cost().multiplyAdds()).isEqualTo(dense + own1);
        assertThat(r.arm(2, ArmResult.TICKET).orElseThrow().cost().multiplyAdds()).isEqualTo(dense + own1 + own2);
        assertThat(r.arm(2, ArmResult.TICKET).orElseThrow().cost().denseMultiplyAdds()).isEqualTo(3 * dense);
        // random masks cost only their own training; re-initialized ticket masks what the ticket's came from
        assertThat(r.arm(2, "random_pruning").orElseThrow().cost().multiplyAdds()).isEqualTo(own2);
        assertThat(r.arm(2, "reinit").orElseThrow().cost().multiplyAdds()).isEqualTo(dense + own1 + own2);

        ExperimentHparams atInit = hparams(2, List.of(), PruningHparams.builder().schedule("at-init"));
        ExperimentResult a = new Experiment(atInit, new SyntheticWorkload(), dir).run();
        assertThat(a.arm(2, ArmResult.TICKET).orElseThrow().cost().multiplyAdds())
                .isEqualTo(3.0 * 240 * sparsePerExample(masks(dir.resolve(atInit.folderName()), 2)));
        ExperimentHparams earlyBird = hparams(2, List.of(),
                PruningHparams.builder().schedule("early-bird(every=5it, distance=1, window=1)"));
        ExperimentResult e = new Experiment(earlyBird, new SyntheticWorkload(), dir).run();
        // drawn at iteration 10 of the dense round's 20: half of it
        assertThat(e.arm(1, ArmResult.TICKET).orElseThrow().cost().multiplyAdds()).isCloseTo(dense / 2
                + 3.0 * 240 * sparsePerExample(masks(dir.resolve(earlyBird.folderName()), 1)), within(1e-6));
    }

    private static long sparsePerExample(MaskSet masks) {
        // the MLP's weights are dense0/W (12x16), dense1/W (16x8), output/W (8x3): one multiply-add per kept weight
        return kept(masks);
    }

    @Test
    void onlyTheListedRoundsTrain() throws IOException {
        ExperimentHparams hp = hparams(3, List.of(ControlArm.RANDOM_PRUNING),
                PruningHparams.builder().schedule("at-init").onlyRounds("3, 1"));
        assertThat(hp.pruning().onlyRounds()).isEqualTo("1,3");
        ExperimentResult r = new Experiment(hp, new SyntheticWorkload(), dir).run();
        assertThat(r.results()).extracting(a -> a.round() + " " + a.arm())
                .containsExactly("0 ticket", "1 ticket", "1 random_pruning", "3 ticket", "3 random_pruning");
        Path folder = dir.resolve(hp.folderName());
        assertThat(folder.resolve("round-02")).doesNotExist();
        assertThat(Files.readAllLines(folder.resolve("rounds.csv"))).hasSize(4);
        assertThatThrownBy(() -> PruningHparams.builder().onlyRounds("2").rounds(3).build())
                .hasMessageStartingWith("pruning.onlyRounds: iterative pruning trains every round");
        assertThatThrownBy(() -> PruningHparams.builder().schedule("at-init").onlyRounds("4").rounds(3).build())
                .hasMessage("pruning.onlyRounds: round 4 is not one of the pruned rounds 1 to 3 (pruning.rounds)");
        assertThatThrownBy(() -> PruningHparams.builder().schedule("at-init").onlyRounds("seven").build())
                .hasMessage("pruning.onlyRounds: 'seven' is not all or a list of rounds such as 7,13");
    }

    @Test
    void dynamicSparseTrainingKeepsTheRoundsCountOfWeightsAndSavesItsTicket() throws IOException {
        ExperimentHparams base = hparams(2, List.of(), PruningHparams.builder().schedule("at-init"));
        ExperimentHparams hp = base.toBuilder()
                .training(base.training().toBuilder().dynamic("RigL(every=5, drop=0.3, stop=0.75, densities=erk)").build())
                .build();
        assertThat(hp.training().dynamic()).isEqualTo("rigl(every=5, drop=0.3, stop=0.75, densities=erk)");
        ExperimentResult dynamic = new Experiment(hp, new SyntheticWorkload(), dir).run();
        ExperimentResult atInit = new Experiment(base, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        for (int round = 1; round <= 2; round++) {
            MaskSet m = masks(folder, round);
            assertThat(kept(m)).as("round %d", round).isEqualTo(kept(masks(dir.resolve(base.folderName()), round)));
            try (LotteryTicket t = LotteryTicket.load(folder.resolve(String.format("round-%02d/ticket.zip", round)))) {
                float[] w = NetworkView.of(t.network()).read(NetworkView.of(t.network()).param(
                        new org.lottery4j.network.ParamKey("dense0", "W")).orElseThrow());
                Mask dense0 = m.get(new org.lottery4j.network.ParamKey("dense0", "W"));
                for (int i = 0; i < w.length; i++) {
                    if (!dense0.isKept(i)) {
                        assertThat(Float.floatToRawIntBits(w[i])).isZero();
                    }
                }
            }
            assertThat(folder.resolve(String.format("round-%02d/dynamic.json", round))).exists();
            assertThat(dynamic.arm(round, ArmResult.TICKET).orElseThrow().weightsRemaining())
                    .isEqualTo(atInit.arm(round, ArmResult.TICKET).orElseThrow().weightsRemaining());
        }
        assertThatThrownBy(() -> base.toBuilder().pruning(base.pruning().toBuilder().schedule("iterative").build())
                .training(hp.training()).build())
                .hasMessage("training.dynamic (rigl(every=5, drop=0.3, stop=0.75, densities=erk)) starts each round from "
                        + "the untrained network: set pruning.schedule to at-init, got iterative");
    }

    @Test
    void theStabilityArmInterpolatesTwoCopiesTrainedFromTheRewindPointInEveryRound() throws IOException {
        ExperimentHparams hp = hparams(1, List.of(ControlArm.STABILITY), PruningHparams.builder());
        ExperimentResult r = new Experiment(hp, new SyntheticWorkload(), dir).run();
        for (int round = 0; round <= 1; round++) {
            ArmResult s = r.arm(round, "stability").orElseThrow();
            assertThat(s.stability().errors()).hasSize(11);
            assertThat(s.stability().alphas().get(5)).isEqualTo(0.5);
            // the first end is the first copy: its error is the copy's final test error
            assertThat(s.stability().errors().get(0)).isCloseTo(1 - s.training().finalTestAccuracy(), within(1e-12));
            double max = s.stability().errors().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertThat(s.stability().instability()).isEqualTo(
                    max - (s.stability().errors().get(0) + s.stability().errors().get(10)) / 2);
            assertThat(s.weightsRemaining()).isEqualTo(r.arm(round, ArmResult.TICKET).orElseThrow().weightsRemaining());
        }
        // two copies trained with different data orders end apart
        ArmResult dense = r.arm(0, "stability").orElseThrow();
        assertThat(dense.stability().errors().get(0)).isNotEqualTo(dense.stability().errors().get(10));
        // each copy trains as much as the ticket: the arm costs two trainings
        assertThat(dense.cost().multiplyAdds()).isEqualTo(2 * 3.0 * 240 * DENSE_PER_EXAMPLE);
    }

    @Test
    void armsRunAgainAfterTheirRecordsWereLostGiveTheSameResults() throws IOException {
        ExperimentHparams snip = hparams(2, List.of(ControlArm.INVERTED, ControlArm.STABILITY),
                PruningHparams.builder().method("snip(batch=24)").schedule("at-init"));
        ExperimentHparams base = hparams(2, List.of(), PruningHparams.builder().schedule("at-init"));
        ExperimentHparams rigl = base.toBuilder()
                .training(base.training().toBuilder().dynamic("rigl(every=5, densities=erk)").build()).build();
        for (ExperimentHparams hp : List.of(snip, rigl)) {
            ExperimentResult first = new Experiment(hp, new SyntheticWorkload(), dir).run();
            Path folder = dir.resolve(hp.folderName());
            // as if killed before these records were written: the arms train again
            for (String record : List.of("round-02/ticket.json", "round-02/inverted.json", "round-01/stability.json",
                    "round-00/stability.json")) {
                Files.deleteIfExists(folder.resolve(record));
            }
            ExperimentResult again = new Experiment(hp, new SyntheticWorkload(), dir).run();
            assertThat(again.results()).hasSameSizeAs(first.results());
            for (int i = 0; i < first.results().size(); i++) {
                ArmResult a = again.results().get(i);
                ArmResult f = first.results().get(i);
                assertThat(a.training().curve()).as("%s round %d %s", hp.folderName(), f.round(), f.arm())
                        .isEqualTo(f.training().curve());
                assertThat(a.stability()).isEqualTo(f.stability());
                assertThat(a.cost().multiplyAdds()).isEqualTo(f.cost().multiplyAdds());
            }
        }
    }

    @Test
    void synflowAtInitializationPrunesAConvolutionalNetworkItReadsTheInputShapeOf() throws IOException {
        Workload conv = new Workload() {
            @Override
            public Model createNetwork(ExperimentHparams hp) {
                return Nets.mnistConvNet(hp.training().seed(), false);
            }

            @Override
            public ExperimentData loadData(ExperimentHparams hp) {
                return ExperimentData.holdOut(org.lottery4j.docs.DocsData.mnistShapedDataSet(120, 1),
                        org.lottery4j.docs.DocsData.mnistShapedDataSet(40, 2), 20, hp.training().seed());
            }
        };
        ExperimentHparams base = SyntheticWorkload.hparams(1, "1ep", List.of());
        ExperimentHparams hp = base.toBuilder().pruning(PruningHparams.builder().method("synflow(iterations=5)")
                .schedule("at-init").fraction(0.5).rounds(1).build()).build();
        ExperimentResult r = new Experiment(hp, conv, dir).run();
        assertThat(r.arm(1, ArmResult.TICKET).orElseThrow().layerRemaining())
                .containsEntry("conv1", 0.5).containsEntry("conv2", 0.5).containsEntry("fc1", 0.5);
        // reading the input shape leaves the training data whole: an epoch of 100 examples is 9 batches of 12
        assertThat(r.arm(1, ArmResult.TICKET).orElseThrow().training().iterations()).isEqualTo(9);
    }
}

package org.lottery4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.Json;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.TrainingCost;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.study.Summary.Estimate;
import org.lottery4j.study.Summary.Row;

/** Expected values are computed by hand (t quantiles from tables). */
class SummaryTest {

    private static final String SEED = "training.seed";
    private static final double T_2 = 4.302652729911275; // t(0.975, 2)
    private static final double T_1 = 12.706204736174707; // t(0.975, 1) = tan(0.475 pi)

    @TempDir
    Path dir;

    @Test
    void tQuantilesMatchTables() {
        assertThat(Summary.tQuantile975(1)).isCloseTo(T_1, within(1e-9));
        assertThat(Summary.tQuantile975(2)).isCloseTo(T_2, within(1e-9));
        assertThat(Summary.tQuantile975(4)).isCloseTo(2.7764451051977987, within(1e-9));
        assertThat(Summary.tQuantile975(29)).isCloseTo(2.045229642132703, within(1e-9));
    }

    @Test
    void estimateOfThreeValues() {
        Estimate e = Estimate.of(0.90, 0.92, 0.94);
        double halfWidth = T_2 * 0.02 / Math.sqrt(3);
        assertThat(e.n()).isEqualTo(3);
        assertThat(e.mean()).isCloseTo(0.92, within(1e-12));
        assertThat(e.sd()).isCloseTo(0.02, within(1e-12));
        assertThat(e.ciLow()).isCloseTo(0.92 - halfWidth, within(1e-10));
        assertThat(e.ciHigh()).isCloseTo(0.92 + halfWidth, within(1e-10));
        assertThat(e.excludesZero()).isTrue();
        assertThat(Estimate.of(-1, 0, 1).excludesZero()).isFalse();
        assertThat(Estimate.of(-3.1, -3, -2.9).excludesZero()).isTrue();
    }

    @Test
    void oneValueHasNoSpreadAndNoValuesNoMean() {
        Estimate one = Estimate.of(0.9);
        assertThat(one.n()).isEqualTo(1);
        assertThat(one.mean()).isEqualTo(0.9);
        assertThat(one.sd()).isNaN();
        assertThat(one.ciLow()).isNaN();
        assertThat(one.ciHigh()).isNaN();
        assertThat(one.hasInterval()).isFalse();
        assertThat(one.excludesZero()).isFalse();
        assertThat(Estimate.of().mean()).isNaN();
    }

    @Test
    void summarizesEachRoundAndArmOverSeeds() {
        Summary s = Summary.of(threeSeeds("0.2"), SEED);
        assertThat(s.axes()).containsExactly("pruning.rate");
        assertThat(s.rows()).extracting(r -> r.round() + ":" + r.arm())
                .containsExactly("0:ticket", "1:ticket", "1:random_pruning", "1:reinit");

        Row ticket = s.row(Map.of("pruning.rate", "0.2"), 1, "ticket").orElseThrow();
        assertThat(ticket.n()).isEqualTo(3);
        assertThat(ticket.weightsRemaining()).isCloseTo(0.2, within(1e-12));
        assertThat(ticket.testAccuracy().mean()).isCloseTo(0.92, within(1e-12));
        assertThat(ticket.bestTestAccuracy().mean()).isCloseTo(0.93, within(1e-12));
        // early stops 100, 200, 300: sd 100
        assertThat(ticket.earlyStopIteration().mean()).isCloseTo(200, within(1e-9));
        assertThat(ticket.earlyStopIteration().sd()).isCloseTo(100, within(1e-9));
        assertThat(ticket.earlyStopIteration().ciHigh()).isCloseTo(200 + T_2 * 100 / Math.sqrt(3), within(1e-6));
        assertThat(ticket.ticketMinusArm()).isNull();
        assertThat(ticket.armMinusDense().n()).isEqualTo(3);
        assertThat(ticket.armMinusDense().mean()).isZero();
        assertThat(s.row(Map.of("pruning.rate", "0.2"), 0, "ticket").orElseThrow().armMinusDense()).isNull();
        // reinit 0.85, 0.88, 0.89 against dense 0.90, 0.92, 0.94, seed by seed
        Estimate reinitMinusDense = s.row(Map.of("pruning.rate", "0.2"), 1, "reinit").orElseThrow().armMinusDense();
        assertThat(reinitMinusDense.mean()).isCloseTo(-0.14 / 3, within(1e-12));
        assertThat(reinitMinusDense.excludesZero()).isTrue();

        // differences 0.05, 0.04, 0.05: mean 0.14/3, sd sqrt(((1/3)^2 + (2/3)^2 + (1/3)^2) / 2) * 0.01
        Estimate reinit = s.row(Map.of("pruning.rate", "0.2"), 1, "reinit").orElseThrow().ticketMinusArm();
        double sd = Math.sqrt(6.0 / 9 / 2) * 0.01;
        assertThat(reinit.n()).isEqualTo(3);
        assertThat(reinit.mean()).isCloseTo(0.14 / 3, within(1e-12));
        assertThat(reinit.sd()).isCloseTo(sd, within(1e-12));
        assertThat(reinit.ciLow()).isCloseTo(0.14 / 3 - T_2 * sd / Math.sqrt(3), within(1e-10));
        assertThat(reinit.excludesZero()).isTrue();

        // differences -0.03, 0.02, -0.01: the interval holds zero
        Estimate random = s.row(Map.of("pruning.rate", "0.2"), 1, "random_pruning").orElseThrow().ticketMinusArm();
        assertThat(random.mean()).isCloseTo(-0.02 / 3, within(1e-12));
        assertThat(random.ciLow()).isNegative();
        assertThat(random.ciHigh()).isPositive();
        assertThat(random.excludesZero()).isFalse();
    }

    @Test
    void variantsKeepTheOrderGivenAndSeedsOnlyGroup() {
        List<Summary.Run> runs = new ArrayList<>(threeSeeds("0.5"));
        runs.addAll(threeSeeds("0.2"));
        Summary s = Summary.of(runs, SEED);
        assertThat(s.rows()).extracting(r -> r.variant().get("pruning.rate") + ":" + r.round() + ":" + r.n())
                .containsExactly("0.5:0:3", "0.5:1:3", "0.5:1:3", "0.5:1:3", "0.2:0:3", "0.2:1:3", "0.2:1:3", "0.2:1:3");
    }

    @Test
    void aMissingRoundOrArmUsesTheSeedsThatHaveIt() {
        List<Summary.Run> runs = threeSeeds("0.2");
        // seed 3 stopped before round 1; seed 2 has no reinit arm in round 1
        runs.set(2, run("0.2", "3", runs.get(2).result().results().stream().filter(r -> r.round() == 0).toList()));
        runs.set(1, run("0.2", "2", runs.get(1).result().results().stream()
                .filter(r -> !r.arm().equals("reinit")).toList()));
        Summary s = Summary.of(runs, SEED);

        assertThat(s.row(Map.of("pruning.rate", "0.2"), 0, "ticket").orElseThrow().n()).isEqualTo(3);
        Estimate ticket = s.row(Map.of("pruning.rate", "0.2"), 1, "ticket").orElseThrow().testAccuracy();
        // 0.90 and 0.92: sd 0.01 * sqrt(2), half-width t(0.975, 1) * 0.01
        assertThat(ticket.n()).isEqualTo(2);
        assertThat(ticket.mean()).isCloseTo(0.91, within(1e-12));
        assertThat(ticket.sd()).isCloseTo(0.01 * Math.sqrt(2), within(1e-12));
        assertThat(ticket.ciHigh()).isCloseTo(0.91 + T_1 * 0.01, within(1e-9));

        Row reinit = s.row(Map.of("pruning.rate", "0.2"), 1, "reinit").orElseThrow();
        assertThat(reinit.n()).isEqualTo(1);
        assertThat(reinit.testAccuracy().sd()).isNaN();
        assertThat(reinit.ticketMinusArm().n()).isEqualTo(1);
        assertThat(reinit.ticketMinusArm().mean()).isCloseTo(0.05, within(1e-12));
        assertThat(reinit.ticketMinusArm().hasInterval()).isFalse();
        assertThat(s.row(Map.of("pruning.rate", "0.2"), 1, "random_pruning").orElseThrow().ticketMinusArm().n())
                .isEqualTo(2);
    }

    @Test
    void aControlWithoutItsTicketHasNoPairs() {
        List<Summary.Run> runs = threeSeeds("0.2");
        List<ArmResult> results = new ArrayList<>(runs.get(0).result().results());
        results.add(arm(2, "reinit", 0.04, 0.7, 0.71, 10));
        runs.set(0, run("0.2", "1", results));
        Summary s = Summary.of(runs, SEED);
        Row reinit = s.row(Map.of("pruning.rate", "0.2"), 2, "reinit").orElseThrow();
        assertThat(reinit.n()).isEqualTo(1);
        assertThat(reinit.ticketMinusArm().n()).isZero();
        assertThat(reinit.ticketMinusArm().mean()).isNaN();
        assertThat(s.row(Map.of("pruning.rate", "0.2"), 2, "ticket")).isEmpty();
        assertThat(SummaryWriter.csv(s).lines().toList().get(5)).endsWith(",0,,,,,,1,-0.200000,,,");
    }

    @Test
    void csvHasOneRowPerVariantRoundAndArm() {
        String csv = SummaryWriter.csv(Summary.of(threeSeeds("0.2"), SEED));
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("pruning.rate,round,arm,n,weights_remaining,"
                + "test_accuracy_mean,test_accuracy_sd,test_accuracy_ci_low,test_accuracy_ci_high,"
                + "best_test_accuracy_mean,best_test_accuracy_sd,best_test_accuracy_ci_low,best_test_accuracy_ci_high,"
                + "early_stop_iteration_mean,early_stop_iteration_sd,early_stop_iteration_ci_low,"
                + "early_stop_iteration_ci_high,ticket_minus_arm_n,ticket_minus_arm_test_accuracy_mean,"
                + "ticket_minus_arm_test_accuracy_sd,ticket_minus_arm_test_accuracy_ci_low,"
                + "ticket_minus_arm_test_accuracy_ci_high,ticket_minus_arm_excludes_zero,arm_minus_dense_n,"
                + "arm_minus_dense_test_accuracy_mean,arm_minus_dense_test_accuracy_sd,"
                + "arm_minus_dense_test_accuracy_ci_low,arm_minus_dense_test_accuracy_ci_high");
        assertThat(lines.get(1)).endsWith(",,,,,,,,,,,");
        // round 1's tickets equal round 0's: no difference from the dense network, no spread
        assertThat(lines.get(2)).isEqualTo("0.2,1,ticket,3,0.200000,0.920000,0.020000,0.870317,0.969683,"
                + "0.930000,0.020000,0.880317,0.979683,200.000000,100.000000,-48.413771,448.413771,,,,,,,"
                + "3,0.000000,0.000000,0.000000,0.000000");
        // reinit minus dense: -0.05, -0.04, -0.05, the ticket-minus-reinit differences negated
        assertThat(lines.get(4)).isEqualTo("0.2,1,reinit,3,0.200000,0.873333,0.020817,0.821622,0.925045,"
                + "0.883333,0.020817,0.831622,0.935045,60.000000,10.000000,35.158623,84.841377,"
                + "3,0.046667,0.005774,0.032324,0.061009,true,3,-0.046667,0.005774,-0.061009,-0.032324");
        assertThat(lines.get(3)).endsWith(",3,-0.006667,0.025166,-0.069183,0.055849,false,3,0.006667,0.025166,-0.055849,0.069183");
    }

    @Test
    void oneSeedLeavesSpreadEmptyInCsvAndAbsentFromJson() throws Exception {
        Summary s = Summary.of(threeSeeds("0.2").subList(0, 1), SEED);
        assertThat(SummaryWriter.csv(s).lines().toList().get(4)).isEqualTo(
                "0.2,1,reinit,1,0.200000,0.850000,,,,0.860000,,,,50.000000,,,,1,0.050000,,,,,1,-0.050000,,,");

        SummaryWriter.write(dir, s);
        assertThat(Files.readString(dir.resolve("summary.csv"))).isEqualTo(SummaryWriter.csv(s));
        JsonNode json = Json.reader().readTree(java.nio.file.Files.readAllBytes(dir.resolve("summary.json")));
        assertThat(json.get("seed_axis").asText()).isEqualTo(SEED);
        assertThat(json.get("axes").toString()).isEqualTo("[\"pruning.rate\"]");
        JsonNode reinit = json.get("rows").get(3);
        List<String> fields = new ArrayList<>();
        reinit.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("pruning.rate", "round", "arm", "n", "weights_remaining",
                "test_accuracy_mean", "best_test_accuracy_mean", "early_stop_iteration_mean", "ticket_minus_arm_n",
                "ticket_minus_arm_test_accuracy_mean", "arm_minus_dense_n", "arm_minus_dense_test_accuracy_mean");
        assertThat(reinit.get("pruning.rate").asText()).isEqualTo("0.2");
        assertThat(reinit.get("round").asInt()).isEqualTo(1);
        assertThat(reinit.get("test_accuracy_mean").asDouble()).isEqualTo(0.85);
    }

    @Test
    void jsonHoldsTheSameFieldsAsTheCsvWithExactNumbers() throws Exception {
        Summary s = Summary.of(threeSeeds("0.2"), SEED);
        SummaryWriter.write(dir, s);
        JsonNode rows = Json.reader().readTree(java.nio.file.Files.readAllBytes(dir.resolve("summary.json"))).get("rows");
        assertThat(rows).hasSize(4);
        JsonNode reinit = rows.get(3);
        List<String> fields = new ArrayList<>();
        reinit.fieldNames().forEachRemaining(fields::add);
        assertThat(String.join(",", fields)).isEqualTo(SummaryWriter.csv(s).lines().findFirst().orElseThrow());
        Estimate d = s.rows().get(3).ticketMinusArm();
        assertThat(reinit.get("ticket_minus_arm_test_accuracy_ci_low").asDouble()).isEqualTo(d.ciLow());
        assertThat(reinit.get("ticket_minus_arm_excludes_zero").asBoolean()).isTrue();
        assertThat(rows.get(0).has("ticket_minus_arm_n")).isFalse();
    }

    @Test
    void csvQuotesAxisValuesWithCommasOrQuotes() {
        List<Summary.Run> runs = new ArrayList<>();
        for (Summary.Run r : threeSeeds("0.2").subList(0, 1)) {
            Map<String, String> axes = new LinkedHashMap<>(r.axes());
            axes.put("pruning.rate", "[0.2, \"x\"]");
            runs.add(new Summary.Run(axes, r.result()));
        }
        assertThat(SummaryWriter.csv(Summary.of(runs, SEED)).lines().toList().get(1))
                .startsWith("\"[0.2, \"\"x\"\"]\",0,ticket,1,");
    }

    @Test
    void badInputIsRefusedWithTheRunsNamed() {
        List<Summary.Run> runs = threeSeeds("0.2");
        assertThatThrownBy(() -> Summary.of(List.of(), SEED)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no runs to summarize");
        assertThatThrownBy(() -> Summary.of(runs, "training.data_seed")).hasMessage(
                "seed axis 'training.data_seed' is not among the axes [pruning.rate, training.seed] of run lottery_0.2_1");
        List<Summary.Run> twice = List.of(runs.get(0), run("0.2", "1", runs.get(1).result().results()));
        assertThatThrownBy(() -> Summary.of(twice, SEED)).hasMessage("runs lottery_0.2_1 and lottery_0.2_1 have "
                + "the same axis values {pruning.rate=0.2, training.seed=1}");
        List<Summary.Run> otherAxes = List.of(runs.get(0),
                new Summary.Run(Map.of(SEED, "2"), runs.get(1).result()));
        assertThatThrownBy(() -> Summary.of(otherAxes, SEED)).hasMessage("run lottery_0.2_2 has the axes "
                + "[training.seed], but run lottery_0.2_1 has [pruning.rate, training.seed]");
        List<Summary.Run> clash = List.of(new Summary.Run(Map.of("round", "1", SEED, "1"), runs.get(0).result()));
        assertThatThrownBy(() -> SummaryWriter.csv(Summary.of(clash, SEED)))
                .hasMessage("axis 'round' has the name of a summary column");
    }

    @Test
    void everyRowIsComparedWithTheBaselinesTicketOfItsRoundPairedBySeed() {
        List<Summary.Run> runs = new ArrayList<>();
        for (Summary.Run r : threeSeeds("0.5")) {
            runs.add(new Summary.Run(r.axes(), r.result(), true));
        }
        runs.addAll(threeSeeds("0.2"));
        Summary s = Summary.of(runs, SEED);
        // the baseline's ticket: 0.90, 0.92, 0.94 in rounds 0 and 1; its own ticket rows have no comparison
        assertThat(s.row(Map.of("pruning.rate", "0.5"), 1, "ticket").orElseThrow().armMinusBaseline()).isNull();
        // reinit of the other variant: 0.85 - 0.90, 0.88 - 0.92, 0.89 - 0.94 = -0.05, -0.04, -0.05
        Estimate reinit = s.row(Map.of("pruning.rate", "0.2"), 1, "reinit").orElseThrow().armMinusBaseline();
        assertThat(reinit.n()).isEqualTo(3);
        assertThat(reinit.mean()).isCloseTo(-0.14 / 3, within(1e-12));
        double sd = Math.sqrt((2 * Math.pow(-0.05 + 0.14 / 3, 2) + Math.pow(-0.04 + 0.14 / 3, 2)) / 2);
        assertThat(reinit.sd()).isCloseTo(sd, within(1e-12));
        assertThat(reinit.ciHigh()).isCloseTo(-0.14 / 3 + T_2 * sd / Math.sqrt(3), within(1e-10));
        // the baseline's own control arms are compared with its ticket too
        assertThat(s.row(Map.of("pruning.rate", "0.5"), 1, "random_pruning").orElseThrow().armMinusBaseline().mean())
                .isCloseTo(0.02 / 3, within(1e-12));
        // identical tickets: a difference of exactly 0 with no spread
        Estimate same = s.row(Map.of("pruning.rate", "0.2"), 0, "ticket").orElseThrow().armMinusBaseline();
        assertThat(same.mean()).isZero();
        assertThat(same.sd()).isZero();
        String header = SummaryWriter.csv(s).lines().findFirst().orElseThrow();
        assertThat(header).endsWith(",arm_minus_baseline_n,arm_minus_baseline_test_accuracy_mean,"
                + "arm_minus_baseline_test_accuracy_sd,arm_minus_baseline_test_accuracy_ci_low,"
                + "arm_minus_baseline_test_accuracy_ci_high,arm_minus_baseline_excludes_zero");
        assertThat(Summary.of(threeSeeds("0.2"), SEED).rows()).allSatisfy(r -> assertThat(r.armMinusBaseline()).isNull());
        List<Summary.Run> two = new ArrayList<>(runs.subList(0, 1));
        two.add(new Summary.Run(runs.get(3).axes(), runs.get(3).result(), true));
        assertThatThrownBy(() -> Summary.of(two, SEED))
                .hasMessage("runs of two variants are marked as the baseline: [0.5] and [0.2]");
    }

    @Test
    void costsAndInstabilityAreSummarizedOverTheSeedsThatRecordedThem() {
        List<Summary.Run> runs = new ArrayList<>();
        double[] macs = {3e9, 3e9, 6e9};
        double[] barrier = {0.01, 0.03, 0.05};
        for (int s = 0; s < 3; s++) {
            TrainingRecord t = new TrainingRecord(1000, List.of(), 0.9, 0.9, 10, 0.9, 1.0, 2.0 + s, 3.0);
            List<Double> errors = List.of(0.1, 0.1 + barrier[s], 0.1);
            runs.add(run("0.2", Integer.toString(s + 1), List.of(
                    new ArmResult(0, "ticket", 1.0, Map.of(), t, new TrainingCost(macs[s], 2 * macs[s], 2.0 + s), null),
                    new ArmResult(0, "stability", 1.0, Map.of(), t, null, org.lottery4j.stability.InstabilityResult.of(
                            List.of(0.0, 0.5, 1.0), errors, List.of(0.3, 0.4, 0.3))))));
        }
        Summary summary = Summary.of(runs, SEED);
        Row ticket = summary.row(Map.of("pruning.rate", "0.2"), 0, "ticket").orElseThrow();
        assertThat(ticket.multiplyAdds().mean()).isCloseTo(4e9, within(1e-3));
        assertThat(ticket.trainingSeconds().mean()).isCloseTo(3.0, within(1e-12));
        assertThat(ticket.trainingSeconds().sd()).isCloseTo(1.0, within(1e-12));
        assertThat(ticket.instability()).isNull();
        Row stability = summary.row(Map.of("pruning.rate", "0.2"), 0, "stability").orElseThrow();
        assertThat(stability.multiplyAdds()).isNull();
        assertThat(stability.instability().mean()).isCloseTo(0.03, within(1e-12));
        assertThat(stability.instability().sd()).isCloseTo(0.02, within(1e-12));
        List<String> lines = SummaryWriter.csv(summary).lines().toList();
        assertThat(lines.get(0)).endsWith(",arm_minus_dense_test_accuracy_ci_high," + String.join(",", SummaryWriter.COST_COLUMNS)
                + "," + String.join(",", SummaryWriter.INSTABILITY_COLUMNS));
        assertThat(lines.get(1)).contains(",4000000000.000000,").endsWith(",,,,");
        assertThat(lines.get(2)).endsWith(String.format(java.util.Locale.ROOT, ",,,,,,,,,0.030000,0.020000,%.6f,%.6f",
                0.03 - T_2 * 0.02 / Math.sqrt(3), 0.03 + T_2 * 0.02 / Math.sqrt(3)));
    }

    /**
     * Seeds 1, 2, 3 of one variant. Round 0: ticket accuracies 0.90, 0.92, 0.94 (best 0.91, 0.93,
     * 0.95, early stop 100, 200, 300). Round 1 (20% of weights): the ticket the same, reinit 0.85,
     * 0.88, 0.89 (best +0.01, early stop 50, 60, 70), random pruning 0.93, 0.90, 0.95.
     */
    private static List<Summary.Run> threeSeeds(String rate) {
        double[] ticket = {0.90, 0.92, 0.94};
        double[] reinit = {0.85, 0.88, 0.89};
        double[] random = {0.93, 0.90, 0.95};
        List<Summary.Run> runs = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            runs.add(run(rate, Integer.toString(s + 1), List.of(
                    arm(0, "ticket", 1.0, ticket[s], ticket[s] + 0.01, 100 * (s + 1)),
                    arm(1, "ticket", 0.2, ticket[s], ticket[s] + 0.01, 100 * (s + 1)),
                    arm(1, "reinit", 0.2, reinit[s], reinit[s] + 0.01, 50 + 10 * s),
                    arm(1, "random_pruning", 0.2, random[s], random[s] + 0.01, 10))));
        }
        return runs;
    }

    private static Summary.Run run(String rate, String seed, List<ArmResult> results) {
        Map<String, String> axes = new LinkedHashMap<>();
        axes.put("pruning.rate", rate);
        axes.put(SEED, seed);
        ExperimentResult result = new ExperimentResult("lottery_" + rate + "_" + seed, Map.of(), "",
                List.of("reinit", "random_pruning"), results, Map.of());
        return new Summary.Run(axes, result);
    }

    private static ArmResult arm(int round, String arm, double remaining, double accuracy, double best,
            long earlyStop) {
        return new ArmResult(round, arm, remaining, Map.of(),
                new TrainingRecord(1000, List.of(), accuracy, best, earlyStop, accuracy, 1.0, 1.0, 1.0));
    }
}

package org.lottery4j.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.Optimizer;
import org.lottery4j.internal.Json;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentReport;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.TrainingCost;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.testing.Nets;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.learning.config.Sgd;

class ExperimentTest {

    private static final List<ControlArm> BOTH = List.of(ControlArm.REINIT, ControlArm.RANDOM_PRUNING);

    @TempDir
    Path dir;

    @Test
    void roundsProduceThePromisedSparsitiesAndFiles() throws IOException {
        ExperimentHparams hp = SyntheticWorkload.hparams(3, "30it", BOTH);
        List<String> reported = new ArrayList<>();
        ExperimentReport report = (f, r) -> reported.add(f.getFileName() + ": " + r.ticketRounds().size() + " rounds, "
                + r.results().size() + " records, rounds.csv " + Files.readAllLines(f.resolve("rounds.csv")).size() + " lines");
        Experiment experiment = new Experiment(hp, new SyntheticWorkload(), dir, report);
        ExperimentResult result = experiment.run();

        Path folder = dir.resolve(hp.folderName());
        // after every round, once the tables are written, and once more at the end
        String name = hp.folderName();
        assertThat(reported).containsExactly(name + ": 1 rounds, 1 records, rounds.csv 2 lines",
                name + ": 2 rounds, 4 records, rounds.csv 3 lines", name + ": 3 rounds, 7 records, rounds.csv 4 lines",
                name + ": 4 rounds, 10 records, rounds.csv 5 lines", name + ": 4 rounds, 10 records, rounds.csv 5 lines");
        assertThat(experiment.folder()).isEqualTo(folder);
        // 50% of hidden survivors per round, the output layer at its own 20%
        long[][] remaining = {{192, 128, 24}, {96, 64, 19}, {48, 32, 15}, {24, 16, 12}};
        for (int round = 0; round <= 3; round++) {
            long[] r = remaining[round];
            double expected = (double) (r[0] + r[1] + r[2]) / (192 + 128 + 24);
            ArmResult ticket = result.arm(round, ArmResult.TICKET).orElseThrow();
            assertThat(ticket.weightsRemaining()).as("round %d", round).isEqualTo(expected);
            assertThat(ticket.layerRemaining()).containsEntry("dense0", r[0] / 192.0).containsEntry("output", r[2] / 24.0);
            assertThat(ticket.training().iterations()).isEqualTo(30);
            assertThat(ticket.training().curve()).extracting(p -> p.iteration()).containsExactly(0L, 10L, 20L, 30L);
            Path rf = folder.resolve(String.format("round-%02d", round));
            assertThat(rf.resolve("ticket.zip")).exists();
            assertThat(LotteryTicket.load(rf.resolve("ticket.zip")).sparsity().fractionRemaining()).isEqualTo(expected);
            for (ControlArm control : BOTH) {
                String arm = control.describe();
                if (round == 0) {
                    assertThat(rf.resolve(arm + ".json")).doesNotExist();
                } else {
                    assertThat(result.arm(round, arm).orElseThrow().weightsRemaining()).isEqualTo(expected);
                    assertThat(result.arm(round, arm).orElseThrow().layerRemaining()).isEqualTo(ticket.layerRemaining());
                }
            }
        }

        List<String> csv = Files.readAllLines(folder.resolve("rounds.csv"));
        assertThat(csv.get(0)).isEqualTo("round,weights_remaining,test_accuracy,best_test_accuracy,early_stop_iteration,"
                + "train_seconds,random_pruning_test_accuracy,reinit_test_accuracy,test_accuracy_at_early_stop");
        assertThat(csv).hasSize(5);
        assertThat(csv.get(1)).startsWith("0,1.000000,").contains(",,,");
        assertThat(csv.get(2)).startsWith(String.format(java.util.Locale.ROOT, "1,%.6f,", 179 / 344.0));
        String[] cells = csv.get(4).split(",");
        assertThat(cells).hasSize(9);
        ArmResult last = result.arm(3, ArmResult.TICKET).orElseThrow();
        assertThat(Double.parseDouble(cells[2])).isEqualTo(last.training().finalTestAccuracy(),
                org.assertj.core.data.Offset.offset(5e-5));
        assertThat(Long.parseLong(cells[4])).isEqualTo(last.training().earlyStopIteration());
        assertThat(Double.parseDouble(cells[7]))
                .isEqualTo(result.arm(3, "reinit").orElseThrow().training().finalTestAccuracy(),
                        org.assertj.core.data.Offset.offset(5e-5));
        assertThat(Double.parseDouble(cells[8])).isEqualTo(last.training().testAccuracyAtEarlyStop(),
                org.assertj.core.data.Offset.offset(5e-5));
        assertThat(last.training().curve()).filteredOn(p -> p.iteration() == last.training().earlyStopIteration())
                .singleElement().extracting(p -> p.testAccuracy()).isEqualTo(last.training().testAccuracyAtEarlyStop());

        ExperimentResult json = Json.read(folder.resolve("results.json"), ExperimentResult.class);
        assertThat(json.results()).hasSize(4 + 3 * 2);
        assertThat(json.results()).isEqualTo(result.results());
        assertThat(json.hparams()).containsEntry("pruning.fraction", "0.5").containsEntry("controls", "random_pruning,reinit");
        assertThat(Json.read(folder.resolve("hparams.json"), ExperimentHparams.class)).isEqualTo(hp);

        // the charts and index.html are lottery-report's (HtmlReportTest): the core writes no report
        assertThat(folder.resolve("index.html")).doesNotExist();
        assertThat(folder.resolve("charts")).doesNotExist();
        try (Stream<Path> files = Files.walk(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aRunInterruptedMidRoundResumesToTheSameResults() throws IOException {
        ExperimentHparams hp = SyntheticWorkload.hparams(3, "30it", List.of(ControlArm.REINIT));
        ExperimentResult straight = new Experiment(hp, new SyntheticWorkload(), dir.resolve("straight")).run();

        // fail in the middle of round 2's ticket training (30 its per arm: rounds 0, 1, reinit 1, then round 2)
        Path out = dir.resolve("interrupted");
        BaseTrainingListener bomb = new BaseTrainingListener() {
            int calls;

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (++calls == 30 + 30 + 15) {
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(bomb), out).run()).hasMessage("interrupted");
        Path folder = out.resolve(hp.folderName());
        assertThat(folder.resolve("round-01/ticket.json")).exists();
        assertThat(folder.resolve("round-02/ticket.json")).doesNotExist();

        ExperimentResult resumed = new Experiment(hp, new SyntheticWorkload(), out).run();
        assertSameResults(resumed, straight);
        assertSameWeights(folder.resolve("round-03/ticket.zip"), dir.resolve("straight").resolve(hp.folderName())
                .resolve("round-03/ticket.zip"));
    }

    /**
     * Killed while round 2 trains: with one worker, after round 1's control; with two, while round
     * 1's control and round 2's ticket train side by side.
     */
    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void killMinus9MidRoundResumesToTheSameResults(int workers) throws Exception {
        ExperimentHparams hp = SyntheticWorkload.hparams(3, "120it", List.of(ControlArm.REINIT));
        Path out = dir.resolve("killed");
        Path folder = out.resolve(hp.folderName());
        Path started = folder.resolve(workers == 1 ? "round-01/reinit.json" : "round-01/ticket.json");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g", ExperimentProcess.class.getName(),
                out.toString(), "120it", Integer.toString(workers))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(started) && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(started).as(Files.readString(dir.resolve("child.log"))).exists();
            Thread.sleep(200); // an arm trains 120 slowed-down iterations: about half a second
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(folder.resolve("round-02/ticket.json")).as("killed mid-round 2").doesNotExist();
        if (workers == 2) {
            assertThat(folder.resolve("round-01/reinit.json")).as("killed mid-control").doesNotExist();
        }

        ExperimentResult resumed = new Experiment(hp, new SyntheticWorkload(), out).withWorkers(workers).run();
        Path straight = dir.resolve("straight");
        assertSameResults(resumed, new Experiment(hp, new SyntheticWorkload(), straight).run());
        assertSameFiles(folder, straight.resolve(hp.folderName()));
        try (Stream<Path> files = Files.walk(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void twoWorkersTrainTheSameArmsAsOne() throws IOException {
        ExperimentHparams init = SyntheticWorkload.hparams(3, "20it", BOTH);
        ExperimentHparams lrRewind = init.toBuilder()
                .training(init.training().toBuilder().optimizer(Optimizer.MOMENTUM).momentum(0.9).learningRate(0.05)
                        .schedule("warmup(5it)+step(milestones=[10it],factor=0.1)").build())
                .pruning(init.pruning().toBuilder().rewind("lr-rewind").build())
                .build();
        for (ExperimentHparams hp : List.of(init, lrRewind)) {
            String rewind = hp.pruning().rewind().describe();
            Experiment one = new Experiment(hp, new SyntheticWorkload(), dir.resolve(rewind + "-1"));
            assertThat(one.workers()).isEqualTo(1);
            ExperimentResult sequential = one.run();
            java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            BaseTrainingListener where = new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    threads.add(Thread.currentThread());
                }
            };
            List<List<String>> written = java.util.Collections.synchronizedList(new ArrayList<>());
            ExperimentReport report = (f, r) -> written.add(r.results().stream().map(a -> a.round() + " " + a.arm()).toList());
            Experiment two = new Experiment(hp, new SyntheticWorkload(where), dir.resolve(rewind + "-2"), report)
                    .withWorkers(2);
            assertThat(two.folder().getFileName()).isEqualTo(one.folder().getFileName()); // not a hyperparameter
            ExperimentResult parallel = two.run();
            assertThat(threads).as(rewind).hasSize(2).doesNotContain(Thread.currentThread());
            // after every round and at the end, one at a time, each in the tables' order
            List<String> all = parallel.results().stream().map(a -> a.round() + " " + a.arm()).toList();
            assertThat(all).startsWith("0 ticket", "1 ticket", "1 random_pruning", "1 reinit", "2 ticket").hasSize(10);
            assertThat(written).hasSize(3 + 2).last().isEqualTo(all);
            assertThat(written).allSatisfy(w -> assertThat(all).containsSubsequence(w));
            assertSameResults(parallel, sequential);
            assertSameFiles(two.folder(), one.folder());
        }
        assertThatThrownBy(() -> new Experiment(init, new SyntheticWorkload(), dir).withWorkers(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be >= 1, got 0");
    }

    @Test
    void aFinishedExperimentRerunsWithoutTrainingAndControlsCanBeAddedLater() throws IOException {
        ExperimentHparams hp = SyntheticWorkload.hparams(2, "20it", List.of());
        ExperimentResult first = new Experiment(hp, new SyntheticWorkload(), dir).run();
        assertThat(first.arms()).isEmpty();

        int[] steps = {0};
        BaseTrainingListener counter = counting(steps);
        ExperimentResult again = new Experiment(hp, new SyntheticWorkload(counter), dir).run();
        assertThat(steps[0]).isZero();
        assertThat(again.results()).isEqualTo(first.results());

        ExperimentHparams withControls = hp.withControls(List.of(ControlArm.REINIT));
        assertThat(withControls.folderName()).isEqualTo(hp.folderName());
        ExperimentResult extended = new Experiment(withControls, new SyntheticWorkload(counter), dir).run();
        assertThat(steps[0]).isEqualTo(2 * 20); // only the two reinit arms trained
        assertThat(extended.ticketRounds()).isEqualTo(first.ticketRounds());
        assertThat(extended.arm(2, "reinit")).isPresent();
    }

    @Test
    void armsOnDiskStayInTheTablesWhenARerunLeavesThemOut() throws IOException {
        ExperimentHparams hp = SyntheticWorkload.hparams(2, "20it", BOTH);
        ExperimentResult first = new Experiment(hp, new SyntheticWorkload(), dir).run();
        Path folder = dir.resolve(hp.folderName());
        List<String> csv = Files.readAllLines(folder.resolve("rounds.csv"));

        int[] steps = {0};
        for (List<ControlArm> fewer : List.of(List.of(ControlArm.REINIT), List.<ControlArm>of())) {
            ExperimentResult rerun = new Experiment(hp.withControls(fewer), new SyntheticWorkload(counting(steps)), dir).run();
            assertThat(rerun.arms()).as("controls %s", fewer).containsExactly("random_pruning", "reinit");
            assertThat(rerun.results()).isEqualTo(first.results());
            assertThat(Files.readAllLines(folder.resolve("rounds.csv"))).isEqualTo(csv);
            assertThat(Json.read(folder.resolve("results.json"), ExperimentResult.class).results()).hasSize(3 + 2 * 2);
        }
        assertThat(steps[0]).isZero();
        assertThat(csv.get(0)).contains(",random_pruning_test_accuracy,reinit_test_accuracy,");
        assertThat(csv.get(2).split(",", -1)[6]).isEqualTo(String.format(java.util.Locale.ROOT, "%.4f",
                first.arm(1, "random_pruning").orElseThrow().training().finalTestAccuracy()));

        // a round whose arm record is missing (an earlier run stopped before it) leaves the cell empty
        Files.delete(folder.resolve("round-02/random_pruning.json"));
        ExperimentResult partial = new Experiment(hp.withControls(List.of()), new SyntheticWorkload(), dir).run();
        assertThat(partial.arms()).containsExactly("random_pruning", "reinit");
        assertThat(partial.arm(1, "random_pruning")).isPresent();
        assertThat(partial.arm(2, "random_pruning")).isEmpty();
        assertThat(Files.readAllLines(folder.resolve("rounds.csv")).get(3).split(",", -1)[6]).isEmpty();
    }

    @Test
    void aFolderHoldingAnotherExperimentIsRefused() throws IOException {
        ExperimentHparams hp = SyntheticWorkload.hparams(1, "10it", List.of());
        Path folder = dir.resolve(hp.folderName());
        Files.createDirectories(folder);
        Json.write(folder.resolve("hparams.json"), SyntheticWorkload.hparams(2, "10it", List.of()));
        assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(), dir).run())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("hparams.json: describes a different run")
                .hasMessageContaining("pruning.rounds=2");
    }

    @Test
    void theWorkloadsOwnUpdaterIsReplacedByTheHyperparameters() throws IOException {
        ExperimentHparams hp = SyntheticWorkload.hparams(1, "20it", List.of(ControlArm.REINIT));
        ExperimentResult plain = new Experiment(hp, new SyntheticWorkload(), dir.resolve("plain")).run();
        Workload sgd = new SyntheticWorkload() {
            @Override
            public Model createNetwork(ExperimentHparams h) {
                return Nets.mlp(Nets.Kind.MULTI_LAYER, new NeuralNetConfiguration.Builder().seed(h.training().seed())
                        .updater(new Sgd(0.5)).l2(0.1));
            }
        };
        ExperimentResult replaced = new Experiment(hp, sgd, dir.resolve("sgd")).run();
        assertSameResults(replaced, plain);
    }

    @Test
    void scheduledRewindPointsResumeToTheSameResults() throws IOException {
        for (String rewind : List.of("fine-tune", "lr-rewind")) {
            ExperimentHparams base = SyntheticWorkload.hparams(2, "30it", List.of(ControlArm.RANDOM_PRUNING));
            ExperimentHparams hp = base.toBuilder()
                    .training(base.training().toBuilder().optimizer(Optimizer.MOMENTUM).momentum(0.9).learningRate(0.05)
                            .schedule("warmup(5it)+step(milestones=[20it],factor=0.1)").build())
                    .pruning(base.pruning().toBuilder().rewind(rewind).build())
                    .build();
            ExperimentResult straight = new Experiment(hp, new SyntheticWorkload(), dir.resolve(rewind + "-straight")).run();
            Path out = dir.resolve(rewind + "-interrupted");
            BaseTrainingListener bomb = new BaseTrainingListener() {
                int calls;

                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    if (++calls == 30 + 30 + 15) { // in round 1's random_pruning control
                        throw new IllegalStateException("interrupted");
                    }
                }
            };
            assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(bomb), out).run()).hasMessage("interrupted");
            ExperimentResult resumed = new Experiment(hp, new SyntheticWorkload(), out).run();
            assertSameResults(resumed, straight);
            // the control starts from the weights the ticket's round started from: trained, so better than chance
            assertThat(straight.arm(1, "random_pruning").orElseThrow().training().curve().get(0).testAccuracy())
                    .as(rewind).isEqualTo(straight.arm(1, ArmResult.TICKET).orElseThrow().training().curve().get(0)
                            .testAccuracy(), org.assertj.core.data.Offset.offset(0.2));
        }
    }

    /** A user's own importance score: w^2 ranks as |w| does, so its masks are magnitude's. */
    static final class SquaredMagnitude implements org.lottery4j.prune.PruningMethod {
        @Override
        public void score(org.lottery4j.network.ParamKey param, int from, float[] weights, float[] scores, int count) {
            for (int j = 0; j < count; j++) {
                scores[j] = weights[j] * weights[j];
            }
        }

        @Override
        public String describe() {
            return "squared-magnitude";
        }
    }

    @Test
    void aUserWrittenMethodRunsAnExperimentAndResumesWithIt() throws IOException {
        ExperimentHparams magnitude = SyntheticWorkload.hparams(2, "30it", List.of(ControlArm.REINIT));
        ExperimentHparams hp = magnitude.toBuilder()
                .pruning(magnitude.pruning().toBuilder().method(new SquaredMagnitude()).build()).build();
        assertThat(hp.canonical()).contains("pruning.method=squared-magnitude");
        ExperimentResult reference = new Experiment(magnitude, new SyntheticWorkload(), dir.resolve("magnitude")).run();

        Path out = dir.resolve("user");
        BaseTrainingListener bomb = new BaseTrainingListener() {
            int calls;

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (++calls == 30 + 30 + 30 + 15) { // in round 2's ticket: round 1's ticket is loaded to resume
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(bomb), out).run()).hasMessage("interrupted");
        ExperimentResult resumed = new Experiment(hp, new SyntheticWorkload(), out).run();
        // the same masks as magnitude pruning in every round, so the same training
        assertSameResults(resumed, reference);
        try (LotteryTicket saved = LotteryTicket.load(out.resolve(hp.folderName()).resolve("round-02/ticket.zip"))) {
            assertThat(saved.metadata().method()).isEqualTo("squared-magnitude");
            assertThatThrownBy(() -> saved.prune(0.1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'squared-magnitude', a strategy lottery4j cannot rebuild from its name");
        }
    }

    private static BaseTrainingListener counting(int[] steps) {
        return new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                steps[0]++;
            }
        };
    }

    /** Equal in everything but wall-clock times. */
    static void assertSameResults(ExperimentResult actual, ExperimentResult expected) {
        assertThat(actual.results().stream().map(ExperimentTest::withoutTimes).toList())
                .isEqualTo(expected.results().stream().map(ExperimentTest::withoutTimes).toList());
        assertThat(actual.roundsCsv().lines().map(ExperimentTest::withoutSeconds).toList())
                .isEqualTo(expected.roundsCsv().lines().map(ExperimentTest::withoutSeconds).toList());
    }

    private static ArmResult withoutTimes(ArmResult r) {
        TrainingRecord t = r.training();
        TrainingCost c = r.cost();
        return new ArmResult(r.round(), r.arm(), r.weightsRemaining(), r.layerRemaining(),
                new TrainingRecord(t.iterations(), t.curve(), t.finalTestAccuracy(), t.bestTestAccuracy(),
                        t.earlyStopIteration(), t.testAccuracyAtEarlyStop(), t.finalTrainAccuracy(), 0, 0),
                c == null ? null : new TrainingCost(c.multiplyAdds(), c.denseMultiplyAdds(), 0), r.stability());
    }

    private static String withoutSeconds(String csvLine) {
        String[] cells = csvLine.split(",", -1);
        cells[5] = "";
        return String.join(",", cells);
    }

    /**
     * The same files, each the same but for wall-clock times: every arm record, rounds.csv and
     * results.json, and every ticket's weights, masks and snapshots.
     */
    private static void assertSameFiles(Path actual, Path expected) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(expected)) {
            files = walk.filter(Files::isRegularFile).map(expected::relativize).sorted().toList();
        }
        try (Stream<Path> walk = Files.walk(actual)) {
            assertThat(walk.filter(Files::isRegularFile).map(actual::relativize).sorted().toList()).isEqualTo(files);
        }
        for (Path f : files) {
            Path a = actual.resolve(f);
            Path e = expected.resolve(f);
            String name = f.getFileName().toString();
            if (name.endsWith(".json")) {
                assertThat(withoutSeconds(Json.reader().readTree(java.nio.file.Files.readAllBytes(a)))).as(f.toString())
                        .isEqualTo(withoutSeconds(Json.reader().readTree(java.nio.file.Files.readAllBytes(e))));
            } else if (name.equals("rounds.csv")) {
                assertThat(Files.readAllLines(a).stream().map(ExperimentTest::withoutSeconds).toList()).as(f.toString())
                        .isEqualTo(Files.readAllLines(e).stream().map(ExperimentTest::withoutSeconds).toList());
            } else if (name.equals("ticket.zip")) {
                try (LotteryTicket ta = LotteryTicket.load(a); LotteryTicket te = LotteryTicket.load(e)) {
                    assertThat(Nets.bits(ta.network().params())).as(f.toString()).isEqualTo(Nets.bits(te.network().params()));
                    assertThat(ta.masks().asMap()).as(f.toString()).isEqualTo(te.masks().asMap());
                    assertThat(ta.snapshots().asMap().keySet()).isEqualTo(te.snapshots().asMap().keySet());
                    te.snapshots().asMap().forEach((it, w) -> assertThat(Nets.bits(ta.snapshots().at(it).orElseThrow()))
                            .as("%s snapshot %d", f, it).isEqualTo(Nets.bits(w)));
                }
            } else {
                assertThat(a).as(f.toString()).hasSameBinaryContentAs(e);
            }
        }
    }

    /** A JSON tree without its wall-clock times (the fields named ...Seconds) and the checksum that covers them. */
    private static com.fasterxml.jackson.databind.JsonNode withoutSeconds(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            names.stream().filter(n -> n.endsWith("Seconds") || n.equals(Json.CHECKSUM)).forEach(o::remove);
        }
        node.forEach(ExperimentTest::withoutSeconds);
        return node;
    }

    private static void assertSameWeights(Path a, Path b) throws IOException {
        assertThat(Nets.bits(LotteryTicket.load(a).network().params()))
                .isEqualTo(Nets.bits(LotteryTicket.load(b).network().params()));
    }

    @Test
    void aFolderWrittenWhenMomentumMeantNesterovIsNotResumed() throws IOException {
        ExperimentHparams base = SyntheticWorkload.hparams(1, "20it", List.of());
        ExperimentHparams hp = base.toBuilder()
                .training(base.training().toBuilder().optimizer(Optimizer.MOMENTUM).momentum(0.9).build()).build();
        Path folder = dir.resolve(hp.folderName());
        Files.createDirectories(folder);
        // hparams.json as earlier versions wrote it: no canonical form
        com.fasterxml.jackson.databind.node.ObjectNode old = Json.tree(hp);
        old.remove("canonical");
        Files.write(folder.resolve("hparams.json"), Json.writer().writeValueAsBytes(old));
        assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(), dir).run())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(folder.resolve("hparams.json") + ": was written by an earlier lottery4j, whose "
                        + "'momentum' optimizer was Nesterov momentum");
    }

    /** A user's own strategy, not score-based: keeps the first surviving weights of each parameter. */
    static final class FirstKept implements org.lottery4j.prune.PruningStrategy {
        @Override
        public org.lottery4j.prune.Pruned prune(org.lottery4j.network.NetworkView network,
                org.lottery4j.mask.MaskSet current, double fraction) {
            java.util.Map<org.lottery4j.network.ParamKey, org.lottery4j.mask.Mask> next = new java.util.LinkedHashMap<>();
            current.asMap().forEach((key, mask) -> {
                long remove = Math.round(fraction * mask.countKept());
                List<Long> pruned = new ArrayList<>();
                for (long i = mask.length() - 1; i >= 0 && pruned.size() < remove; i--) {
                    if (mask.isKept(i)) {
                        pruned.add(i); // the last survivors go
                    }
                }
                next.put(key, mask.withPruned(pruned.stream().mapToLong(Long::longValue).toArray()));
            });
            return org.lottery4j.prune.Pruned.of(org.lottery4j.mask.MaskSet.of(next));
        }

        @Override
        public org.lottery4j.mask.MaskSet initialMasks(org.lottery4j.network.NetworkView network) {
            return new org.lottery4j.prune.Pruner(org.lottery4j.prune.PruningMethod.magnitude(),
                    org.lottery4j.prune.PruningScope.layerwise()).initialMasks(network);
        }

        @Override
        public String describe() {
            return "first-kept";
        }
    }

    @Test
    void aUserWrittenStrategyRunsAnExperimentAndResumesWithIt() throws IOException {
        ExperimentHparams base = SyntheticWorkload.hparams(2, "30it", List.of(ControlArm.RANDOM_PRUNING));
        ExperimentHparams hp = base.toBuilder()
                .pruning(base.pruning().toBuilder().strategy(new FirstKept()).build()).build();
        assertThat(hp.canonical()).contains("pruning.strategy=first-kept");
        assertThat(hp.hash()).isNotEqualTo(base.hash());
        ExperimentResult straight = new Experiment(hp, new SyntheticWorkload(), dir.resolve("straight")).run();

        Path out = dir.resolve("resumed");
        BaseTrainingListener bomb = new BaseTrainingListener() {
            int calls;

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (++calls == 30 + 30 + 30 + 15) { // in round 2's ticket: round 1's is loaded to resume
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(bomb), out).run()).hasMessage("interrupted");
        assertSameResults(new Experiment(hp, new SyntheticWorkload(), out).run(), straight);

        try (LotteryTicket t = LotteryTicket.load(out.resolve(hp.folderName()).resolve("round-02/ticket.zip"),
                new FirstKept())) {
            for (org.lottery4j.network.ParamKey key : t.masks().keys()) {
                org.lottery4j.mask.Mask m = t.masks().get(key);
                // 50% twice (the scope's fractions are the strategy's business, not the hyperparameters'):
                // a prefix of each parameter survives
                long kept = m.countKept();
                assertThat(kept).as(key.toString()).isEqualTo(m.length() - Math.round(0.5 * m.length())
                        - Math.round(0.5 * (m.length() - Math.round(0.5 * m.length()))));
                for (long i = 0; i < m.length(); i++) {
                    assertThat(m.isKept(i)).as("%s[%d]", key, i).isEqualTo(i < kept);
                }
            }
        }
    }
}

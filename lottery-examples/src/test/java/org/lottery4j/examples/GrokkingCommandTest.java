package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.grokking.GrokkingHparams;
import org.lottery4j.examples.grokking.GrokkingModel;
import org.lottery4j.examples.grokking.GrokkingPhases;
import org.lottery4j.examples.grokking.GrokkingReport;
import org.lottery4j.examples.grokking.GrokkingTickets;
import org.lottery4j.internal.Json;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamKey;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.training.Cadence;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code grokking} and {@code grokking-tickets} on tiny settings (p = 11, tens of steps). */
class GrokkingCommandTest {

    @TempDir
    Path out;

    @Test
    void grokkingWritesTheCurveResultsAndReportIntoTheHashedFolderAndDoesNotRunTwice() throws IOException {
        String[] args = {"grokking", "--p", "11", "--train-fraction", "0.5", "--width", "32", "--lr", "0.01", "--steps",
            "40", "--seed", "3", "--out", out.toString()};
        String printed = Console.out(() -> assertThat(Main.run(args)).isZero());
        GrokkingHparams hp = GrokkingHparams.builder().p(11).trainFraction(0.5).width(32).learningRate(0.01).steps(40)
                .seed(3).build();
        Path folder = out.resolve(hp.folderName());
        assertThat(printed).contains("Grokking run " + hp.folderName(), "step       0", "step      40",
                "report: " + folder.resolve("index.html"));
        List<CurvePoint> curve = GrokkingReport.readCurve(folder.resolve("curve.csv"));
        List<Long> steps = new java.util.ArrayList<>(List.of(0L));
        steps.addAll(Cadence.logSpacedSteps(40, 40));
        assertThat(curve).extracting(CurvePoint::iteration).containsExactlyElementsOf(steps);
        GrokkingPhases phases = GrokkingPhases.detect(curve, 0.99);
        JsonNode results = Json.reader().readTree(java.nio.file.Files.readAllBytes(folder.resolve("results.json")));
        assertThat(results.path("memorization_step").isNull() || results.path("memorization_step").isMissingNode())
                .isEqualTo(phases.memorization().isEmpty());
        if (phases.memorization().isPresent()) {
            assertThat(results.get("memorization_step").asLong()).isEqualTo(phases.memorization().getAsLong());
        }
        assertThat(results.get("steps").asLong()).isEqualTo(40);
        assertThat(results.get("final_test_accuracy").asDouble()).isEqualTo(curve.get(curve.size() - 1).testAccuracy());
        JsonNode hparams = Json.reader().readTree(java.nio.file.Files.readAllBytes(folder.resolve("hparams.json")));
        assertThat(hparams.get("canonical").asText()).isEqualTo(hp.canonical());
        String html = Files.readString(folder.resolve("index.html"));
        assertThat(html).contains("Grokking " + hp.folderName(), "charts/grokking.svg", "curve.csv", hp.canonical()
                .lines().findFirst().orElseThrow());
        assertThat(folder.resolve("charts/grokking.png")).isRegularFile();
        assertThat(folder.resolve("charts/grokking.svg")).isRegularFile();
        // the Fourier progress measures: a column each in curve.csv, the spectrum per step, the summary, the charts
        List<String> rows = Files.readAllLines(folder.resolve("curve.csv"));
        assertThat(rows.get(0)).isEqualTo(GrokkingReport.CSV_HEADER + "," + GrokkingReport.FOURIER_COLUMNS);
        assertThat(rows).hasSize(1 + steps.size()).allSatisfy(r -> assertThat(r.split(",")).hasSize(12));
        List<String> spectrum = Files.readAllLines(folder.resolve("spectrum.csv"));
        assertThat(spectrum.get(0)).isEqualTo("step,f1,f2,f3,f4,f5");
        assertThat(spectrum).hasSize(1 + steps.size());
        for (String row : spectrum.subList(1, spectrum.size())) {
            double sum = java.util.Arrays.stream(row.split(",")).skip(1).mapToDouble(Double::parseDouble).sum();
            assertThat(sum).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-9));
        }
        JsonNode fourier = Json.reader().readTree(Files.readAllBytes(folder.resolve("fourier.json")));
        assertThat(fourier.get("key_frequencies")).isNotEmpty()
                .allSatisfy(f -> assertThat(f.asInt()).isBetween(1, 5)); // of p = 11's five frequencies
        assertThat(fourier.get("measure_seconds").asDouble()).isPositive()
                .isLessThan(fourier.get("run_seconds").asDouble());
        for (String chart : List.of("fourier", "spectrum", "spectrum-moments")) {
            assertThat(folder.resolve("charts/" + chart + ".png")).isRegularFile();
            assertThat(html).contains("charts/" + chart + ".svg");
        }
        assertThat(html).contains("Key frequencies", "spectrum.csv", "fourier.json");

        String again = Console.out(() -> assertThat(Main.run(args)).isZero());
        assertThat(again).contains("already finished:").doesNotContain("step       0");

        Files.writeString(folder.resolve("results.json"), "{\"memorization_step\": [");
        String err = Console.err(() -> assertThat(Main.run(args)).isEqualTo(1));
        assertThat(err).contains(folder.resolve("results.json") + ": is not valid JSON", "delete it to run that phase again");
    }

    @Test
    void seedsAreRunEachAndSummarizedWithIntervals() throws IOException {
        String[] args = {"grokking", "--p", "11", "--train-fraction", "0.5", "--width", "32", "--lr", "0.01", "--steps",
            "40", "--seeds", "1,2,3", "--out", out.toString()};
        String printed = Console.out(() -> assertThat(Main.run(args)).isZero());
        GrokkingHparams hp = GrokkingHparams.builder().p(11).trainFraction(0.5).width(32).learningRate(0.01).steps(40)
                .build();
        List<JsonNode> runs = new java.util.ArrayList<>();
        for (long seed : List.of(1L, 2L, 3L)) {
            runs.add(Json.reader().readTree(Files.readAllBytes(
                    out.resolve(hp.toBuilder().seed(seed).build().folderName()).resolve("fourier.json"))));
        }
        Path folder = out.resolve(org.lottery4j.examples.grokking.GrokkingSeeds.identity(hp, List.of(1L, 2L, 3L))
                .folderName());
        List<String> csv = Files.readAllLines(folder.resolve("summary.csv"));
        assertThat(csv).hasSize(1 + 6);
        // the concentration's halfway steps of the three seeds: their mean and t-interval by hand
        double[] steps = runs.stream().mapToDouble(r -> r.get("concentration_halfway_step").asDouble()).toArray();
        double mean = java.util.Arrays.stream(steps).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(steps).map(v -> (v - mean) * (v - mean)).sum() / 2);
        double half = 4.302652729911275 * sd / Math.sqrt(3); // t(0.975, 2 degrees of freedom)
        String[] row = csv.get(1).split(",", -1);
        assertThat(row[0]).isEqualTo("fourier_concentration");
        assertThat(row[1]).isEqualTo("3");
        assertThat(Double.parseDouble(row[2])).isCloseTo(mean, org.assertj.core.api.Assertions.within(0.05));
        if (sd > 0) {
            assertThat(Double.parseDouble(row[3])).isCloseTo(mean - half, org.assertj.core.api.Assertions.within(0.05));
            assertThat(Double.parseDouble(row[4])).isCloseTo(mean + half, org.assertj.core.api.Assertions.within(0.05));
        }
        assertThat(printed).contains("fourier_concentration", "halfway at", "the measures added at most",
                "summary: " + folder.resolve("summary.csv"));
        String again = Console.out(() -> assertThat(Main.run(args)).isZero());
        assertThat(again).contains("already finished:").doesNotContain("step       0"); // the seeds are reused
        Path fresh = out.resolve("fresh");
        assertThat(Console.err(() -> assertThat(Main.run("grokking", "--seeds", "1,1", "--out", fresh.toString()))
                .isEqualTo(2))).contains("--seeds must list distinct seeds, got [1, 1]");
        assertThat(fresh).doesNotExist(); // refused before anything is written
    }

    @Test
    void badOptionsAreValueErrorsNamingThem() {
        String err = Console.err(() -> assertThat(Main.run("grokking", "--op", "/", "--out", out.toString())).isEqualTo(2));
        assertThat(err).contains("operation must be +, - or x, got '/'");
        err = Console.err(() -> assertThat(Main.run("grokking", "--train-fraction", "1.5", "--out", out.toString()))
                .isEqualTo(2));
        assertThat(err).contains("training fraction must be between 0 and 1");
        err = Console.err(() -> assertThat(Main.run("grokking", "--model", "transformer", "--out", out.toString()))
                .isEqualTo(2));
        assertThat(err).contains("model must be one of quadratic, embed-relu, got 'transformer'");
        err = Console.err(() -> assertThat(Main.run("grokking-tickets", "--keep", "1", "--out", out.toString()))
                .isEqualTo(2));
        assertThat(err).contains("--keep must be in (0, 1), got 1.0");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void grokkingTicketsPruneGloballyRewindToInitAndControlWithRandomMasksOfTheSameSparsity() throws IOException {
        String[] args = {"grokking-tickets", "--p", "11", "--train-fraction", "0.5", "--width", "32", "--lr", "0.01",
            "--steps", "30", "--seeds", "1,2", "--scope", "global", "--out", out.toString()};
        String printed = Console.out(() -> assertThat(Main.run(args)).isZero());
        GrokkingHparams hp = GrokkingHparams.builder().p(11).trainFraction(0.5).width(32).learningRate(0.01).steps(30)
                .build();
        Path folder = out.resolve(GrokkingTickets.identity(hp, GrokkingTickets.Pruning.global(0.4), List.of(1L, 2L))
                .folderName());
        assertThat(printed).contains("seed 1: dense, 30 steps", "seed 2: random masks of the same sparsity",
                "steps to 99% test accuracy, mean over seeds: dense ");
        for (long seed : new long[] {1, 2}) {
            Path dir = folder.resolve("seed-" + seed);
            for (String arm : GrokkingTickets.ARMS) {
                assertThat(GrokkingReport.readCurve(dir.resolve(arm).resolve("curve.csv")).get(0).iteration()).isZero();
            }
            GrokkingHparams seeded = hp.toBuilder().seed(seed).build();
            INDArray init = seeded.network().params();
            try (LotteryTicket ticket = LotteryTicket.load(dir.resolve("ticket.zip"))) {
                MaskSet masks = ticket.masks();
                // global magnitude over both layers: exactly 40% of the 22 x 32 + 32 x 11 weights kept
                long total = 22 * 32 + 32 * 11;
                assertThat(masks.sparsity().total()).isEqualTo(total);
                assertThat(total - masks.sparsity().pruned()).isEqualTo(Math.round(0.4 * total));
                // rewound: each kept weight is its initial value bit for bit, each pruned one +0.0
                INDArray params = ticket.network().params();
                INDArray flat = masks.toFlat(ticket.network());
                for (long i = 0; i < params.length(); i++) {
                    float expected = flat.getFloat(i) == 1 ? init.getFloat(i) : 0f;
                    assertThat(Float.floatToRawIntBits(params.getFloat(i))).as("weight %d", i)
                            .isEqualTo(Float.floatToRawIntBits(expected));
                }
                // the random control: the same initial weights, as many kept per layer, but others
                try (LotteryTicket control = LotteryTicket.load(dir.resolve("random.zip"))) {
                    MaskSet random = control.masks();
                    for (ParamKey key : masks.keys()) {
                        Mask m = masks.get(key);
                        assertThat(random.get(key).countKept()).as("%s", key).isEqualTo(m.countKept());
                    }
                    assertThat(random).isNotEqualTo(masks);
                    INDArray randomFlat = random.toFlat(control.network());
                    INDArray controlParams = control.network().params();
                    for (long i = 0; i < controlParams.length(); i++) {
                        float expected = randomFlat.getFloat(i) == 1 ? init.getFloat(i) : 0f;
                        assertThat(Float.floatToRawIntBits(controlParams.getFloat(i))).as("control weight %d", i)
                                .isEqualTo(Float.floatToRawIntBits(expected));
                    }
                }
            }
            JsonNode seedResult = Json.reader().readTree(java.nio.file.Files.readAllBytes(dir.resolve("results.json")));
            assertThat(seedResult.get("kept_fraction").asDouble()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(seedResult.get("kept").asText()).startsWith("40.0% of the weights: hidden ").contains(", output ");
            assertThat(seedResult.get("arms").get("dense").get("steps").asLong()).isEqualTo(30);
        }
        String html = Files.readString(folder.resolve("index.html"));
        assertThat(html).contains("Steps to 99% test accuracy", "charts/grokking-tickets.svg", "mean [95% interval]");
        assertThat(Json.reader().readTree(java.nio.file.Files.readAllBytes(folder.resolve("results.json"))).get("seeds")).hasSize(2);

        // a finished seed is read back, not trained again
        long modified = Files.getLastModifiedTime(folder.resolve("seed-1/ticket.zip")).toMillis();
        String again = Console.out(() -> assertThat(Main.run(args)).isZero());
        assertThat(again).doesNotContain("seed 1: dense, 30 steps").contains("seed 1: dense ");
        assertThat(Files.getLastModifiedTime(folder.resolve("seed-1/ticket.zip")).toMillis()).isEqualTo(modified);

        // killed during seed 2's ticket arm: the dense arm is read back, the ticket and random arms train again
        byte[] ticketCurve = Files.readAllBytes(folder.resolve("seed-2/ticket/curve.csv"));
        long dense = Files.getLastModifiedTime(folder.resolve("seed-2/dense.zip")).toMillis();
        Files.delete(folder.resolve("seed-2/ticket/result.json"));
        Files.delete(folder.resolve("seed-2/random/result.json"));
        String resumed = Console.out(() -> assertThat(Main.run(args)).isZero());
        assertThat(resumed).doesNotContain("seed 2: dense, 30 steps").contains("seed 2: ticket (", "seed 2: random masks");
        assertThat(Files.getLastModifiedTime(folder.resolve("seed-2/dense.zip")).toMillis()).isEqualTo(dense);
        assertThat(Files.readAllBytes(folder.resolve("seed-2/ticket/curve.csv"))).isEqualTo(ticketCurve); // the same run
    }

    @Test
    void layerwiseTicketsKeepTheFractionInEachLayer() throws IOException {
        Console.out(() -> assertThat(Main.run("grokking-tickets", "--p", "11", "--width", "32", "--steps", "20", "--seeds",
                "4", "--scope", "layerwise", "--keep", "0.25", "--out", out.toString())).isZero());
        GrokkingHparams hp = GrokkingHparams.builder().p(11).width(32).steps(20).build();
        Path folder = out.resolve(GrokkingTickets.identity(hp, new GrokkingTickets.Pruning(0.25,
                org.lottery4j.prune.PruningScope.layerwise()), List.of(4L)).folderName());
        try (LotteryTicket ticket = LotteryTicket.load(folder.resolve("seed-4/ticket.zip"))) {
            assertThat(ticket.sparsity().byLayer().get("hidden").pruned()).isEqualTo(22 * 32 - 176);
            assertThat(ticket.sparsity().byLayer().get("output").pruned()).isEqualTo(32 * 11 - 88);
        }
        String err = Console.err(() -> assertThat(Main.run("grokking-tickets", "--scope", "random", "--out",
                out.toString())).isEqualTo(2));
        assertThat(err).contains("--scope: not a pruning scope: 'random'; expected layerwise or global");
    }

    @Test
    void grokkingTicketsLeaveTheOutputLayerWholeByDefault() throws IOException {
        assertThat(Main.run("grokking-tickets", "--p", "11", "--train-fraction", "0.5", "--width", "32", "--lr", "0.01",
                "--steps", "10", "--seeds", "1", "--out", out.toString())).isZero();
        GrokkingHparams hp = GrokkingHparams.builder().p(11).trainFraction(0.5).width(32).learningRate(0.01).steps(10)
                .build();
        GrokkingTickets.Pruning pruning = new GrokkingTickets.Pruning(0.4,
                org.lottery4j.prune.PruningScope.parse(GrokkingTickets.DEFAULT_SCOPE));
        Path folder = out.resolve(GrokkingTickets.identity(hp, pruning, List.of(1L)).folderName());
        assertThat(GrokkingTickets.identity(hp, pruning, List.of(1L)).canonical()).contains("tickets.scope=global exclude=[output]");
        try (LotteryTicket ticket = LotteryTicket.load(folder.resolve("seed-1/ticket.zip"))) {
            MaskSet masks = ticket.masks();
            for (ParamKey key : masks.keys()) {
                Mask m = masks.get(key);
                if (key.toString().startsWith("output")) {
                    assertThat(m.countKept()).as("%s", key).isEqualTo(32 * 11); // not ranked: whole
                } else {
                    assertThat(m.countKept()).as("%s", key).isEqualTo(Math.round(0.4 * 22 * 32));
                }
            }
        }
    }

    @Test
    void theTicketFolderHashLeavesTheSeedsOut() {
        GrokkingHparams hp = GrokkingHparams.DEFAULTS;
        GrokkingTickets.Pruning global = GrokkingTickets.Pruning.global(0.4);
        List<Long> seeds = List.of(1L, 2L, 3L);
        String folder = GrokkingTickets.identity(hp, global, seeds).folderName();
        assertThat(folder)
                .isEqualTo(GrokkingTickets.identity(hp.toBuilder().seed(9).build(), global, seeds).folderName())
                .isEqualTo(GrokkingTickets.identity(hp, global, List.of(1L, 2L, 3L, 4L)).folderName())
                .isNotEqualTo(GrokkingTickets.identity(hp, GrokkingTickets.Pruning.global(0.3), seeds).folderName())
                .isNotEqualTo(GrokkingTickets.identity(hp, new GrokkingTickets.Pruning(0.4,
                        org.lottery4j.prune.PruningScope.layerwise()), seeds).folderName())
                .isNotEqualTo(GrokkingTickets.identity(hp.toBuilder().model(GrokkingModel.EMBED_RELU).build(), global,
                        seeds).folderName());
        // names leave out the first default, plain global: its old folders keep their name, and the
        // default since the output layer is left whole gets its own instead of reusing their arms
        assertThat(GrokkingTickets.identity(hp, global, seeds).canonical()).isEmpty();
        assertThat(GrokkingTickets.identity(hp, new GrokkingTickets.Pruning(0.4,
                org.lottery4j.prune.PruningScope.parse(GrokkingTickets.DEFAULT_SCOPE)), seeds).canonical())
                .isEqualTo("tickets.scope=global exclude=[output]");
    }
}

package org.lottery4j.examples.grokking;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.internal.Json;
import org.lottery4j.io.Provenance;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.prune.RandomMasks;
import org.lottery4j.report.Figure;
import org.lottery4j.report.ReportPage;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.run.Phase;
import org.lottery4j.run.RunFolder;
import org.lottery4j.run.RunIdentity;
import org.lottery4j.study.Summary;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.training.TrainingLoop;
import org.slf4j.LoggerFactory;

/**
 * Grokking tickets (Minegishi et al. 2023) with this toolkit's {@link LotteryTicket}: train the
 * dense network until it has generalized, prune it by magnitude (globally, as the paper, or per
 * layer) to a fraction of its weights, rewind the survivors to their initial values and train
 * again; as a control, the same initial weights under random masks of the same per-layer
 * sparsity. Reports the steps each takes to reach 99% test accuracy, per seed and as means with
 * 95% intervals.
 *
 * <p>Each seed is a folder {@code seed-<s>}: per arm, {@code dense/}, {@code ticket/} and
 * {@code random/} with its curve and its record {@code result.json}, written last; {@code dense.zip}
 * (the trained dense network), {@code ticket.zip} and {@code random.zip} (both at initialization
 * under their masks); {@code results.json}, the seed's arms together. An arm with its record is
 * not run again, so a run killed during the ticket arm does not train the dense arm again. The
 * pruned arms stop once they generalize.
 *
 * <pre>{@code
 * GrokkingTickets.Outcome o = GrokkingTickets.run(GrokkingHparams.DEFAULTS, GrokkingTickets.Pruning.global(0.4),
 *         List.of(1L, 2L, 3L), out, System.out::println);
 * o.ticketSpeedup();   // dense steps to generalize over the ticket's, mean and 95% interval
 * }</pre>
 */
public final class GrokkingTickets {

    /** The arms, in report order. */
    public static final List<String> ARMS = List.of("dense", "ticket", "random");

    private GrokkingTickets() {}

    /**
     * One seed's arms.
     *
     * @param seed the seed of the split and of the initial weights (also of the random masks)
     * @param keptFraction the fraction of prunable weights the ticket keeps
     * @param kept that fraction overall and per layer, as text
     * @param arms each arm's result, by name
     */
    public record SeedResult(@JsonProperty("seed") long seed, @JsonProperty("kept_fraction") double keptFraction,
            @JsonProperty("kept") String kept, @JsonProperty("arms") Map<String, GrokkingResult> arms) {}

    /**
     * The study's result.
     *
     * @param seeds each seed's arms
     * @param generalizationSteps per arm, the mean steps to 99% test accuracy over the seeds that got there
     * @param generalized per arm, how many seeds got there
     * @param ticketSpeedup dense steps over ticket steps, over the seeds where both generalized
     * @param randomSpeedup dense steps over random-mask steps, likewise
     */
    public record Outcome(@JsonProperty("seeds") List<SeedResult> seeds,
            @JsonProperty("generalization_steps") Map<String, Summary.Estimate> generalizationSteps,
            @JsonProperty("generalized") Map<String, Integer> generalized,
            @JsonProperty("ticket_speedup") Summary.Estimate ticketSpeedup,
            @JsonProperty("random_speedup") Summary.Estimate randomSpeedup) {}

    /**
     * How the tickets are pruned.
     *
     * @param keep the fraction of prunable weights the ticket keeps, in (0, 1)
     * @param scope {@link PruningScope#global()} (one ranking over all layers, as Minegishi et al.)
     *     or {@link PruningScope#layerwise()} (each layer keeps {@code keep} of its own)
     */
    public record Pruning(double keep, PruningScope scope) {
        public Pruning {
            if (!(keep > 0 && keep < 1)) {
                throw new IllegalArgumentException("tickets.keep must be in (0, 1), got " + keep);
            }
            java.util.Objects.requireNonNull(scope, "tickets.scope");
        }

        /** Keeping {@code keep} by one global ranking. */
        public static Pruning global(double keep) {
            return new Pruning(keep, PruningScope.global());
        }
    }

    /**
     * The study's fields: the run's (its seed aside), the kept fraction, the scope and the seeds;
     * the folder {@code grokking-tickets_<hash>} hashes those that differ from their defaults
     * ({@link GrokkingHparams#DEFAULTS}, keep 0.4, global), the seeds aside: a seed added later
     * reuses the folder and the seeds it has.
     */
    public static RunIdentity identity(GrokkingHparams hp, Pruning pruning, List<Long> seeds) {
        return RunIdentity.of("Grokking tickets", "grokking-tickets", fields(hp, pruning, seeds),
                fields(GrokkingHparams.DEFAULTS, NAMING_BASELINE, seeds), Set.of("tickets.seeds"));
    }

    /**
     * What folder names leave out: the command's first default, plain global pruning of 40%. The
     * default changed to {@link #DEFAULT_SCOPE}; naming by the first one keeps old runs in their
     * folders and gives the new default a folder of its own, instead of reusing the old default's
     * arms as if they were its own.
     */
    static final Pruning NAMING_BASELINE = Pruning.global(0.4);

    /**
     * The command's default scope: one global ranking that leaves the output layer whole (open_lth's
     * {@code pruning_layers_to_ignore}). A plain global ranking prunes the quadratic model's output
     * layer away entirely, since its weights are the smaller ones.
     */
    public static final String DEFAULT_SCOPE = "global exclude=[output]";

    private static Map<String, String> fields(GrokkingHparams hp, Pruning pruning, List<Long> seeds) {
        Map<String, String> f = new LinkedHashMap<>(hp.fields());
        f.remove("grokking.seed");
        f.put("tickets.keep", Double.toString(pruning.keep()));
        f.put("tickets.scope", pruning.scope().describe());
        f.put("tickets.seeds", seeds.toString());
        return f;
    }

    /**
     * Runs every arm of every seed without a record yet, then writes the summary and the page into
     * {@code out/grokking-tickets_<hash>}.
     *
     * @param hp the task, model and training of every arm (its seed replaced by each of {@code seeds})
     * @param pruning how much the tickets keep, ranked globally or per layer
     * @param log receives progress lines
     */
    public static Outcome run(GrokkingHparams hp, Pruning pruning, List<Long> seeds, Path out, Consumer<String> log)
            throws IOException {
        RunIdentity id = identity(hp, pruning, seeds);
        RunFolder folder = RunFolder.create(out.resolve(id.folderName()));
        folder.bind(id, null, LoggerFactory.getLogger(GrokkingTickets.class));
        List<SeedResult> results = new ArrayList<>();
        Map<Long, Map<String, List<CurvePoint>>> curves = new LinkedHashMap<>();
        Map<Long, List<String>> emptied = new LinkedHashMap<>();
        for (long seed : seeds) {
            Path dir = folder.path().resolve("seed-" + seed);
            SeedResult r = runSeed(hp.toBuilder().seed(seed).build(), pruning, dir, log);
            log.accept(String.format(Locale.ROOT, "seed %d: %s", seed, stepsLine(r)));
            results.add(r);
            curves.put(seed, readCurves(dir));
            emptied.put(seed, layersPrunedAway(dir.resolve("ticket.zip")));
        }
        Outcome o = summarize(results);
        writePage(folder.path(), hp, pruning, id, o, curves, emptied);
        Json.write(folder.path().resolve("results.json"), o);
        return o;
    }

    /**
     * One seed, an arm at a time, each a {@link Phase} with its record in {@code <arm>/result.json}:
     * dense to the end of its budget (the trained network kept as {@code dense.zip}), then the
     * ticket (pruned from {@code dense.zip}, rewound, {@code ticket.zip}) and the random masks
     * ({@code random.zip}) until they generalize. A run killed in an arm resumes at that arm.
     */
    static SeedResult runSeed(GrokkingHparams hp, Pruning pruning, Path dir, Consumer<String> log) throws IOException {
        ModularArithmetic.Split split = hp.task().split();
        Map<String, GrokkingResult> arms = new LinkedHashMap<>();
        arms.put("dense", Phase.run(record(dir, "dense"), GrokkingResult.class, () -> {
            MultiLayerNetwork dense = hp.network();
            try (LotteryTicket ticket = LotteryTicket.builder(dense).method(PruningMethod.magnitude())
                    .scope(pruning.scope()).rewindTo(RewindPoint.init()).hyperparameters(hp.fields()).build()) {
                log.accept("seed " + hp.seed() + ": dense, " + hp.steps() + " steps");
                GrokkingResult r = trainArm(dense, hp, split, false, dir.resolve("dense"));
                ticket.save(dir.resolve("dense.zip")); // trained, with its initial weights to rewind to
                return r;
            }
        }));
        arms.put("ticket", Phase.run(record(dir, "ticket"), GrokkingResult.class, () -> {
            try (LotteryTicket ticket = LotteryTicket.load(dir.resolve("dense.zip"))) {
                ticket.prune(1 - pruning.keep());
                ticket.rewind();
                ticket.save(dir.resolve("ticket.zip"));
                log.accept(String.format(Locale.ROOT, "seed %d: ticket (%s, rewound to initialization)", hp.seed(),
                        kept(ticket.sparsity())));
                return trainArm((MultiLayerNetwork) ticket.network(), hp, split, true, dir.resolve("ticket"));
            }
        }));
        arms.put("random", Phase.run(record(dir, "random"), GrokkingResult.class, () -> {
            // the same initial weights (same seed) under random masks of the ticket's per-layer sparsity
            MultiLayerNetwork control = hp.network();
            MaskSet masks;
            try (LotteryTicket ticket = LotteryTicket.load(dir.resolve("ticket.zip"))) {
                masks = ticket.masks();
            }
            try (LotteryTicket random = LotteryTicket.builder(control).masks(RandomMasks.matching(masks, hp.seed())).build()) {
                random.save(dir.resolve("random.zip"));
                log.accept("seed " + hp.seed() + ": random masks of the same sparsity");
                return trainArm(control, hp, split, true, dir.resolve("random"));
            }
        }));
        SparsityReport sparsity;
        try (LotteryTicket ticket = LotteryTicket.load(dir.resolve("ticket.zip"))) {
            sparsity = ticket.sparsity();
        }
        SeedResult r = new SeedResult(hp.seed(), sparsity.fractionRemaining(), kept(sparsity), arms);
        Json.writeChecked(dir.resolve("results.json"), r);
        return r;
    }

    private static Path record(Path seedDir, String arm) {
        return seedDir.resolve(arm).resolve("result.json");
    }

    /** The fraction kept overall and per layer, such as "40.0% of the weights: hidden 60.0%, output 0.0%". */
    static String kept(SparsityReport sparsity) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.1f%% of the weights:",
                100 * sparsity.fractionRemaining()));
        String sep = " ";
        for (SparsityReport.Entry e : sparsity.byLayer().values()) {
            s.append(sep).append(e.name()).append(String.format(Locale.ROOT, " %.1f%%", 100 * e.fractionRemaining()));
            sep = ", ";
        }
        return s.toString();
    }

    /** Trains an arm (until it generalizes, if asked) and writes its curve. */
    private static GrokkingResult trainArm(MultiLayerNetwork net, GrokkingHparams hp, ModularArithmetic.Split split,
            boolean untilGeneralized, Path dir) throws IOException {
        TrainingLoop.Builder loop = hp.training(net, split);
        if (untilGeneralized) {
            loop.stopWhen(GrokkingPhases::generalized);
        }
        TrainingLoop.Result r = loop.build().run();
        Files.createDirectories(dir);
        GrokkingReport.writeCurve(dir.resolve("curve.csv"), r.curve());
        return GrokkingResult.of(r);
    }

    /** The layers of the saved ticket that keep none of their weights. */
    static List<String> layersPrunedAway(Path ticketFile) throws IOException {
        try (LotteryTicket t = LotteryTicket.load(ticketFile)) {
            return t.sparsity().byLayer().values().stream().filter(e -> e.total() > 0 && e.pruned() == e.total())
                    .map(SparsityReport.Entry::name).toList();
        }
    }

    private static Map<String, List<CurvePoint>> readCurves(Path dir) throws IOException {
        Map<String, List<CurvePoint>> out = new LinkedHashMap<>();
        for (String arm : ARMS) {
            out.put(arm, GrokkingReport.readCurve(dir.resolve(arm).resolve("curve.csv")));
        }
        return out;
    }

    private static String stepsLine(SeedResult r) {
        StringBuilder s = new StringBuilder();
        for (String arm : ARMS) {
            Long g = r.arms().get(arm).generalizationStep();
            s.append(s.length() == 0 ? "" : ", ").append(arm).append(" ")
                    .append(g == null ? "did not generalize in " + r.arms().get(arm).steps() + " steps" : "generalized at step " + g);
        }
        return s.toString();
    }

    /** Means and intervals over the seeds. */
    public static Outcome summarize(List<SeedResult> seeds) {
        Map<String, Summary.Estimate> steps = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (String arm : ARMS) {
            double[] v = seeds.stream().map(s -> s.arms().get(arm).generalizationStep()).filter(g -> g != null)
                    .mapToDouble(Long::doubleValue).toArray();
            steps.put(arm, Summary.Estimate.of(v));
            count.put(arm, v.length);
        }
        return new Outcome(List.copyOf(seeds), steps, count, speedup(seeds, "ticket"), speedup(seeds, "random"));
    }

    private static Summary.Estimate speedup(List<SeedResult> seeds, String arm) {
        return Summary.Estimate.of(seeds.stream().filter(s -> s.arms().get("dense").generalizationStep() != null
                        && s.arms().get(arm).generalizationStep() != null)
                .mapToDouble(s -> (double) s.arms().get("dense").generalizationStep() / s.arms().get(arm).generalizationStep())
                .toArray());
    }

    private static void writePage(Path folder, GrokkingHparams hp, Pruning pruning, RunIdentity id, Outcome o,
            Map<Long, Map<String, List<CurvePoint>>> curves, Map<Long, List<String>> emptied) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (SeedResult s : o.seeds()) {
            List<String> row = new ArrayList<>(List.of(Long.toString(s.seed()), s.kept()));
            for (String arm : ARMS) {
                GrokkingResult a = s.arms().get(arm);
                row.add(a.generalizationStep() == null ? "> " + a.steps() : Long.toString(a.generalizationStep()));
            }
            rows.add(row);
        }
        List<String> mean = new ArrayList<>(List.of("mean [95% interval]", ""));
        for (String arm : ARMS) {
            mean.add(describe(o, arm));
        }
        rows.add(mean);
        List<Figure.Series> accuracy = new ArrayList<>();
        curves.forEach((seed, arms) -> {
            for (int a = 0; a < ARMS.size(); a++) {
                List<CurvePoint> c = arms.get(ARMS.get(a));
                accuracy.add(Figure.Series.of(ARMS.get(a) + " seed " + seed, c.stream().mapToDouble(CurvePoint::iteration).toArray(),
                        c.stream().mapToDouble(p -> 100 * p.testAccuracy()).toArray()).colored(a));
            }
        });
        Figure figure = new Figure("grokking-tickets", String.format(Locale.ROOT,
                "Grokking tickets: test accuracy (%.0f%% kept, %s)", 100 * pruning.keep(), pruning.scope().describe()),
                "Step (log scale)", true, List.of(new Figure.Panel("Test accuracy (%)", accuracy)), List.of(), List.of());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("results.json", "results.json");
        links.put("hparams.json", "hparams.json");
        ReportPage page = ReportPage.titled("Grokking tickets " + id.folderName())
                .paragraph(String.format(Locale.ROOT, "%s on (a %s b) mod %d, %.0f%% of the pairs trained on, weight decay %s. "
                        + "Dense: trained %,d steps. Ticket: the dense network pruned by %s magnitude to %.0f%% of its "
                        + "prunable weights, rewound to initialization, trained until test accuracy reaches 99%%. Random: the "
                        + "same initialization under random masks of the ticket's per-layer sparsity.", hp.model().text(),
                        hp.operation().symbol(), hp.p(), 100 * hp.trainFraction(), hp.weightDecay(), hp.steps(),
                        pruning.scope().describe(), 100 * pruning.keep()))
                .paragraph("Ticket speed-up (dense steps to generalize over the ticket's): "
                        + estimate(o.ticketSpeedup(), "%.2fx") + "; random masks: " + estimate(o.randomSpeedup(), "%.2fx") + ".");
        Map<List<String>, List<Long>> seedsByEmptied = new LinkedHashMap<>();
        emptied.forEach((seed, layers) -> {
            if (!layers.isEmpty()) {
                seedsByEmptied.computeIfAbsent(layers, k -> new ArrayList<>()).add(seed);
            }
        });
        seedsByEmptied.forEach((layers, seeds) -> page.paragraph((seeds.size() == 1 ? "Seed " : "Seeds ")
                + seeds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                + ": the ticket keeps none of the weights of " + String.join(", ", layers) + ", so the pruned networks' "
                + "output does not depend on their input and neither pruned arm can learn (the random masks copy the "
                + "ticket's per-layer sparsity). --scope layerwise keeps the fraction in every layer."));
        page.links(links)
                .figure(figure)
                .table("Steps to 99% test accuracy", List.of("Seed", "Weights kept", "Dense", "Ticket", "Random masks"),
                        rows)
                .keyValues("Hyperparameters", id.fields())
                .canonical(id.canonical())
                .keyValues("Provenance", Provenance.current())
                .write(folder);
    }

    /** An arm's mean steps to generalize with its interval, and how many seeds got there if not all. */
    public static String describe(Outcome o, String arm) {
        return estimate(o.generalizationSteps().get(arm), "%.0f") + (o.generalized().get(arm) < o.seeds().size()
                ? " (" + o.generalized().get(arm) + " of " + o.seeds().size() + " seeds)" : "");
    }

    static String estimate(Summary.Estimate e, String format) {
        if (e.n() == 0) {
            return "none";
        }
        String mean = String.format(Locale.ROOT, format, e.mean());
        return e.hasInterval() ? mean + " [" + String.format(Locale.ROOT, format, e.ciLow()) + ", "
                + String.format(Locale.ROOT, format, e.ciHigh()) + "]" : mean + " (one seed)";
    }
}

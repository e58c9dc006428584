package org.lottery4j.examples.grokking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.lottery4j.internal.Json;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.run.RunFolder;
import org.lottery4j.run.RunIdentity;
import org.lottery4j.study.Summary;
import org.slf4j.Logger;

/**
 * Several seeds of one grokking run, summarized: for each Fourier measure, the step at which it
 * crossed halfway (mean and 95% interval over the seeds), and how many steps before test accuracy
 * reached 50% it did, paired by seed - does the reorganization show before accuracy moves? Written
 * into {@code OUT/grokking-seeds_<hash>/} as {@value #CSV} and {@value #TABLE}, from the seeds'
 * {@code fourier.json}.
 *
 * <pre>{@code
 * Path folder = GrokkingSeeds.write(hp, List.of(1L, 2L, 3L, 4L, 5L), out, log);  // each seed's run finished in out
 * }</pre>
 */
public final class GrokkingSeeds {

    /** The summary's file: one row per measure. */
    public static final String CSV = "summary.csv";

    /** The summary as the console shows it. */
    public static final String TABLE = "summary.txt";

    /** The row of the step at which test accuracy reached 50%, against which the others are paired. */
    private static final String TEST_ACCURACY_50 = "test_accuracy_50";

    private GrokkingSeeds() {}

    /** The folder's identity: the run's fields but the seed, and the seeds (not hashed). */
    public static RunIdentity identity(GrokkingHparams hp, List<Long> seeds) {
        return RunIdentity.of("Grokking over seeds", "grokking-seeds", fields(hp, seeds),
                fields(GrokkingHparams.DEFAULTS, seeds), Set.of("seeds.seeds"));
    }

    private static Map<String, String> fields(GrokkingHparams hp, List<Long> seeds) {
        Map<String, String> f = new LinkedHashMap<>(hp.fields());
        f.remove("grokking.seed");
        f.put("seeds.seeds", seeds.toString());
        return f;
    }

    /**
     * Writes the summary of the finished runs of {@code hp} with each of {@code seeds} under
     * {@code root}; returns its folder.
     *
     * @throws IOException if a seed's {@code fourier.json} is missing or cannot be read
     */
    public static Path write(GrokkingHparams hp, List<Long> seeds, Path root, Logger log) throws IOException {
        List<FourierSummary> runs = new ArrayList<>();
        for (long seed : seeds) {
            Path file = root.resolve(hp.toBuilder().seed(seed).build().folderName()).resolve("fourier.json");
            runs.add(Json.reader().readValue(Files.readAllBytes(file), FourierSummary.class));
        }
        RunIdentity id = identity(hp, seeds);
        RunFolder folder = RunFolder.create(root.resolve(id.folderName()));
        folder.bind(id, null, log);
        StringBuilder csv = new StringBuilder("measure,seeds,halfway_step_mean,halfway_step_ci_low,halfway_step_ci_high,"
                + "steps_before_test_accuracy_50_mean,steps_before_ci_low,steps_before_ci_high,seeds_with_both\n");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%s, seeds %s: halfway steps (mean [95%% interval]) and steps before test accuracy reached 50%%%n",
                id.folderName(), seeds));
        Map<String, Function<FourierSummary, Long>> measures = new LinkedHashMap<>();
        measures.put("fourier_concentration", FourierSummary::concentrationHalfway);
        measures.put("top5_power_share", FourierSummary::topShareHalfway);
        measures.put("restricted_test_loss", FourierSummary::restrictedTestLossHalfway);
        measures.put("excluded_train_loss", FourierSummary::excludedTrainLossHalfway);
        measures.put("test_loss", FourierSummary::testLossHalfway);
        measures.put(TEST_ACCURACY_50, FourierSummary::testAccuracy50);
        for (Map.Entry<String, Function<FourierSummary, Long>> m : measures.entrySet()) {
            List<Double> steps = new ArrayList<>();
            List<Double> leads = new ArrayList<>();
            for (FourierSummary run : runs) {
                Long step = m.getValue().apply(run);
                if (step != null) {
                    steps.add((double) step);
                    if (run.testAccuracy50() != null && !m.getKey().equals(TEST_ACCURACY_50)) {
                        leads.add((double) (run.testAccuracy50() - step));
                    }
                }
            }
            Summary.Estimate at = estimate(steps);
            Summary.Estimate lead = estimate(leads);
            csv.append(m.getKey()).append(',').append(steps.size()).append(',').append(number(at, 0)).append(',')
                    .append(number(at, 1)).append(',').append(number(at, 2)).append(',').append(number(lead, 0))
                    .append(',').append(number(lead, 1)).append(',').append(number(lead, 2)).append(',')
                    .append(leads.size()).append('\n');
            table.append(String.format(Locale.ROOT, "  %-22s halfway at %s (%d of %d seeds)%s%n", m.getKey(), text(at),
                    steps.size(), runs.size(), m.getKey().equals(TEST_ACCURACY_50) ? ""
                            : ", " + text(lead) + " steps before test accuracy reached 50%"));
        }
        double overhead = runs.stream().mapToDouble(r -> r.measureSeconds() / (r.runSeconds() - r.measureSeconds()))
                .max().orElse(0);
        table.append(String.format(Locale.ROOT, "  the measures added at most %.1f%% to a run%n", 100 * overhead));
        AtomicFiles.writeString(folder.path().resolve(CSV), csv.toString());
        AtomicFiles.writeString(folder.path().resolve(TABLE), table.toString());
        return folder.path();
    }

    private static Summary.Estimate estimate(List<Double> values) {
        return values.isEmpty() ? null : Summary.Estimate.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String number(Summary.Estimate e, int which) {
        if (e == null) {
            return "";
        }
        double v = switch (which) {
            case 0 -> e.mean();
            case 1 -> e.ciLow();
            default -> e.ciHigh();
        };
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String text(Summary.Estimate e) {
        if (e == null) {
            return "(no seed)";
        }
        return e.hasInterval() ? String.format(Locale.ROOT, "%,.0f [%,.0f, %,.0f]", e.mean(), e.ciLow(), e.ciHigh())
                : String.format(Locale.ROOT, "%,.0f", e.mean());
    }
}

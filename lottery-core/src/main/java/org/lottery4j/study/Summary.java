package org.lottery4j.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.distribution.TDistribution;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.TrainingCost;

/**
 * The statistics of a study over its seeds: for every variant (a combination of the values of the
 * axes other than the seed), every round and every arm, the mean, sample standard deviation and
 * 95% confidence interval of the mean (Student t, n - 1 degrees of freedom) of the final test
 * accuracy, the best test accuracy and the early-stopping iteration, the mean fraction of weights
 * remaining, on control-arm rows the paired difference of final test accuracy ticket minus
 * that control over the seeds that have both in that round, and from round 1 on the paired
 * difference of this arm minus the dense network (round 0), and, when some runs are marked as a
 * baseline variant, the paired difference of this arm minus the baseline's ticket of the same round.
 *
 * <pre>{@code
 * // axis values in the study's axis order (a LinkedHashMap): that order names the columns
 * Summary summary = Summary.of(List.of(
 *         new Summary.Run(axesOfRun1, result1),    // {pruning.rate=0.2, training.seed=1}
 *         new Summary.Run(axesOfRun2, result2)),   // {pruning.rate=0.2, training.seed=2}
 *     "training.seed");
 * Summary.Row reinit = summary.row(Map.of("pruning.rate", "0.2"), 3, "reinit").orElseThrow();
 * reinit.ticketMinusArm().excludesZero();   // does the ticket beat re-initialization at round 3?
 * }</pre>
 *
 * <p>A round or arm that some seeds lack is summarized over the seeds that have it; {@code n}
 * says how many. With a single seed there is no spread: the standard deviation and the interval
 * are {@code NaN} (empty in {@code summary.csv}, absent from {@code summary.json}).
 *
 * @param seedAxis the axis that names the seed (for example {@code training.seed})
 * @param axes the varied axes other than the seed, in the order of the first run's axis map
 * @param rows one per variant, round and arm: variants in the order their first run was given,
 *     rounds ascending, the ticket first and then the control arms sorted by name
 */
public record Summary(String seedAxis, List<String> axes, List<Row> rows) {

    public Summary {
        Objects.requireNonNull(seedAxis, "seedAxis");
        axes = List.copyOf(axes);
        rows = List.copyOf(rows);
    }

    /**
     * One finished experiment of a study.
     *
     * @param axes the value of every axis of the study for this run, the seed axis included
     * @param result what the experiment produced
     * @param baseline whether the run is one seed of the baseline variant, which every row is compared with
     */
    public record Run(Map<String, String> axes, ExperimentResult result, boolean baseline) {

        public Run {
            axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes)); // keeps the caller's axis order
            Objects.requireNonNull(result, "result");
        }

        /** A run that is not of a baseline. */
        public Run(Map<String, String> axes, ExperimentResult result) {
            this(axes, result, false);
        }
    }

    /**
     * The mean of a sample with its spread.
     *
     * @param n the sample size
     * @param mean the mean; {@code NaN} when {@code n = 0}
     * @param sd the sample standard deviation (divisor n - 1); {@code NaN} when {@code n < 2}
     * @param ciLow the lower end of the 95% confidence interval of the mean,
     *     {@code mean - t(0.975, n - 1) * sd / sqrt(n)}; {@code NaN} when {@code n < 2}
     * @param ciHigh the upper end; {@code NaN} when {@code n < 2}
     */
    public record Estimate(int n, double mean, double sd, double ciLow, double ciHigh) {

        /** The estimate of the mean of {@code values}. */
        public static Estimate of(double... values) {
            int n = values.length;
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            double mean = n == 0 ? Double.NaN : sum / n;
            if (n < 2) {
                return new Estimate(n, mean, Double.NaN, Double.NaN, Double.NaN);
            }
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            double sd = Math.sqrt(squares / (n - 1));
            double halfWidth = tQuantile975(n - 1) * sd / Math.sqrt(n);
            return new Estimate(n, mean, sd, mean - halfWidth, mean + halfWidth);
        }

        /**
         * Whether the 95% interval lies entirely above or entirely below zero; {@code false} when
         * there is no interval ({@code n < 2}).
         */
        public boolean excludesZero() {
            return ciLow > 0 || ciHigh < 0; // false for NaN
        }

        /** Whether the interval exists ({@code n >= 2}). */
        public boolean hasInterval() {
            return !Double.isNaN(ciLow);
        }
    }

    /**
     * One variant, round and arm.
     *
     * @param variant the value of every varied axis other than the seed, in {@link #axes()} order
     * @param round the round
     * @param arm {@code ticket} or a control arm
     * @param n how many seeds of this variant have this arm in this round
     * @param weightsRemaining the mean fraction of prunable weights remaining over those seeds
     * @param testAccuracy the final test accuracy
     * @param bestTestAccuracy the best test accuracy of the learning curve
     * @param earlyStopIteration the iteration of the lowest validation loss
     * @param ticketMinusArm on a control arm's row, the final test accuracy of the ticket minus that
     *     of this arm, paired by seed, over the seeds that have both in this round (its {@code n}
     *     may be smaller than the row's); {@code null} on the ticket's rows
     * @param armMinusDense from round 1 on, the final test accuracy of this arm minus that of the
     *     dense network (the ticket of round 0), paired by seed, over the seeds that have both: is
     *     a ticket as good as the dense network? {@code null} in round 0
     * @param armMinusBaseline with a baseline variant, the final test accuracy of this arm minus that
     *     of the baseline's ticket in the same round, paired by seed, over the seeds that have both:
     *     does this method come within the baseline's? {@code null} without a baseline and on the
     *     baseline's own ticket rows
     * @param multiplyAdds the multiply-adds of the training that produced the arm's network, with its
     *     masks ({@link org.lottery4j.results.TrainingCost}), over the seeds that recorded it; {@code null} when none did
     * @param trainingSeconds the wall time of that training, over the same seeds; {@code null} when none recorded it
     * @param instability on the {@code stability} arm's rows, the error barrier between its two copies
     *     ({@link org.lottery4j.stability.InstabilityResult#instability()}); {@code null} on the others
     */
    public record Row(Map<String, String> variant, int round, String arm, int n, double weightsRemaining,
            Estimate testAccuracy, Estimate bestTestAccuracy, Estimate earlyStopIteration, Estimate ticketMinusArm,
            Estimate armMinusDense, Estimate armMinusBaseline, Estimate multiplyAdds, Estimate trainingSeconds,
            Estimate instability) {

        public Row {
            variant = Collections.unmodifiableMap(new LinkedHashMap<>(variant));
        }

        /** A row without a baseline comparison. */
        public Row(Map<String, String> variant, int round, String arm, int n, double weightsRemaining,
                Estimate testAccuracy, Estimate bestTestAccuracy, Estimate earlyStopIteration, Estimate ticketMinusArm,
                Estimate armMinusDense) {
            this(variant, round, arm, n, weightsRemaining, testAccuracy, bestTestAccuracy, earlyStopIteration,
                    ticketMinusArm, armMinusDense, null, null, null, null);
        }
    }

    /**
     * Summarizes the runs of a study.
     *
     * @param runs every finished run; all must have the same axes, the seed axis among them, and no
     *     two may share all axis values
     * @param seedAxis the axis over which to take the statistics
     * @throws IllegalArgumentException if there are no runs, the axes differ between runs, the seed
     *     axis is missing, or two runs have the same axis values
     */
    public static Summary of(List<Run> runs, String seedAxis) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to summarize");
        }
        Set<String> axisSet = runs.get(0).axes().keySet();
        if (!axisSet.contains(seedAxis)) {
            throw new IllegalArgumentException("seed axis '" + seedAxis + "' is not among the axes " + axisSet
                    + " of run " + runs.get(0).result().name());
        }
        List<String> varied = new ArrayList<>(axisSet);
        varied.remove(seedAxis);
        // variant values (in axis order) -> seed -> run, both in the order given
        Map<List<String>, Map<String, Run>> byVariant = new LinkedHashMap<>();
        for (Run run : runs) {
            if (!run.axes().keySet().equals(axisSet)) {
                throw new IllegalArgumentException("run " + run.result().name() + " has the axes "
                        + run.axes().keySet() + ", but run " + runs.get(0).result().name() + " has " + axisSet);
            }
            List<String> values = varied.stream().map(run.axes()::get).toList();
            Run previous = byVariant.computeIfAbsent(values, v -> new LinkedHashMap<>())
                    .putIfAbsent(run.axes().get(seedAxis), run);
            if (previous != null) {
                throw new IllegalArgumentException("runs " + previous.result().name() + " and "
                        + run.result().name() + " have the same axis values " + run.axes());
            }
        }
        // the baseline's tickets: round -> seed -> ticket
        Map<Integer, Map<String, ArmResult>> baseline = new TreeMap<>();
        List<String> baselineVariant = null;
        for (Run run : runs) {
            if (run.baseline()) {
                List<String> values = varied.stream().map(run.axes()::get).toList();
                if (baselineVariant != null && !baselineVariant.equals(values)) {
                    throw new IllegalArgumentException("runs of two variants are marked as the baseline: "
                            + baselineVariant + " and " + values);
                }
                baselineVariant = values;
                String seed = run.axes().get(seedAxis);
                for (ArmResult r : run.result().results()) {
                    if (r.arm().equals(ArmResult.TICKET)) {
                        baseline.computeIfAbsent(r.round(), k -> new LinkedHashMap<>()).putIfAbsent(seed, r);
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        List<String> baselineValues = baselineVariant;
        byVariant.forEach((values, seeds) -> {
            Map<String, String> variant = new LinkedHashMap<>();
            for (int i = 0; i < varied.size(); i++) {
                variant.put(varied.get(i), values.get(i));
            }
            summarizeVariant(variant, seeds, baselineValues == null ? null : baseline, values.equals(baselineValues),
                    rows);
        });
        return new Summary(seedAxis, varied, rows);
    }

    /** The row of a variant (the varied axes' values), round and arm, if any seed has it. */
    public Optional<Row> row(Map<String, String> variant, int round, String arm) {
        return rows.stream().filter(r -> r.round() == round && r.arm().equals(arm) && r.variant().equals(variant))
                .findFirst();
    }

    /**
     * @param baseline the baseline's tickets by round and seed, or {@code null} without a baseline
     * @param isBaseline whether this variant is the baseline
     */
    private static void summarizeVariant(Map<String, String> variant, Map<String, Run> seeds,
            Map<Integer, Map<String, ArmResult>> baseline, boolean isBaseline, List<Row> rows) {
        // round -> arm -> one result per seed that has it (seeds in the order given)
        TreeMap<Integer, Map<String, List<ArmResult>>> cells = new TreeMap<>();
        // round -> seed's ticket, to pair controls with
        Map<Integer, Map<String, ArmResult>> tickets = new TreeMap<>();
        Set<String> controls = new TreeSet<>();
        seeds.forEach((seed, run) -> {
            Set<String> seen = new HashSet<>();
            for (ArmResult r : run.result().results()) {
                if (!seen.add(r.round() + "/" + r.arm())) {
                    continue; // ExperimentResult.arm(round, arm) reads the first one too
                }
                cells.computeIfAbsent(r.round(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.arm(), k -> new ArrayList<>()).add(r);
                if (r.arm().equals(ArmResult.TICKET)) {
                    tickets.computeIfAbsent(r.round(), k -> new LinkedHashMap<>()).put(seed, r);
                } else {
                    controls.add(r.arm());
                }
            }
        });
        List<String> arms = new ArrayList<>();
        arms.add(ArmResult.TICKET);
        arms.addAll(controls);
        cells.forEach((round, byArm) -> {
            for (String arm : arms) {
                List<ArmResult> results = byArm.get(arm);
                if (results == null) {
                    continue;
                }
                Estimate difference = arm.equals(ArmResult.TICKET) ? null
                        : pairedDifference(seeds, tickets.getOrDefault(round, Map.of()), round, arm, true);
                Estimate minusDense = round == 0 ? null
                        : pairedDifference(seeds, tickets.getOrDefault(0, Map.of()), round, arm, false);
                Estimate minusBaseline = baseline == null || (isBaseline && arm.equals(ArmResult.TICKET)) ? null
                        : pairedDifference(seeds, baseline.getOrDefault(round, Map.of()), round, arm, false);
                rows.add(new Row(variant, round, arm, results.size(),
                        Estimate.of(values(results, ArmResult::weightsRemaining)).mean(),
                        Estimate.of(values(results, r -> r.training().finalTestAccuracy())),
                        Estimate.of(values(results, r -> r.training().bestTestAccuracy())),
                        Estimate.of(values(results, r -> r.training().earlyStopIteration())),
                        difference, minusDense, minusBaseline, cost(results, c -> c.multiplyAdds()),
                        cost(results, c -> c.trainSeconds()), instability(results)));
            }
        });
    }

    /** Final test accuracy of each seed's {@code reference} minus its arm's ({@code referenceFirst}), or the reverse. */
    private static Estimate pairedDifference(Map<String, Run> seeds, Map<String, ArmResult> reference, int round,
            String arm, boolean referenceFirst) {
        List<Double> differences = new ArrayList<>();
        seeds.forEach((seed, run) -> {
            ArmResult ref = reference.get(seed);
            if (ref != null) {
                run.result().arm(round, arm).ifPresent(other -> {
                    double d = ref.training().finalTestAccuracy() - other.training().finalTestAccuracy();
                    differences.add(referenceFirst ? d : -d);
                });
            }
        });
        return Estimate.of(differences.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The estimate of a part of the arms' costs over those that recorded one; {@code null} when none did. */
    private static Estimate cost(List<ArmResult> results, ToDoubleFunction<TrainingCost> part) {
        double[] v = results.stream().filter(r -> r.cost() != null).mapToDouble(r -> part.applyAsDouble(r.cost()))
                .toArray();
        return v.length == 0 ? null : Estimate.of(v);
    }

    /** The estimate of the arms' instability over those that measured it; {@code null} when none did. */
    private static Estimate instability(List<ArmResult> results) {
        double[] v = results.stream().filter(r -> r.stability() != null).mapToDouble(r -> r.stability().instability())
                .toArray();
        return v.length == 0 ? null : Estimate.of(v);
    }

    private static double[] values(List<ArmResult> results, ToDoubleFunction<ArmResult> metric) {
        return results.stream().mapToDouble(metric).toArray();
    }

    /** The 0.975 quantile of Student's t distribution with {@code df} degrees of freedom. */
    static double tQuantile975(int df) {
        // commons-math3's quantile is within about 1e-9 of the exact value, far below what a
        // confidence interval of a few seeds can resolve; no random generator is needed
        return new TDistribution(null, df).inverseCumulativeProbability(0.975);
    }
}

package org.lottery4j.hparams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.lottery4j.internal.ScheduledLearningRate;

/**
 * How the learning rate changes during a round: {@code constant} (the default), step decay,
 * cosine to the end of the round's budget, each optionally after a linear warm-up. Written as
 * {@code constant}, {@code step(milestones=[80ep,120ep],factor=0.1)}, {@code cosine},
 * {@code warmup(5ep)+cosine} or {@code warmup(500it)} (warm-up, then constant). Parsing accepts any
 * case and whitespace and milestones in any order; {@link #describe()} is the canonical form.
 * {@link ScheduledLearningRate} gives the formulas; where a rewind leaves the schedule is
 * {@link org.lottery4j.rewind.RewindPoint}'s business.
 *
 * <pre>{@code
 * LearningRateSchedule s = LearningRateSchedule.cosine().withWarmup(Step.parse("5ep"));
 * LearningRateSchedule same = LearningRateSchedule.parse(" Warmup(5ep) + COSINE ");   // equal to s
 * }</pre>
 */
public final class LearningRateSchedule {

    private static final LearningRateSchedule CONSTANT = new LearningRateSchedule(null, List.of(), 1, false);
    private static final Pattern WARMUP = Pattern.compile("warmup\\(([^)]*)\\)");
    private static final Pattern STEP = Pattern.compile(
            "step\\((?:milestones=\\[([^\\]]*)\\],factor=([^,)]*)|factor=([^,)]*),milestones=\\[([^\\]]*)\\])\\)");

    private final Step warmup;
    private final List<Step> milestones;
    private final double factor;
    private final boolean cosine;

    private LearningRateSchedule(Step warmup, List<Step> milestones, double factor, boolean cosine) {
        this.warmup = warmup;
        this.milestones = milestones;
        this.factor = factor;
        this.cosine = cosine;
    }

    /** The same rate throughout. */
    public static LearningRateSchedule constant() {
        return CONSTANT;
    }

    /**
     * The rate multiplied by {@code factor} at each milestone.
     *
     * @throws IllegalArgumentException without milestones, with a repeated one, or a factor that is not > 0
     */
    public static LearningRateSchedule stepDecay(double factor, Step... milestones) {
        Hparams.require(milestones.length > 0, "training.schedule: step decay needs at least one milestone");
        Hparams.require(factor > 0 && Double.isFinite(factor), "training.schedule: step decay factor must be > 0, got " + factor);
        List<Step> sorted = Arrays.stream(milestones)
                .sorted(Comparator.comparing(Step::epochs).thenComparingLong(Step::amount)).toList();
        Hparams.require(sorted.stream().distinct().count() == sorted.size(),
                "training.schedule: milestones repeat in " + sorted);
        return new LearningRateSchedule(null, sorted, factor, false);
    }

    /** A half cosine from the full rate (after any warm-up) down to 0 at the end of the round's budget. */
    public static LearningRateSchedule cosine() {
        return new LearningRateSchedule(null, List.of(), 1, true);
    }

    /** This schedule after a linear warm-up from 0 over {@code warmup}. */
    public LearningRateSchedule withWarmup(Step warmup) {
        return new LearningRateSchedule(warmup, milestones, factor, cosine);
    }

    /** Whether the rate never changes (no warm-up, no decay). */
    public boolean isConstant() {
        return warmup == null && milestones.isEmpty() && !cosine;
    }

    /**
     * The schedule for DL4J, at position 0, with steps counted in iterations.
     *
     * @param learningRate the base rate
     * @param iterationsPerEpoch to convert {@code ep} steps
     * @param budgetIterations the iterations of one round, where cosine reaches 0
     */
    ScheduledLearningRate resolve(double learningRate, long iterationsPerEpoch, long budgetIterations) {
        long[] at = milestones.stream().mapToLong(m -> m.toIterations(iterationsPerEpoch)).toArray();
        long warm = warmup == null ? 0 : warmup.toIterations(iterationsPerEpoch);
        return ScheduledLearningRate.of(learningRate, warm, at, factor, cosine, budgetIterations);
    }

    /** The canonical text, such as {@code warmup(5ep)+step(milestones=[80ep,120ep],factor=0.1)}. */
    @JsonValue
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (warmup != null) {
            parts.add("warmup(" + warmup + ")");
        }
        if (!milestones.isEmpty()) {
            parts.add("step(milestones=" + milestones.stream().map(Step::toString).collect(Collectors.joining(",", "[", "]"))
                    + ",factor=" + factor + ")");
        } else if (cosine) {
            parts.add("cosine");
        } else if (warmup == null) {
            parts.add("constant");
        }
        return String.join("+", parts);
    }

    /**
     * Reads a schedule in any case and spacing.
     *
     * @throws IllegalArgumentException naming the field, the text and the accepted forms
     */
    @JsonCreator
    public static LearningRateSchedule parse(String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        Step warmup = null;
        LearningRateSchedule decay = null;
        try {
            for (String term : t.split("\\+", -1)) {
                Matcher w = WARMUP.matcher(term);
                Matcher s = STEP.matcher(term);
                if (w.matches() && warmup == null) {
                    warmup = Step.parse(w.group(1));
                } else if (decay != null) {
                    decay = null; // a second decay term
                    break;
                } else if (term.equals("constant")) {
                    decay = CONSTANT;
                } else if (term.equals("cosine")) {
                    decay = cosine();
                } else if (s.matches()) {
                    String list = s.group(1) != null ? s.group(1) : s.group(4);
                    double factor = Double.parseDouble(s.group(1) != null ? s.group(2) : s.group(3));
                    decay = stepDecay(factor, Arrays.stream(list.split(",")).map(Step::parse).toArray(Step[]::new));
                } else {
                    decay = null;
                    break;
                }
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("training.schedule: '" + text + "': "
                    + e.getMessage().replace("training.schedule: ", ""), e);
        }
        if (decay == null && warmup != null && !t.contains("+")) {
            decay = CONSTANT; // warm-up alone
        }
        Hparams.require(decay != null, "training.schedule: '" + text + "' is not a learning-rate schedule; expected "
                + "constant, step(milestones=[80ep,120ep],factor=0.1) or cosine, optionally after warmup(5ep)+");
        return warmup == null ? decay : decay.withWarmup(warmup);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearningRateSchedule s && s.describe().equals(describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}

package org.lottery4j.internal;

import java.util.Arrays;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

/**
 * A learning rate that follows a schedule (linear warm-up, then constant, step decay or cosine),
 * as a DL4J {@link ISchedule}. Its position is {@link #start()} plus DL4J's iteration counter, so a
 * rewind can zero that counter (Adam's bias correction starts again) and still choose where the
 * schedule resumes; {@link org.lottery4j.internal.Rewinder} moves {@code start} as the rewind point
 * says. The fields are plain numbers, so the schedule travels in the network's configuration JSON
 * (and in ticket files).
 *
 * <p>At position {@code t} (iterations) the rate is {@code learningRate x warm-up x decay}:
 * warm-up is {@code t / warmup} while {@code t < warmup} (open_lth's convention: the first step has
 * rate 0); step decay multiplies by {@code factor} once for every milestone {@code <= t}; cosine is
 * {@code (1 + cos(pi x (t - warmup) / (budget - warmup))) / 2}. Past the end of the budget the
 * schedule holds the rate of the budget's last step, so fine-tuning continues at the final rate.
 *
 * <pre>{@code
 * // 0.1, warm-up over 100 iterations, x0.1 at 3000 and 4500, in a budget of 6000
 * ISchedule lr = ScheduledLearningRate.of(0.1, 100, new long[] {3000, 4500}, 0.1, false, 6000);
 * IUpdater updater = new Nesterovs(lr, 0.9);
 * }</pre>
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public final class ScheduledLearningRate implements ISchedule {

    private static final long serialVersionUID = 1L;

    private double learningRate;
    private long warmup;
    private long[] milestones;
    private double factor;
    private boolean cosine;
    private long budget;
    private long start;

    private ScheduledLearningRate() {} // for DL4J's JSON reader

    private ScheduledLearningRate(double learningRate, long warmup, long[] milestones, double factor, boolean cosine,
            long budget, long start) {
        this.learningRate = learningRate;
        this.warmup = warmup;
        this.milestones = milestones;
        this.factor = factor;
        this.cosine = cosine;
        this.budget = budget;
        this.start = start;
    }

    /**
     * A schedule at position 0.
     *
     * @param learningRate the base rate, > 0
     * @param warmup iterations of linear warm-up, 0 for none
     * @param milestones iterations at which the rate is multiplied by {@code factor} (step decay); empty for none
     * @param factor the step decay's factor, > 0
     * @param cosine whether the rate follows a cosine from the end of warm-up to the end of the budget
     * @param budget the iterations of one round of training, >= 1
     * @throws IllegalArgumentException naming the bad value
     */
    public static ScheduledLearningRate of(double learningRate, long warmup, long[] milestones, double factor,
            boolean cosine, long budget) {
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
        require(warmup >= 0, "warm-up must be >= 0 iterations, got " + warmup);
        require(budget >= 1, "budget must be >= 1 iteration, got " + budget);
        require(factor > 0 && Double.isFinite(factor), "step decay factor must be > 0, got " + factor);
        require(!cosine || milestones.length == 0, "a schedule has step decay or cosine, not both");
        long[] sorted = milestones.clone();
        Arrays.sort(sorted);
        for (long m : sorted) {
            require(m >= 1, "milestones must be >= 1 iteration, got " + m);
        }
        return new ScheduledLearningRate(learningRate, warmup, sorted, factor, cosine, budget, 0);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The rate at schedule position {@code position} (iterations from the schedule's start). */
    public double at(long position) {
        long t = Math.max(0, Math.min(position, budget - 1));
        double rate = learningRate;
        if (t < warmup) {
            rate *= (double) t / warmup;
        }
        for (long m : milestones) {
            if (m <= t) {
                rate *= factor;
            }
        }
        if (cosine && budget > warmup) {
            double progress = Math.max(0, (double) (t - warmup) / (budget - warmup));
            rate *= 0.5 * (1 + Math.cos(Math.PI * progress));
        }
        return rate;
    }

    /** DL4J's call: the rate after {@code iteration} updates since the counter was last zeroed. */
    @Override
    public double valueAt(int iteration, int epoch) {
        return at(start + iteration);
    }

    /** The schedule position at DL4J iteration 0. */
    public long start() {
        return start;
    }

    /** Moves the schedule: DL4J's iteration 0 becomes position {@code position}. */
    public void startAt(long position) {
        require(position >= 0, "schedule position must be >= 0, got " + position);
        this.start = position;
    }

    @Override
    public ScheduledLearningRate clone() {
        return new ScheduledLearningRate(learningRate, warmup, milestones.clone(), factor, cosine, budget, start);
    }

    @Override
    public boolean equals(Object o) {
        // DL4J groups layers with equal updater configurations into one updater block
        return o instanceof ScheduledLearningRate s && s.learningRate == learningRate && s.warmup == warmup
                && Arrays.equals(s.milestones, milestones) && s.factor == factor && s.cosine == cosine
                && s.budget == budget && s.start == start;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(learningRate) * 31 + Arrays.hashCode(milestones) + Long.hashCode(start + 7 * budget);
    }

    @Override
    public String toString() {
        return "ScheduledLearningRate[" + learningRate + ", warmup " + warmup + ", milestones "
                + Arrays.toString(milestones) + " x" + factor + (cosine ? ", cosine" : "") + ", budget " + budget
                + ", start " + start + "]";
    }
}

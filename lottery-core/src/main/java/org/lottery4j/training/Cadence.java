package org.lottery4j.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * When a {@link TrainingLoop} evaluates: always before the first step (iteration 0) and after the
 * last, and in between as the cadence says.
 *
 * <pre>{@code
 * Cadence.every(500);         // 0, 500, 1000, ... and the last iteration
 * Cadence.logSpaced(40);      // 0, every step to 10, then 40 a decade on a log axis: for runs of 10^5 steps
 * Cadence.never();            // no evaluation at all
 * }</pre>
 */
@FunctionalInterface
public interface Cadence {

    /** Whether to evaluate after {@code iteration} of {@code total} ({@code 0}: before training). */
    boolean evaluatesAt(long iteration, long total);

    /** Every {@code n} iterations, at 0 and at the end. */
    static Cadence every(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("evaluation interval must be >= 1, got " + n);
        }
        return (iteration, total) -> iteration % n == 0 || iteration == total;
    }

    /** Never: a loop that only trains. */
    static Cadence never() {
        return (iteration, total) -> false;
    }

    /**
     * At 0, every iteration up to 10, then about {@code perDecade} iterations per power of ten,
     * evenly spaced on a log axis ({@link #logSpacedSteps}), and the last: long runs, such as
     * grokking's, from tens to tens of thousands of steps, where evaluating every step would cost
     * more than training.
     *
     * @throws IllegalArgumentException if {@code perDecade < 1}
     */
    static Cadence logSpaced(int perDecade) {
        logSpacedSteps(perDecade, 1); // checks perDecade
        return new Cadence() {
            private long cachedTotal = -1;
            private List<Long> steps;

            @Override
            public synchronized boolean evaluatesAt(long iteration, long total) {
                if (iteration == 0) {
                    return true;
                }
                if (total != cachedTotal) {
                    steps = logSpacedSteps(perDecade, total);
                    cachedTotal = total;
                }
                return Collections.binarySearch(steps, iteration) >= 0;
            }
        };
    }

    /**
     * The steps {@link #logSpaced} evaluates at in a run of {@code lastStep} steps, 0 aside: every
     * step up to 10, then {@code round(10^(k / perDecade))} for {@code k > perDecade} below
     * {@code lastStep}, without repeats, then {@code lastStep}.
     *
     * <pre>{@code
     * Cadence.logSpacedSteps(20, 1_000);   // [1, 2, ..., 10, 11, 13, 14, 16, 18, 20, 22, 25, 28, ..., 891, 1000]
     * }</pre>
     */
    static List<Long> logSpacedSteps(int perDecade, long lastStep) {
        if (perDecade < 1) {
            throw new IllegalArgumentException("points per decade must be at least 1, got " + perDecade);
        }
        if (lastStep < 1) {
            throw new IllegalArgumentException("a run has at least 1 step, got " + lastStep);
        }
        List<Long> out = new ArrayList<>();
        for (long s = 1; s <= Math.min(10, lastStep); s++) {
            out.add(s);
        }
        for (int k = perDecade + 1; ; k++) { // 10^(k / perDecade), past 10
            long s = Math.round(Math.pow(10, (double) k / perDecade));
            if (s >= lastStep) {
                break;
            }
            if (s > out.get(out.size() - 1)) {
                out.add(s);
            }
        }
        if (out.get(out.size() - 1) != lastStep) {
            out.add(lastStep);
        }
        return out;
    }
}

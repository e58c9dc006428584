package org.lottery4j.examples.grokking;

import java.util.ArrayList;
import java.util.List;

/**
 * When a long run records its curve: every step up to 10, then about {@code perDecade} steps per
 * power of ten, evenly spaced on a log axis, and always the last step. Grokking runs go from tens
 * to tens of thousands of steps; evaluating every step would cost more than training.
 *
 * <pre>{@code
 * new LogCadence(20).steps(1_000);    // [1, 2, ..., 10, 11, 13, 14, 16, 18, 20, 22, 25, 28, ..., 891, 1000]
 * }</pre>
 *
 * @param perDecade points per power of ten after step 10, at least 1
 */
public record LogCadence(int perDecade) {

    public LogCadence {
        if (perDecade < 1) {
            throw new IllegalArgumentException("points per decade must be at least 1, got " + perDecade);
        }
    }

    /** The recorded steps of a run of {@code lastStep} steps, ascending, ending with {@code lastStep}. */
    public List<Long> steps(long lastStep) {
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

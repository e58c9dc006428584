package org.lottery4j.rewind;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * Where the surviving weights go after pruning, and where the learning-rate schedule resumes.
 *
 * <p>Every rewind zeroes the updater state (Adam moments, momentum velocity) and DL4J's iteration
 * and epoch counters, so Adam's bias correction starts again as at initialization. The schedule's
 * position is kept apart from that counter (see {@link org.lottery4j.internal.ScheduledLearningRate})
 * and each point sets it as listed ({@link #scheduleStart(long)}):
 *
 * <table>
 *   <caption>Weights and schedule position after a rewind</caption>
 *   <tr><th>point</th><th>weights</th><th>schedule resumes at</th></tr>
 *   <tr><td>{@link #init()} ({@code init})</td><td>at initialization (Frankle and Carbin, 2019)</td><td>0</td></tr>
 *   <tr><td>{@link #iteration(int)} ({@code iteration:K})</td><td>after K updates ("late rewinding", Frankle et
 *       al., 2020)</td><td>K: the rate the schedule had at K</td></tr>
 *   <tr><td>{@link #fineTune()} ({@code fine-tune})</td><td>the trained ones</td><td>where the last training
 *       ended: no restart, fine-tuning continues at the final rate</td></tr>
 *   <tr><td>{@link #randomReinit(long)} ({@code random-reinit:SEED})</td><td>a fresh random initialization,
 *       same masks (the paper's control)</td><td>0</td></tr>
 *   <tr><td>{@link #lrRewind()} ({@code lr-rewind})</td><td>the trained ones</td><td>0: the schedule is replayed
 *       from its start ("learning-rate rewinding", Renda et al., 2020)</td></tr>
 * </table>
 *
 * <p>Positions count iterations since the ticket was built. Only lottery4j's
 * {@code ScheduledLearningRate} is moved; DL4J's own schedules follow its iteration counter and so
 * restart at 0 after every rewind.
 *
 * <pre>{@code
 * RewindPoint point = RewindPoint.parse("iteration:500");   // as written by describe()
 * RewindPoint same = RewindPoint.parse(" Iteration: 500 "); // any case and spacing
 * }</pre>
 */
public sealed interface RewindPoint {

    /** Rewind to the weights after {@code iteration} updates; 0 = initialization. */
    record Iteration(int iteration) implements RewindPoint {
        public Iteration {
            if (iteration < 0) {
                throw new IllegalArgumentException("rewind iteration must be >= 0, got " + iteration);
            }
        }

        @Override
        public String describe() {
            return iteration == 0 ? "init" : "iteration:" + iteration;
        }

        @Override
        public long scheduleStart(long trainingEnd) {
            return iteration;
        }
    }

    /** Keep the trained weights and continue the schedule. */
    record FineTune() implements RewindPoint {
        @Override
        public String describe() {
            return "fine-tune";
        }

        @Override
        public long scheduleStart(long trainingEnd) {
            return trainingEnd;
        }
    }

    /** Re-initialize the surviving weights at random with this seed. */
    record RandomReinit(long seed) implements RewindPoint {
        @Override
        public String describe() {
            return "random-reinit:" + seed;
        }

        @Override
        public long scheduleStart(long trainingEnd) {
            return 0;
        }
    }

    /** Keep the trained weights and replay the schedule from its start. */
    record LrRewind() implements RewindPoint {
        @Override
        public String describe() {
            return "lr-rewind";
        }

        @Override
        public long scheduleStart(long trainingEnd) {
            return 0;
        }
    }

    static RewindPoint init() {
        return new Iteration(0);
    }

    static RewindPoint iteration(int k) {
        return new Iteration(k);
    }

    static RewindPoint fineTune() {
        return new FineTune();
    }

    static RewindPoint randomReinit(long seed) {
        return new RandomReinit(seed);
    }

    /** Learning-rate rewinding (Renda et al., 2020): keep the trained weights, replay the schedule. */
    static RewindPoint lrRewind() {
        return new LrRewind();
    }

    /** The iteration whose weights must be recorded, if this point needs a snapshot. */
    default OptionalInt snapshotIteration() {
        return this instanceof Iteration it ? OptionalInt.of(it.iteration()) : OptionalInt.empty();
    }

    /** Whether the weights after the rewind are the trained ones ({@code fine-tune}, {@code lr-rewind}). */
    default boolean keepsTrainedWeights() {
        return this instanceof FineTune || this instanceof LrRewind;
    }

    /**
     * The schedule position training resumes at after this rewind.
     *
     * @param trainingEnd the position the last training ended at (of its next update)
     */
    long scheduleStart(long trainingEnd);

    /** {@code init}, {@code iteration:K}, {@code fine-tune}, {@code random-reinit:SEED} or {@code lr-rewind}. */
    String describe();

    /**
     * Reads what {@link #describe()} writes, in any case and spacing.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static RewindPoint parse(String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        try {
            if (t.equals("init")) {
                return init();
            }
            if (t.equals("fine-tune")) {
                return fineTune();
            }
            if (t.equals("lr-rewind")) {
                return lrRewind();
            }
            if (t.startsWith("iteration:")) {
                return iteration(Integer.parseInt(t.substring("iteration:".length())));
            }
            if (t.startsWith("random-reinit:")) {
                return randomReinit(Long.parseLong(t.substring("random-reinit:".length())));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("not a rewind point: '" + text
                + "'; expected init, iteration:K, fine-tune, random-reinit:SEED or lr-rewind");
    }
}

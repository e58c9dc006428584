package org.lottery4j.rewind;

import java.util.OptionalInt;

/**
 * Where the surviving weights go after pruning. Every rewind also clears the updater state (Adam
 * moments, momentum) and the iteration and epoch counters, so the next round trains afresh.
 *
 * <ul>
 *   <li>{@link #init()}: the weights at initialization (Frankle and Carbin, 2019).
 *   <li>{@link #iteration(int)}: the weights after k updates ("late rewinding", Frankle et al., 2020).
 *   <li>{@link #fineTune()}: keep the trained weights and continue from them.
 *   <li>{@link #randomReinit(long)}: a fresh random initialization with the same masks (the
 *       paper's control: winning tickets lose their edge when re-initialized).
 * </ul>
 *
 * <pre>{@code
 * RewindPoint point = RewindPoint.parse("iteration:500");   // as written by describe()
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
    }

    /** Keep the trained weights. */
    record FineTune() implements RewindPoint {
        @Override
        public String describe() {
            return "fine-tune";
        }
    }

    /** Re-initialize the surviving weights at random with this seed. */
    record RandomReinit(long seed) implements RewindPoint {
        @Override
        public String describe() {
            return "random-reinit:" + seed;
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

    /** The iteration whose weights must be recorded, if this point needs a snapshot. */
    default OptionalInt snapshotIteration() {
        return this instanceof Iteration it ? OptionalInt.of(it.iteration()) : OptionalInt.empty();
    }

    /** {@code init}, {@code iteration:K}, {@code fine-tune} or {@code random-reinit:SEED}. */
    String describe();

    /**
     * Reads what {@link #describe()} writes.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static RewindPoint parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.equals("init")) {
                return init();
            }
            if (t.equals("fine-tune")) {
                return fineTune();
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
                + "'; expected init, iteration:K, fine-tune or random-reinit:SEED");
    }
}

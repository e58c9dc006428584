package org.lottery4j.prune;

import org.lottery4j.mask.Mask;
import org.lottery4j.network.ParamKey;

/**
 * How important each weight is (higher = kept longer): magnitude, random, or a score of your own
 * such as the magnitude of the movement since initialization. A {@link Pruner} turns a method and
 * a {@link PruningScope} into a {@link PruningStrategy}: it reads each parameter's live weights
 * in place, a chunk at a time, asks the method for their scores, and removes exactly
 * {@code round(fraction x surviving)} weights of lowest score (ties broken by element order,
 * lower index first), per parameter or across them all for a global scope. Already-pruned
 * weights are never counted again, so masks only shrink. A method never changes the network.
 *
 * <pre>{@code
 * PruningMethod magnitude = PruningMethod.magnitude();      // |w|, the lottery-ticket default
 * PruningMethod control = PruningMethod.random(42);         // the paper's random-pruning control
 * PruningMethod movement = new PruningMethod() {            // |w - w0|: needs the initial weights
 *     public void score(ParamKey p, int from, float[] w, float[] out, int count) {
 *         float[] w0 = initial.get(p);
 *         for (int j = 0; j < count; j++) out[j] = Math.abs(w[j] - w0[from + j]);
 *     }
 *     public String describe() { return "movement"; }
 * };
 * }</pre>
 */
public interface PruningMethod {

    /**
     * Writes the importance of elements {@code [from, from + count)} of parameter {@code param}
     * (flat order), whose current values are {@code weights[0, count)}, into {@code scores[0, count)}.
     * Called on consecutive chunks of the live weights, possibly from several threads at once for
     * different chunks, and more than once for the same element; neither array may be retained. The
     * score must be a pure function of the parameter, the element's index and its weight (the same
     * every time it is asked), and thread-safe. A NaN score cannot be ranked (an error naming the
     * element); weights are finite when this is called.
     */
    void score(ParamKey param, int from, float[] weights, float[] scores, int count);

    /** A short, stable description, such as {@code magnitude} or {@code random(seed=42)}. */
    String describe();

    /**
     * The next mask from precomputed scores, as {@code torch.nn.utils.prune}'s
     * {@code compute_mask(importance, default_mask)}: {@code previous} with
     * {@code round(fraction x surviving)} more weights pruned, those of lowest score. A convenience
     * for scores computed elsewhere: {@link Pruner} makes the same selection on the chunked scores
     * of {@link #score} and does not call it, so overriding it changes nothing there (write a
     * {@link PruningStrategy} to change the selection).
     *
     * @param importance one score per element of {@code previous}
     * @param previous the current mask; never grows
     * @param fraction fraction of the surviving weights to remove, in [0, 1)
     */
    default Mask computeMask(float[] importance, Mask previous, double fraction) {
        return computeMasks(new float[][] {importance}, new Mask[] {previous}, fraction)[0];
    }

    /**
     * The next masks of several parameters ranked as one (the global scope): {@code round(fraction x
     * surviving)} weights removed across all of them, as if their scores were joined in the order given.
     */
    default Mask[] computeMasks(float[][] importance, Mask[] previous, double fraction) {
        if (importance.length != previous.length) {
            throw new IllegalArgumentException("got " + importance.length + " score arrays for " + previous.length + " masks");
        }
        return LowestImportance.prune(importance, previous, fraction);
    }

    /** Prunes the weights of smallest magnitude (Frankle and Carbin, 2019). */
    static PruningMethod magnitude() {
        return MagnitudePruning.INSTANCE;
    }

    /** Prunes weights uniformly at random; the same seed gives the same masks. */
    static PruningMethod random(long seed) {
        return new RandomPruning(seed);
    }

    /**
     * Reads what {@link #describe()} writes for the built-in methods: {@code magnitude} or
     * {@code random(seed=N)}, in any case, with any spaces.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static PruningMethod parse(String text) {
        String t = text == null ? "" : text.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        if (t.equals("magnitude")) {
            return magnitude();
        }
        if (t.startsWith("random(seed=") && t.endsWith(")")) {
            try {
                return random(Long.parseLong(t.substring("random(seed=".length(), t.length() - 1)));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException(
                "not a pruning method: '" + text + "'; expected magnitude or random(seed=N)");
    }
}

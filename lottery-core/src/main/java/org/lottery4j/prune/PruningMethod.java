package org.lottery4j.prune;

import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;

/**
 * How important each weight is (higher = kept longer): magnitude, random, or a score of your own
 * such as the magnitude of the movement since initialization. A {@link Pruner} turns a method and
 * a {@link PruningScope} into a {@link PruningStrategy}: it reads each parameter's live weights
 * in place, a chunk at a time, asks the method for their scores, and removes exactly
 * {@code round(fraction x surviving)} weights of lowest score (ties broken by element order,
 * lower index first), per parameter or across them all for a global scope. Already-pruned
 * weights are never counted again, so masks only shrink. A method never changes the network;
 * one that needs more than the weights (gradients, activations) computes it in {@link #prepare}.
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
     * This method ready to score {@code network}'s current weights: called once at the start of
     * every pruning step, before any {@link #score}. A method that scores from more than the
     * weights computes it here, for example gradients on a batch (SNIP, GraSP) or a forward pass
     * (SynFlow), and returns a method that holds it; the default, for scores that only read the
     * weights, returns this method.
     */
    default PruningMethod prepare(NetworkView network) {
        return this;
    }

    /**
     * Whether this method's score is exactly the weight's magnitude {@code |w|}: then a
     * {@link Pruner} may rank a FLOAT parameter straight from its weights' IEEE bits, which orders
     * them as their magnitudes do, without calling {@link #score} (a capability, not a different
     * selection: the masks are those the scores would give). False by default.
     */
    default boolean ranksByMagnitude() {
        return false;
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

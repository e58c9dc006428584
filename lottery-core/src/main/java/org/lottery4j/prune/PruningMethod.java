package org.lottery4j.prune;

import org.lottery4j.mask.Mask;
import org.lottery4j.mask.ParamKey;

/**
 * How weights are chosen for pruning. A method only computes masks: it scores weights and picks
 * which survivors to remove; it never changes the network. Which parameters are pruned, and whether
 * their scores are ranked together, is the {@link PruningScope}'s business.
 *
 * <p>The built-in methods remove exactly {@code round(fraction x surviving)} weights: the
 * surviving weights with the lowest importance, ties broken by element order (lower index first).
 * Already-pruned weights are never counted again, so masks only shrink.
 *
 * <pre>{@code
 * PruningMethod magnitude = PruningMethod.magnitude();      // |w|, the lottery-ticket default
 * PruningMethod control = PruningMethod.random(42);         // the paper's random-pruning control
 * Mask next = magnitude.computeMask(magnitude.importance(key, weights), current, 0.2);
 * }</pre>
 */
public interface PruningMethod {

    /**
     * Importance of each weight of one parameter (higher = keep longer). The caller owns
     * {@code weights} and hands it over: a method may compute the scores in place and return it
     * (the built-in ones do, to save a copy of every weight); neither array may be retained.
     *
     * @param key which parameter the weights belong to (random methods derive their stream from it)
     * @param weights the weights, in flat order
     */
    float[] importance(ParamKey key, float[] weights);

    /**
     * The next mask: {@code previous} with {@code round(fraction x surviving)} more weights pruned.
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
     *
     * @param importance one score array per parameter
     * @param previous the current mask of each parameter, in the same order
     * @param fraction fraction of all their surviving weights to remove, in [0, 1)
     */
    default Mask[] computeMasks(float[][] importance, Mask[] previous, double fraction) {
        if (importance.length != previous.length) {
            throw new IllegalArgumentException("got " + importance.length + " score arrays for " + previous.length + " masks");
        }
        return LowestImportance.prune(importance, previous, fraction);
    }

    /** A short, stable description, such as {@code magnitude} or {@code random(seed=42)}. */
    String describe();

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
     * {@code random(seed=N)}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static PruningMethod parse(String text) {
        String t = text == null ? "" : text.trim();
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

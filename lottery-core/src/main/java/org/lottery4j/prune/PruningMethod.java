package org.lottery4j.prune;

import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.dataset.DataSet;

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
 * PruningMethod random = PruningMethod.random(42);          // the paper's random-pruning control
 * PruningMethod snip = PruningMethod.snip(100).withTrainingData(train, 42);   // |w x dL/dw| on 100 examples
 * PruningMethod synflow = PruningMethod.synflow();          // data-free, in 100 re-scored steps
 * PruningMethod control = PruningMethod.parse("inverted(snip(batch=100))");  // the most important first
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
     * {@link #prepare(NetworkView)} for a step that starts from the masks {@code current}: what
     * {@link Pruner} calls, so that a method whose scores depend on which weights are already
     * pruned (SynFlow treats them as 0) can read them. The default ignores the masks.
     */
    default PruningMethod prepare(NetworkView network, MaskSet current) {
        return prepare(network);
    }

    /**
     * In how many steps a {@link Pruner} removes a round's fraction, re-scoring the survivors
     * before each (SynFlow: 100); the total removed is the same as in one step. 1 by default.
     */
    default int iterations() {
        return 1;
    }

    /**
     * This method with training data to score from, for methods that need it
     * ({@link #needsTrainingData()}: SNIP and GraSP, which draw their batch from {@code train}, the
     * same examples for the same seed); SynFlow reads only one example's shape. The data and the seed
     * are not part of {@link #describe()}. The default returns this method.
     */
    default PruningMethod withTrainingData(DataSet train, long seed) {
        return this;
    }

    /** Whether {@link #prepare} fails without {@link #withTrainingData} first. False by default. */
    default boolean needsTrainingData() {
        return false;
    }

    /**
     * This method with its scores negated, so that the weights it ranks most important go first: the
     * inverted-score control of Frankle et al. (2021). Described as {@code inverted(METHOD)}.
     */
    default PruningMethod inverted() {
        return new InvertedPruning(this);
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
     * SNIP (Lee et al., 2019): prunes the weights of lowest |w x dL/dw|, L the network's loss on
     * {@code batch} training examples; call {@link #withTrainingData} before pruning.
     *
     * <pre>{@code
     * PruningMethod snip = PruningMethod.snip(100).withTrainingData(train, 42);
     * Pruner pruner = new Pruner(snip, PruningScope.global());
     * MaskSet tenPercent = pruner.prune(view, pruner.initialMasks(view), 0.9).masks();
     * }</pre>
     */
    static PruningMethod snip(int batch) {
        return new SnipPruning(batch, null);
    }

    /**
     * GraSP (Wang et al., 2020): removes the weights whose removal reduces the gradient flow least,
     * those of highest -w x Hg (the paper's score; lottery4j ranks w x Hg, lowest first), with g and
     * the Hessian H of the network's loss on {@code batch} training examples; call
     * {@link #withTrainingData} before pruning.
     */
    static PruningMethod grasp(int batch) {
        return new GraspPruning(batch, null);
    }

    /** SynFlow (Tanaka et al., 2020) in the paper's 100 iterations: see {@link #synflow(int)}. */
    static PruningMethod synflow() {
        return synflow(MethodText.DEFAULT_SYNFLOW_ITERATIONS);
    }

    /**
     * SynFlow (Tanaka et al., 2020): data-free; prunes the weights of lowest synaptic flow
     * |w x dR/dw|, R the sum of the logits of the network with absolute weights on an all-ones input,
     * re-scored over {@code iterations} steps of an exponential schedule.
     */
    static PruningMethod synflow(int iterations) {
        return new SynflowPruning(iterations, null);
    }

    /**
     * Reads what {@link #describe()} writes for the built-in methods, in any case, with any spaces:
     * {@code magnitude}, {@code random(seed=N)}, {@code snip} or {@code snip(batch=N)},
     * {@code grasp} or {@code grasp(batch=N)} (batch 100 when left out), {@code synflow} or
     * {@code synflow(iterations=N)} (100 when left out), and {@code inverted(METHOD)} of any of them.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static PruningMethod parse(String text) {
        String t = text == null ? "" : text.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        PruningMethod method = MethodText.parse(t);
        if (method == null) {
            throw new IllegalArgumentException("not a pruning method: '" + text + "'; expected " + MethodText.FORMS);
        }
        return method;
    }
}

package org.lottery4j.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.lottery4j.internal.ChunkedEvaluation;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The straight line between two trained networks of one architecture, {@code w(α) = (1-α) w_A + α
 * w_B} for α in [0, 1], and its test error and loss at evenly spaced points: the instability
 * analysis of Frankle, Dziugaite, Roy and Carbin (2020), "Linear mode connectivity and the lottery
 * ticket hypothesis".
 *
 * <p>The endpoints are the trained networks exactly: at α = 0 and α = 1 the parameters are copied
 * from A and B, not computed, so their errors are bit for bit those of A and B, which is what the
 * barrier is measured against. Every parameter is interpolated, biases and normalization included,
 * in double precision and rounded once to the parameters' type, so that two equal weights mix to
 * that very weight: identical networks give a flat path.
 *
 * <p>Batch norm: a mix of two networks' weights needs its own batch-norm statistics (the
 * interpolated running means and variances of A and B do not describe the mixed network's
 * activations). Given training data ({@link #withBatchNormData}), every point strictly between
 * the ends gets the exact mean and variance of each batch-norm layer's inputs over that data, as
 * the paper recomputes them; the endpoints keep the running statistics they were trained with, so
 * that they stay the trained networks. Without training data the running statistics are
 * interpolated like every other parameter (fine for networks without batch norm, where there is
 * nothing to recompute).
 *
 * <p>Masks: with {@link #withMasks}, both networks must be 0 at every pruned position, and so is
 * every point on the path.
 *
 * <p>Neither network is changed: the points are computed in a copy of A.
 *
 * <pre>{@code
 * MultiLayerNetwork copyA = TrainingCopy.of(net);
 * MultiLayerNetwork copyB = TrainingCopy.of(net);
 * // ... train copyA and copyB, each with its own data order
 * LinearInterpolation path = LinearInterpolation.between(copyA, copyB)
 *         .withMasks(masks)               // optional: checks pruned weights are 0 in both
 *         .withBatchNormData(train);      // optional: recomputes batch-norm statistics on the path
 * InstabilityResult r = path.evaluate(test);   // 11 points, alpha = 0, 0.1, ..., 1
 * boolean stable = r.isStable();               // barrier at most 2% error
 * Model middle = path.networkAt(0.5);
 * }</pre>
 */
public final class LinearInterpolation {

    /** Points evaluated by {@link #evaluate(DataSet)}: α = 0, 0.1, ..., 1, as in the paper's plots. */
    public static final int DEFAULT_POINTS = 11;

    private final Model a;
    private final Model b;
    private final MaskSet masks;
    private final DataSet batchNormData;

    private LinearInterpolation(Model a, Model b, MaskSet masks, DataSet batchNormData) {
        this.a = a;
        this.b = b;
        this.masks = masks;
        this.batchNormData = batchNormData;
    }

    /**
     * The path from {@code a} (α = 0) to {@code b} (α = 1): two initialized networks of the same
     * type, configuration (seeds and iteration counters aside) and parameter layout, each a
     * {@code MultiLayerNetwork} or a {@code ComputationGraph} with one input and one output.
     *
     * @throws IllegalArgumentException naming what differs between the two networks
     */
    public static LinearInterpolation between(Model a, Model b) {
        NetworkAdapter na = NetworkAdapter.of(Objects.requireNonNull(a, "a"));
        NetworkAdapter nb = NetworkAdapter.of(Objects.requireNonNull(b, "b"));
        if (a instanceof ComputationGraph graph && (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1)) {
            throw new IllegalArgumentException("a ComputationGraph with one input and one output is needed, this one has "
                    + graph.getNumInputArrays() + " inputs and " + graph.getNumOutputArrays() + " outputs");
        }
        SameArchitecture.require(na, nb);
        return new LinearInterpolation(a, b, null, null);
    }

    /**
     * The same path, with every weight pruned by {@code masks} 0 at every point.
     *
     * @throws IllegalArgumentException if the masks do not fit the networks, or a network has a
     *     non-zero weight at a pruned position (naming the network, the parameter and how many)
     */
    public LinearInterpolation withMasks(MaskSet masks) {
        Objects.requireNonNull(masks, "masks");
        requireZeroWherePruned(masks, a, "A");
        requireZeroWherePruned(masks, b, "B");
        return new LinearInterpolation(a, b, masks, batchNormData);
    }

    /**
     * The same path, with the batch-norm statistics of every point strictly between the ends
     * computed from {@code train}'s features (labels are not read). Each point then costs one
     * forward pass over {@code train} per batch-norm layer: a few thousand examples are plenty.
     */
    public LinearInterpolation withBatchNormData(DataSet train) {
        Objects.requireNonNull(train, "train");
        if (train.numExamples() == 0) {
            throw new IllegalArgumentException("batch-norm statistics need at least one training example");
        }
        return new LinearInterpolation(a, b, masks, train);
    }

    /**
     * A new network at {@code alpha} on the path: a copy of A ({@link TrainingCopy}) with the
     * parameters {@code (1-alpha) w_A + alpha w_B} (exactly A's at 0, B's at 1), masked and with
     * recomputed batch-norm statistics if so configured.
     *
     * @throws IllegalArgumentException if {@code alpha} is not in [0, 1]
     */
    public Model networkAt(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        Model work = TrainingCopy.of(a);
        moveTo(work, alpha);
        return work;
    }

    /** The path at {@value #DEFAULT_POINTS} evenly spaced points. */
    public InstabilityResult evaluate(DataSet test) {
        return evaluate(test, DEFAULT_POINTS);
    }

    /**
     * Test error and loss at {@code points} evenly spaced α, from 0 to 1 both included
     * ({@code alpha_i = i / (points - 1)}), and the instability.
     *
     * @param test examples with one-hot labels
     * @throws IllegalArgumentException if {@code points < 2} or {@code test} is empty
     */
    public InstabilityResult evaluate(DataSet test, int points) {
        Objects.requireNonNull(test, "test");
        if (points < 2) {
            throw new IllegalArgumentException("a path needs at least 2 points (its ends), got " + points);
        }
        if (test.numExamples() == 0) {
            throw new IllegalArgumentException("the test set is empty");
        }
        Model work = TrainingCopy.of(a);
        NetworkAdapter network = NetworkAdapter.of(work);
        List<Double> alphas = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double alpha = i == points - 1 ? 1.0 : (double) i / (points - 1);
            moveTo(work, alpha);
            alphas.add(alpha);
            errors.add(1 - ChunkedEvaluation.accuracy(network, test));
            losses.add(ChunkedEvaluation.loss(network, test));
        }
        return InstabilityResult.of(alphas, errors, losses);
    }

    // sets work's parameters to the point alpha
    private void moveTo(Model work, double alpha) {
        INDArray params = work.params();
        if (alpha == 0) {
            params.assign(a.params()); // the trained network itself, its batch-norm statistics included
            return;
        }
        if (alpha == 1) {
            params.assign(b.params());
            return;
        }
        // in double, rounded once to the parameters' type: the mix of two equal weights is that
        // weight exactly (so identical networks give a flat path), and at 0.5 it is (w_A + w_B) / 2
        INDArray mixed = a.params().castTo(DataType.DOUBLE).muli(1 - alpha)
                .addi(b.params().castTo(DataType.DOUBLE).muli(alpha));
        params.assign(mixed.castTo(params.dataType()));
        if (masks != null) {
            params.muli(masks.toFlat(work)); // 0 already, as both ends are 0 there; this makes it so whatever the rounding
        }
        if (batchNormData != null && BatchNormStatistics.present(work)) {
            BatchNormStatistics.recompute(work, batchNormData.getFeatures(), BatchNormStatistics.CHUNK);
        }
    }

    private static void requireZeroWherePruned(MaskSet masks, Model model, String name) {
        NetworkAdapter network = NetworkAdapter.of(model);
        masks.checkFits(network.view());
        for (Map.Entry<ParamKey, Mask> e : masks.asMap().entrySet()) {
            ParamInfo p = network.param(e.getKey()).orElseThrow();
            float[] values = network.read(p);
            Mask mask = e.getValue();
            long nonZero = 0;
            for (int i = 0; i < values.length; i++) {
                if (values[i] != 0 && !mask.isKept(i)) {
                    nonZero++;
                }
            }
            if (nonZero > 0) {
                throw new IllegalArgumentException("network " + name + " has " + nonZero + " non-zero weights at pruned "
                        + "positions of " + e.getKey() + ": these masks are not the ones it was trained with");
            }
        }
    }
}

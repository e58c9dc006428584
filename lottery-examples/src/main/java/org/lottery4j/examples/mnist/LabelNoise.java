package org.lottery4j.examples.mnist;

import java.util.Arrays;
import java.util.Random;
import org.lottery4j.training.Batches;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Replaces exactly {@code round(fraction * n)} labels of a one-hot labelled set with another
 * class, drawn uniformly from the other classes, the examples and the new classes fixed by the
 * seed: the label noise of double-descent experiments (issue 14, in progress).
 *
 * <pre>{@code
 * LabelNoise.Noisy noisy = LabelNoise.apply(mnist.train(), 0.15, 1);   // 15% of the labels wrong
 * noisy.changed();                                                       // which examples, ascending
 * }</pre>
 */
public final class LabelNoise {

    /**
     * The set with some labels replaced.
     *
     * @param data a copy of the set: the same features, the new labels
     * @param changed the examples whose label was replaced, ascending
     */
    public record Noisy(DataSet data, int[] changed) {}

    private LabelNoise() {}

    /**
     * {@code data} with {@code round(fraction * n)} labels replaced by another class.
     *
     * @throws IllegalArgumentException if the fraction is not in [0, 1], the labels are not
     *     one-hot, or there is only one class
     */
    public static Noisy apply(DataSet data, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the noisy fraction must be in [0, 1], got " + fraction);
        }
        INDArray labels = data.getLabels().dup();
        int n = (int) labels.size(0);
        int classes = (int) labels.size(1);
        if (classes < 2) {
            throw new IllegalArgumentException("label noise needs at least 2 classes, got " + classes);
        }
        int[] truth = labels.argMax(1).toIntVector();
        for (int i = 0; i < n; i++) {
            if (labels.getRow(i).sumNumber().doubleValue() != 1.0 || labels.getDouble(i, truth[i]) != 1.0) {
                throw new IllegalArgumentException("example " + i + "'s label is not one-hot: " + labels.getRow(i));
            }
        }
        Random random = new Random(seed);
        int[] changed = Arrays.copyOf(Batches.permutation(n, random), (int) Math.round(fraction * n));
        Arrays.sort(changed);
        for (int i : changed) {
            int other = (truth[i] + 1 + random.nextInt(classes - 1)) % classes; // never the true class
            labels.putScalar(i, truth[i], 0);
            labels.putScalar(i, other, 1);
        }
        return new Noisy(new DataSet(data.getFeatures(), labels), changed);
    }
}

package org.lottery4j.examples.cifar;

import java.util.Arrays;
import org.lottery4j.examples.conv.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per-channel normalization of flat images: {@code x' = (x - mean[c]) / std[c]}. The statistics
 * are computed from the training examples themselves ({@link #of}), not copied constants: on the
 * full CIFAR-10 training set they are the published values (means 0.4914, 0.4822, 0.4465; standard
 * deviations 0.2470, 0.2435, 0.2616), they stay right for any subset and any other image set (MNIST,
 * the small files tests write), and they avoid the widely copied 0.2023/0.1994/0.2010, which are
 * averages of per-image deviations rather than the data's.
 *
 * <pre>{@code
 * Normalization norm = Normalization.of(train.getFeatures(), ImageShape.CIFAR10);
 * norm.applyInPlace(test.getFeatures(), ImageShape.CIFAR10);
 * }</pre>
 *
 * @param mean per-channel mean of the pixels (scaled to [0, 1])
 * @param std per-channel population standard deviation of the pixels, > 0
 */
public record Normalization(double[] mean, double[] std) {

    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length) {
            throw new IllegalArgumentException("normalization has " + mean.length + " means but " + std.length + " deviations");
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("normalization deviations must be > 0, got " + Arrays.toString(std));
            }
        }
    }

    /**
     * The mean and population standard deviation of each channel over every pixel of every image
     * in {@code features} ({@code [n, shape.size()]}, channel-major). A channel that is constant
     * gets a deviation of 1 (it is only shifted).
     */
    public static Normalization of(INDArray features, ImageShape shape) {
        checkColumns(features, shape);
        double[] mean = new double[shape.channels()];
        double[] std = new double[shape.channels()];
        for (int c = 0; c < shape.channels(); c++) {
            INDArray plane = channel(features, shape, c);
            mean[c] = plane.meanNumber().doubleValue();
            double s = plane.std(false).getDouble(0); // over every pixel, not per column
            std[c] = s > 0 ? s : 1;
        }
        return new Normalization(mean, std);
    }

    /** Normalizes {@code features} ({@code [n, shape.size()]}, channel-major) in place. */
    public void applyInPlace(INDArray features, ImageShape shape) {
        checkColumns(features, shape);
        if (shape.channels() != mean.length) {
            throw new IllegalArgumentException("normalization for " + mean.length + " channels applied to images of shape "
                    + shape);
        }
        for (int c = 0; c < mean.length; c++) {
            channel(features, shape, c).subi(mean[c]).divi(std[c]);
        }
    }

    /** What a pixel of value 0 (black) becomes in each channel: the value to pad normalized images with. */
    public double[] black() {
        double[] out = new double[mean.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = -mean[c] / std[c];
        }
        return out;
    }

    /** The columns of channel {@code c}: a view, so that writes reach {@code features}. */
    private static INDArray channel(INDArray features, ImageShape shape, int c) {
        return features.get(NDArrayIndex.all(), NDArrayIndex.interval((long) c * shape.plane(), (long) (c + 1) * shape.plane()));
    }

    private static void checkColumns(INDArray features, ImageShape shape) {
        if (features.rank() != 2 || features.columns() != shape.size()) {
            throw new IllegalArgumentException("features of shape " + Arrays.toString(features.shape())
                    + " do not hold flat images of shape " + shape + " ([n, " + shape.size() + "])");
        }
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}

package org.lottery4j.examples.cifar;

import java.util.Arrays;
import java.util.Random;
import org.lottery4j.examples.conv.ImageShape;
import org.lottery4j.training.BatchAugmentation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The standard augmentation of the CIFAR ResNets (He et al. 2016): each image padded by
 * {@code pad} pixels on every side, a random {@code height x width} crop of the padded image, then
 * a horizontal flip with probability 1/2. Works on flat, channel-major images {@code [n, c*h*w]}
 * that are already normalized, so the padding is given per channel: {@link Normalization#black()}
 * pads with black pixels, as torchvision's {@code RandomCrop(32, padding=4)} does before
 * {@code Normalize}.
 *
 * <p>Seeded: for each image in turn it draws the crop's row offset {@code dy} and column offset
 * {@code dx} ({@code nextInt(2 * pad + 1)} each, 0 being the padded image's top-left corner) and
 * then {@code nextBoolean()} for the flip, so the same seed and the same batches give the same
 * images. As a {@link DataSetPreProcessor} it replaces a batch's features with augmented ones
 * (the original array is not written to), for any DL4J iterator:
 *
 * <pre>{@code
 * CropFlip augment = new CropFlip(ImageShape.CIFAR10, 4, cifar.normalization().black(), 42);
 * iterator.setPreProcessor(augment);                  // or: augment.apply(features, random)
 * }</pre>
 */
public final class CropFlip implements DataSetPreProcessor, BatchAugmentation {

    private final ImageShape shape;
    private final int pad;
    private final float[] fill;
    private final Random random;

    /**
     * @param shape the images' shape
     * @param pad pixels of padding on each side, >= 0
     * @param fill the padding value of each channel
     * @param seed seed of the crops and flips
     */
    public CropFlip(ImageShape shape, int pad, double[] fill, long seed) {
        if (pad < 0) {
            throw new IllegalArgumentException("padding must be >= 0 pixels, got " + pad);
        }
        if (fill.length != shape.channels()) {
            throw new IllegalArgumentException("padding values " + Arrays.toString(fill) + " do not match the "
                    + shape.channels() + " channels of images of shape " + shape);
        }
        this.shape = shape;
        this.pad = pad;
        this.fill = new float[fill.length];
        for (int c = 0; c < fill.length; c++) {
            this.fill[c] = (float) fill[c];
        }
        this.random = new Random(seed);
    }

    @Override
    public void preProcess(DataSet batch) {
        batch.setFeatures(apply(batch.getFeatures(), random));
    }

    /**
     * Augmented copies of the images in {@code features} ({@code [n, c*h*w]}), drawing from
     * {@code random} only (not from the seed this was made with): the experiment's trainer passes
     * a generator of each arm's own, and several may call this at once.
     */
    @Override
    public INDArray apply(INDArray features, Random random) {
        if (features.rank() != 2 || features.columns() != shape.size()) {
            throw new IllegalArgumentException("features of shape " + Arrays.toString(features.shape())
                    + " do not hold flat images of shape " + shape + " ([n, " + shape.size() + "])");
        }
        int n = (int) features.rows();
        int h = shape.height();
        int w = shape.width();
        float[] in = features.dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int img = 0; img < n; img++) {
            int dy = random.nextInt(2 * pad + 1) - pad; // source row of output row i is i + dy
            int dx = random.nextInt(2 * pad + 1) - pad;
            boolean flip = random.nextBoolean();
            for (int c = 0; c < shape.channels(); c++) {
                int base = img * shape.size() + c * shape.plane();
                for (int i = 0; i < h; i++) {
                    int si = i + dy;
                    for (int j = 0; j < w; j++) {
                        int sj = (flip ? w - 1 - j : j) + dx;
                        out[base + i * w + j] = si < 0 || si >= h || sj < 0 || sj >= w ? fill[c] : in[base + si * w + sj];
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {n, shape.size()}, 'c').castTo(features.dataType());
    }
}

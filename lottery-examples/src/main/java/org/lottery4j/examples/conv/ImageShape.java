package org.lottery4j.examples.conv;

/**
 * The shape of one input image, channels first: what the convolutional models are built for. The
 * data is fed flat, {@code [n, channels * height * width]} with each image channel-major (one
 * row-major plane per channel), as the experiment's batches are; the first layer reshapes it to
 * NCHW.
 *
 * <pre>{@code
 * MultiLayerNetwork conv2 = (MultiLayerNetwork) ImageModel.CONV2.network(ImageShape.MNIST, 42);
 * }</pre>
 *
 * @param channels input channels, >= 1
 * @param height rows, >= 1
 * @param width columns, >= 1
 */
public record ImageShape(int channels, int height, int width) {

    /** MNIST digits: one channel, 28x28. */
    public static final ImageShape MNIST = new ImageShape(1, 28, 28);
    /** CIFAR-10 images: three channels (R, G, B), 32x32. */
    public static final ImageShape CIFAR10 = new ImageShape(3, 32, 32);

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image shape needs at least 1 channel, row and column, got "
                    + channels + "x" + height + "x" + width);
        }
    }

    /** Values per image: {@code channels * height * width}. */
    public int size() {
        return channels * height * width;
    }

    /** Values per channel plane: {@code height * width}. */
    public int plane() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}

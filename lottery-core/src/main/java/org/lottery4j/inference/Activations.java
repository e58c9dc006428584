package org.lottery4j.inference;

/**
 * The values flowing between the steps of a {@link SparseModel}: {@code batch} examples of
 * {@code dims} each, stored example by example (row-major, as DL4J and the caller hold them) or,
 * for fully connected layers, feature by feature with the batch contiguous, so that each kept
 * weight updates neighbouring sums. One example is the same in both layouts.
 */
final class Activations {

    final float[] data;
    final int batch;
    final int[] dims;
    final boolean batchInner;

    Activations(float[] data, int batch, int[] dims, boolean batchInner) {
        this.data = data;
        this.batch = batch;
        this.dims = dims;
        this.batchInner = batchInner && batch > 1;
    }

    /**
     * Values per example.
     *
     * @throws IllegalArgumentException if there are more than an array holds
     */
    static int features(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d; // at most 2^31 - 1 times a value that is: fits a long
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("examples of shape " + java.util.Arrays.toString(dims) + " have more than "
                        + Integer.MAX_VALUE + " values");
            }
        }
        return (int) n;
    }

    int features() {
        return features(dims);
    }

    /** Example by example: {@code data[b * features + f]}. */
    Activations exampleMajor() {
        return batchInner ? new Activations(transpose(data, features(), batch), batch, dims, false) : this;
    }

    /**
     * One array per feature holding that feature of every example, from either layout: the form
     * in which HotSpot vectorizes {@link SparseLinear}'s batch loop.
     */
    float[][] featureRows() {
        int features = features();
        float[][] rows = new float[features][];
        for (int f = 0; f < features; f++) {
            if (batchInner || batch == 1) {
                rows[f] = java.util.Arrays.copyOfRange(data, f * batch, (f + 1) * batch);
            } else {
                float[] row = new float[batch];
                for (int b = 0; b < batch; b++) {
                    row[b] = data[b * features + f];
                }
                rows[f] = row;
            }
        }
        return rows;
    }

    Activations reshaped(int[] newDims) {
        return new Activations(data, batch, newDims, batchInner);
    }

    // a [rows, cols] row-major matrix as [cols, rows]
    private static float[] transpose(float[] in, int rows, int cols) {
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[r * cols + c];
            }
        }
        return out;
    }
}

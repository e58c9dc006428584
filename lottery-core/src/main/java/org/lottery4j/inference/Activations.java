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

    static int features(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    int features() {
        return features(dims);
    }

    /** Example by example: {@code data[b * features + f]}. */
    Activations exampleMajor() {
        return batchInner ? new Activations(transpose(data, features(), batch), batch, dims, false) : this;
    }

    /** Feature by feature, batch contiguous: {@code data[f * batch + b]}. */
    Activations batchMajor() {
        return batchInner || batch == 1 ? this : new Activations(transpose(data, batch, features()), batch, dims, true);
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

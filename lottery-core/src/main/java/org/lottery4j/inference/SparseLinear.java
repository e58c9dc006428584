package org.lottery4j.inference;

import java.util.Objects;

/**
 * The affine part of a fully connected layer, {@code y = x W + b}, storing only the weights that
 * are not zero: column by column of {@code W} (each output's inputs), compressed (CSC), input
 * indices as {@code char} when the layer has at most 65,536 inputs, which halves what a product
 * reads beside the values. Work of the sparse inference engine of issue 13, in progress: the
 * kernels and their parity with the dense product; conversion of networks, files and the
 * command come next.
 *
 * <pre>{@code
 * SparseLinear layer = SparseLinear.of(w, nIn, nOut, bias);   // w row-major [nIn, nOut], as DL4J stores it
 * float[] y = layer.apply(x, batch);                           // x [batch][nIn] row-major -> y [batch][nOut]
 * }</pre>
 *
 * @param nIn inputs
 * @param nOut outputs
 * @param start for output {@code j}, its weights are entries {@code start[j]} to {@code start[j + 1] - 1}
 * @param rows the input index of each kept weight, by output and ascending
 * @param values each kept weight
 * @param bias one per output
 */
public record SparseLinear(int nIn, int nOut, int[] start, char[] rows, float[] values, float[] bias) {

    /** The most inputs that {@code char} indices can address. */
    public static final int MAX_INPUTS = Character.MAX_VALUE + 1;

    public SparseLinear {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(bias, "bias");
        if (nIn < 1 || nIn > MAX_INPUTS || nOut < 1) {
            throw new IllegalArgumentException("a sparse layer has 1 to " + MAX_INPUTS + " inputs and at least 1 output, got "
                    + nIn + " x " + nOut);
        }
        if (start.length != nOut + 1 || bias.length != nOut || rows.length != values.length
                || start[0] != 0 || start[nOut] != values.length) {
            throw new IllegalArgumentException("inconsistent sparse layer: " + nOut + " outputs, " + start.length
                    + " column starts, " + rows.length + " indices, " + values.length + " values, " + bias.length + " biases");
        }
    }

    /**
     * The kept (non-zero) weights of {@code w}, row-major {@code [nIn, nOut]}, and the bias.
     *
     * @throws IllegalArgumentException if the sizes do not match or the layer is too wide for
     *     {@code char} indices
     */
    public static SparseLinear of(float[] w, int nIn, int nOut, float[] bias) {
        if ((long) nIn * nOut != w.length || bias.length != nOut) {
            throw new IllegalArgumentException("weights of length " + w.length + " and " + bias.length
                    + " biases do not make a " + nIn + " x " + nOut + " layer");
        }
        if (nIn > MAX_INPUTS) {
            throw new IllegalArgumentException(nIn + " inputs do not fit 16-bit indices (at most " + MAX_INPUTS + ")");
        }
        int[] start = new int[nOut + 1];
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < nOut; j++) {
                if (w[i * nOut + j] != 0f) {
                    start[j + 1]++;
                }
            }
        }
        for (int j = 0; j < nOut; j++) {
            start[j + 1] += start[j];
        }
        int[] next = start.clone();
        char[] rows = new char[start[nOut]];
        float[] values = new float[start[nOut]];
        for (int i = 0; i < nIn; i++) { // rows ascending within each column
            for (int j = 0; j < nOut; j++) {
                float v = w[i * nOut + j];
                if (v != 0f) {
                    rows[next[j]] = (char) i;
                    values[next[j]++] = v;
                }
            }
        }
        return new SparseLinear(nIn, nOut, start, rows, values, bias.clone());
    }

    /** Weights kept. */
    public int nonZeros() {
        return values.length;
    }

    /**
     * {@code x W + b} for {@code batch} inputs, {@code x} row-major {@code [batch, nIn]}; the
     * result is row-major {@code [batch, nOut]}.
     *
     * @throws IllegalArgumentException if {@code x} is not {@code batch x nIn} values
     */
    public float[] apply(float[] x, int batch) {
        if (batch < 1 || (long) batch * nIn != x.length) {
            throw new IllegalArgumentException("input of " + x.length + " values is not " + batch + " x " + nIn);
        }
        float[] y = new float[batch * nOut];
        if (batch == 1) {
            for (int j = 0; j < nOut; j++) {
                float acc = bias[j];
                for (int p = start[j], end = start[j + 1]; p < end; p++) {
                    acc += values[p] * x[rows[p]];
                }
                y[j] = acc;
            }
            return y;
        }
        // batch-contiguous inputs: each kept weight then updates `batch` neighbouring sums
        float[] xt = new float[x.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < nIn; i++) {
                xt[i * batch + b] = x[b * nIn + i];
            }
        }
        float[] acc = new float[batch];
        for (int j = 0; j < nOut; j++) {
            java.util.Arrays.fill(acc, bias[j]);
            for (int p = start[j], end = start[j + 1]; p < end; p++) {
                float v = values[p];
                int base = rows[p] * batch;
                for (int b = 0; b < batch; b++) {
                    acc[b] += v * xt[base + b];
                }
            }
            for (int b = 0; b < batch; b++) {
                y[b * nOut + j] = acc[b];
            }
        }
        return y;
    }
}

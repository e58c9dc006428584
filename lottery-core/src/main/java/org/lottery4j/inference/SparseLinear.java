package org.lottery4j.inference;

import java.util.Objects;

/**
 * The affine part of a fully connected layer, {@code y = x W + b}, storing only the weights that
 * are not zero: column by column of {@code W} (each output's inputs), compressed (CSC), input
 * indices as {@code char} when the layer has at most 65,536 inputs, which halves what a product
 * reads beside the values. The fully connected layers of a {@link SparseModel}; usable alone.
 *
 * <p>Each output's sum is formed the same way whatever the batch: the bias, then the kept weights
 * four at a time ({@code ((w0 x0 + w1 x1) + w2 x2) + w3 x3}, which keeps the adds of four products
 * off one dependency chain), then the rest one by one. An example's result from {@link #apply} is
 * therefore the same bit for bit alone or in any batch. (A {@link SparseModel} may run a dense
 * layer's product with a dense kernel instead, at some batch sizes: see {@link SparseModel#kernels}.)
 *
 * <pre>{@code
 * SparseLinear layer = SparseLinear.of(w, nIn, nOut, bias);   // w row-major [nIn, nOut], as DL4J stores it
 * float[] y = layer.apply(x, 64);                              // x [64][nIn] row-major -> y [64][nOut]
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
        for (int j = 0; j < nOut; j++) {
            if (start[j + 1] < start[j]) {
                throw new IllegalArgumentException("inconsistent sparse layer: output " + j + " starts at " + start[j]
                        + " and ends at " + start[j + 1]);
            }
        }
        for (int p = 0; p < rows.length; p++) {
            if (rows[p] >= nIn) {
                throw new IllegalArgumentException("inconsistent sparse layer: weight " + p + " reads input "
                        + (int) rows[p] + " of " + nIn);
            }
        }
    }

    /**
     * The kept (non-zero) weights of {@code w}, row-major {@code [nIn, nOut]}, and the bias.
     *
     * @throws IllegalArgumentException if the sizes do not match or the layer is too wide for
     *     {@code char} indices
     */
    public static SparseLinear of(float[] w, int nIn, int nOut, float[] bias) {
        return build(w, nIn, nOut, bias, false);
    }

    /**
     * The kept (non-zero) weights of {@code wt}, row-major {@code [nOut, nIn]} (PyTorch's and
     * ONNX's layout: {@code W} transposed), and the bias.
     *
     * @throws IllegalArgumentException if the sizes do not match or the layer is too wide for
     *     {@code char} indices
     */
    public static SparseLinear ofTransposed(float[] wt, int nIn, int nOut, float[] bias) {
        return build(wt, nIn, nOut, bias, true);
    }

    private static SparseLinear build(float[] w, int nIn, int nOut, float[] bias, boolean transposed) {
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
                if (w[transposed ? j * nIn + i : i * nOut + j] != 0f) {
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
                float v = w[transposed ? j * nIn + i : i * nOut + j];
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
            applyOne(x, y, 0, nOut);
        } else {
            applyBatch(new Activations(x, batch, new int[] {nIn}, false).featureRows(), batch, y, 0, nOut);
        }
        return new Activations(y, batch, new int[] {nOut}, true).exampleMajor().data;
    }

    /** Outputs {@code from} to {@code to - 1} of {@code x W + b} for one input {@code x}. */
    void applyOne(float[] x, float[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            float acc = bias[j];
            int p = start[j];
            int end = start[j + 1];
            for (; p + 3 < end; p += 4) {
                acc += values[p] * x[rows[p]] + values[p + 1] * x[rows[p + 1]]
                        + values[p + 2] * x[rows[p + 2]] + values[p + 3] * x[rows[p + 3]];
            }
            for (; p < end; p++) {
                acc += values[p] * x[rows[p]];
            }
            y[j] = acc;
        }
    }

    // Each kept weight adds its input's row (the batch) to the output's sums. The rows are separate
    // arrays, indexed from 0 like the sums: HotSpot 17 vectorizes such a loop, and not one that reads
    // one array at several offsets (0.27 against 0.12 ns per multiply-add at batch 64: SparseKernelProbe).
    // Outputs from to to - 1, y[j * batch + b]; x as Activations.featureRows gives it.
    void applyBatch(float[][] x, int batch, float[] y, int from, int to) {
        float[] acc = new float[batch];
        for (int j = from; j < to; j++) {
            java.util.Arrays.fill(acc, bias[j]);
            int p = start[j];
            int end = start[j + 1];
            for (; p + 3 < end; p += 4) {
                float v0 = values[p];
                float v1 = values[p + 1];
                float v2 = values[p + 2];
                float v3 = values[p + 3];
                float[] x0 = x[rows[p]];
                float[] x1 = x[rows[p + 1]];
                float[] x2 = x[rows[p + 2]];
                float[] x3 = x[rows[p + 3]];
                for (int b = 0; b < batch; b++) {
                    acc[b] += v0 * x0[b] + v1 * x1[b] + v2 * x2[b] + v3 * x3[b];
                }
            }
            for (; p < end; p++) {
                float v = values[p];
                float[] xi = x[rows[p]];
                for (int b = 0; b < batch; b++) {
                    acc[b] += v * xi[b];
                }
            }
            System.arraycopy(acc, 0, y, j * batch, batch);
        }
    }
}

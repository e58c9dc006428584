package org.lottery4j.inference;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dense kernels of a fully connected layer, for layers dense enough that skipping zeros costs
 * more than multiplying by them ({@link KernelRule}): ND4J's matrix product when a CPU backend is
 * present, else a plain-Java product. Each builds its dense copy of the weights on first use
 * (a layer that never runs dense never holds one), so a model pays for it only where it runs.
 */
final class DenseLinear {

    // Rows of W per pass of the plain-Java product: 64 rows of a 4096-wide layer are 1 MiB, what one
    // core's L2 holds here, so each row is read from memory once per call, not once per example.
    // A multiple of 4, so blocking keeps each output's sum in the same order as without it.
    private static final int ROW_BLOCK = 64;

    private final SparseLinear linear;
    private volatile float[][] rows;     // W by input: rows[i][j], for the plain-Java product
    private volatile INDArray weights;   // W as ND4J holds it, [nIn, nOut]

    DenseLinear(SparseLinear linear) {
        this.linear = linear;
    }

    // Racy single-check: two threads may both build it, and both get the same values.
    private float[][] rows() {
        float[][] r = rows;
        if (r == null) {
            r = new float[linear.nIn()][linear.nOut()];
            int[] start = linear.start();
            char[] idx = linear.rows();
            float[] values = linear.values();
            for (int j = 0; j < linear.nOut(); j++) {
                for (int p = start[j]; p < start[j + 1]; p++) {
                    r[idx[p]][j] = values[p];
                }
            }
            rows = r;
        }
        return r;
    }

    private INDArray weights() {
        INDArray w = weights;
        if (w == null) {
            synchronized (this) { // one off-heap copy, however many threads ask first
                w = weights;
                if (w == null) {
                    float[] flat = new float[linear.nIn() * linear.nOut()];
                    int[] start = linear.start();
                    char[] idx = linear.rows();
                    float[] values = linear.values();
                    for (int j = 0; j < linear.nOut(); j++) {
                        for (int p = start[j]; p < start[j + 1]; p++) {
                            flat[idx[p] * linear.nOut() + j] = values[p];
                        }
                    }
                    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                        w = Nd4j.create(flat, new long[] {linear.nIn(), linear.nOut()}, 'c');
                    }
                    weights = w;
                }
            }
        }
        return w;
    }

    /**
     * {@code x W + b} by ND4J's matrix product (the backend's BLAS), example by example; one call
     * of the backend per layer, on the backend's own threads.
     */
    Activations applyNd4j(Activations input) {
        Activations x = input.exampleMajor();
        int batch = x.batch;
        int nOut = linear.nOut();
        float[] y;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray in = Nd4j.create(x.data, new long[] {batch, linear.nIn()}, 'c');
            INDArray out = Nd4j.create(DataType.FLOAT, new long[] {batch, nOut}, 'c');
            Nd4j.gemm(in, weights(), out, false, false, 1.0, 0.0);
            y = out.data().asFloat();
        }
        float[] bias = linear.bias();
        for (int b = 0; b < batch; b++) {
            int o = b * nOut;
            for (int j = 0; j < nOut; j++) {
                y[o + j] += bias[j];
            }
        }
        return new Activations(y, batch, new int[] {nOut}, false);
    }

    /**
     * {@code x W + b} in plain Java, example by example: each example's sums over all outputs at
     * once, four rows of {@code W} a step ({@code y += x0 W0 + x1 W1 + x2 W2 + x3 W3}, a loop over
     * the outputs that HotSpot vectorizes), rows in blocks that stay in cache for the whole batch.
     * Each output's sum is the bias, then the inputs four at a time in order: on a layer without
     * zeros, the order of the sparse kernels, so the same bits.
     */
    Activations applyJava(Activations input) {
        Activations x = input.exampleMajor();
        int batch = x.batch;
        int nIn = linear.nIn();
        int nOut = linear.nOut();
        float[][] w = rows();
        float[][] y = new float[batch][];
        for (int b = 0; b < batch; b++) {
            y[b] = linear.bias().clone();
        }
        for (int i0 = 0; i0 < nIn; i0 += ROW_BLOCK) {
            int i1 = Math.min(nIn, i0 + ROW_BLOCK);
            for (int b = 0; b < batch; b++) {
                float[] acc = y[b];
                int o = b * nIn;
                int i = i0;
                for (; i + 3 < i1; i += 4) {
                    float x0 = x.data[o + i];
                    float x1 = x.data[o + i + 1];
                    float x2 = x.data[o + i + 2];
                    float x3 = x.data[o + i + 3];
                    float[] w0 = w[i];
                    float[] w1 = w[i + 1];
                    float[] w2 = w[i + 2];
                    float[] w3 = w[i + 3];
                    for (int j = 0; j < nOut; j++) {
                        acc[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
                    }
                }
                for (; i < i1; i++) { // only in the last block: the others hold a multiple of 4 rows
                    float xi = x.data[o + i];
                    float[] wi = w[i];
                    for (int j = 0; j < nOut; j++) {
                        acc[j] += xi * wi[j];
                    }
                }
            }
        }
        float[] out = new float[batch * nOut];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(y[b], 0, out, b * nOut, nOut);
        }
        return new Activations(out, batch, new int[] {nOut}, false);
    }
}

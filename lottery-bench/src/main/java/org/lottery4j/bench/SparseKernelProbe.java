package org.lottery4j.bench;

import java.util.Locale;
import java.util.Random;

/**
 * The probes behind the sparse model's kernel choices, one thread, best of many repetitions (the
 * least disturbed): (1) a batch's multiply-adds with the batch contiguous (the weights held in locals, as in
 * {@code SparseLinear}), the input rows read from
 * one flat array at several offsets against one array per row, four and eight kept weights per
 * step; (2) one 4096 x 4096 layer at batch 1 stored column by column with 16-bit indices against a
 * bitmap of kept positions with packed values; (3) the batched kernel on one 4096 x 4096 layer at 10%
 * kept, column by column against blocked over the inputs (each block's rows of the batch stay in L1
 * while every output adds its weights from that block; the outputs' sums are the accumulators).
 *
 * <pre>
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.SparseKernelProbe
 * </pre>
 */
public final class SparseKernelProbe {

    private static final int N_IN = 4096;

    private SparseKernelProbe() {}

    public static void main(String[] args) {
        batchKernels();
        formats();
        inputBlocks();
    }

    private static void inputBlocks() {
        int n = N_IN;
        Random r = new Random(1);
        int[] start = new int[n + 1];
        char[] rows = new char[(int) (n * (long) n * 0.11) + n];
        float[] vals = new float[rows.length];
        int p = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (r.nextDouble() < 0.1) {
                    rows[p] = (char) i;
                    vals[p++] = r.nextFloat();
                }
            }
            start[j + 1] = p;
        }
        for (int batch : new int[] {8, 64}) {
            float[][] x = new float[n][batch];
            for (float[] row : x) {
                for (int b = 0; b < batch; b++) {
                    row[b] = r.nextFloat();
                }
            }
            for (int block : new int[] {n, 128, 512}) {
                // weights by (input block, output, input): the column-by-column layout when the block is every input
                int blocks = (n + block - 1) / block;
                int[] bstart = new int[blocks * n + 1];
                char[] br = new char[p];
                float[] bv = new float[p];
                int[] cur = java.util.Arrays.copyOf(start, n);
                int q = 0;
                for (int k = 0; k < blocks; k++) {
                    for (int j = 0; j < n; j++) {
                        while (cur[j] < start[j + 1] && rows[cur[j]] < (k + 1) * block) {
                            br[q] = rows[cur[j]];
                            bv[q++] = vals[cur[j]++];
                        }
                        bstart[k * n + j + 1] = q;
                    }
                }
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 15; rep++) {
                    float[][] y = new float[n][batch];
                    long t = System.nanoTime();
                    for (int s = 0; s < blocks * n; s++) {
                        float[] acc = y[s % n];
                        int e = bstart[s + 1];
                        int a = bstart[s];
                        for (; a + 3 < e; a += 4) {
                            float v0 = bv[a];
                            float v1 = bv[a + 1];
                            float v2 = bv[a + 2];
                            float v3 = bv[a + 3];
                            float[] x0 = x[br[a]];
                            float[] x1 = x[br[a + 1]];
                            float[] x2 = x[br[a + 2]];
                            float[] x3 = x[br[a + 3]];
                            for (int b = 0; b < batch; b++) {
                                acc[b] += v0 * x0[b] + v1 * x1[b] + v2 * x2[b] + v3 * x3[b];
                            }
                        }
                        for (; a < e; a++) {
                            float v = bv[a];
                            float[] xi = x[br[a]];
                            for (int b = 0; b < batch; b++) {
                                acc[b] += v * xi[b];
                            }
                        }
                    }
                    best = Math.min(best, System.nanoTime() - t);
                }
                System.out.printf(Locale.ROOT, "4096 x 4096, 10%% kept, batch %d, inputs in blocks of %d: %.2f ms (%.3f ns"
                        + " per multiply-add)%n", batch, block, best / 1e6, best / (double) p / batch);
            }
        }
    }

    private static void batchKernels() {
        int nnz = 1 << 22;
        Random r = new Random(1);
        int[] rows = new int[nnz];
        float[] vals = new float[nnz];
        for (int p = 0; p < nnz; p++) {
            rows[p] = r.nextInt(N_IN);
            vals[p] = r.nextFloat();
        }
        for (int batch : new int[] {8, 64}) {
            float[] flat = new float[N_IN * batch];
            float[][] split = new float[N_IN][batch];
            for (int i = 0; i < N_IN; i++) {
                for (int b = 0; b < batch; b++) {
                    flat[i * batch + b] = split[i][b] = r.nextFloat();
                }
            }
            float[] y = new float[batch];
            for (String kernel : new String[] {"flat array, 4 weights a step", "array per row, 4 weights a step",
                    "array per row, 8 weights a step"}) {
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 15; rep++) {
                    long t = System.nanoTime();
                    if (kernel.startsWith("flat")) {
                        flat4(flat, y, rows, vals, batch);
                    } else if (kernel.endsWith("4 weights a step")) {
                        rows4(split, y, rows, vals, batch);
                    } else {
                        rows8(split, y, rows, vals, batch);
                    }
                    best = Math.min(best, System.nanoTime() - t);
                }
                System.out.printf(Locale.ROOT, "batch %d, %s: %.3f ns per multiply-add%n", batch, kernel,
                        best / (double) nnz / batch);
            }
        }
    }

    static void flat4(float[] x, float[] y, int[] rows, float[] vals, int batch) {
        for (int p = 0; p + 3 < rows.length; p += 4) {
            int x0 = rows[p] * batch;
            int x1 = rows[p + 1] * batch;
            int x2 = rows[p + 2] * batch;
            int x3 = rows[p + 3] * batch;
            float v0 = vals[p];
            float v1 = vals[p + 1];
            float v2 = vals[p + 2];
            float v3 = vals[p + 3];
            for (int b = 0; b < batch; b++) {
                y[b] += v0 * x[x0 + b] + v1 * x[x1 + b] + v2 * x[x2 + b] + v3 * x[x3 + b];
            }
        }
    }

    static void rows4(float[][] x, float[] y, int[] rows, float[] vals, int batch) {
        for (int p = 0; p + 3 < rows.length; p += 4) {
            float[] x0 = x[rows[p]];
            float[] x1 = x[rows[p + 1]];
            float[] x2 = x[rows[p + 2]];
            float[] x3 = x[rows[p + 3]];
            float v0 = vals[p];
            float v1 = vals[p + 1];
            float v2 = vals[p + 2];
            float v3 = vals[p + 3];
            for (int b = 0; b < batch; b++) {
                y[b] += v0 * x0[b] + v1 * x1[b] + v2 * x2[b] + v3 * x3[b];
            }
        }
    }

    static void rows8(float[][] x, float[] y, int[] rows, float[] vals, int batch) {
        for (int p = 0; p + 7 < rows.length; p += 8) {
            float[] x0 = x[rows[p]];
            float[] x1 = x[rows[p + 1]];
            float[] x2 = x[rows[p + 2]];
            float[] x3 = x[rows[p + 3]];
            float[] x4 = x[rows[p + 4]];
            float[] x5 = x[rows[p + 5]];
            float[] x6 = x[rows[p + 6]];
            float[] x7 = x[rows[p + 7]];
            float v0 = vals[p];
            float v1 = vals[p + 1];
            float v2 = vals[p + 2];
            float v3 = vals[p + 3];
            float v4 = vals[p + 4];
            float v5 = vals[p + 5];
            float v6 = vals[p + 6];
            float v7 = vals[p + 7];
            for (int b = 0; b < batch; b++) {
                y[b] += v0 * x0[b] + v1 * x1[b] + v2 * x2[b] + v3 * x3[b] + v4 * x4[b] + v5 * x5[b] + v6 * x6[b]
                        + v7 * x7[b];
            }
        }
    }

    private static void formats() {
        int n = N_IN;
        int words = n / 64;
        for (double sparsity : new double[] {0.5, 0.8, 0.9, 0.95}) {
            Random r = new Random(1);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextFloat();
            }
            int[] start = new int[n + 1];
            char[] rows = new char[(int) (n * (long) n * (1 - sparsity) * 1.1) + n];
            float[] vals = new float[rows.length];
            long[] bits = new long[n * words];
            int p = 0;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    if (r.nextDouble() >= sparsity) {
                        rows[p] = (char) i;
                        vals[p++] = r.nextFloat();
                        bits[j * words + i / 64] |= 1L << (i % 64);
                    }
                }
                start[j + 1] = p;
            }
            float[] y = new float[n];
            long csc = Long.MAX_VALUE;
            long bitmap = Long.MAX_VALUE;
            for (int rep = 0; rep < 60; rep++) {
                long t = System.nanoTime();
                for (int j = 0; j < n; j++) {
                    float acc = 0;
                    int q = start[j];
                    int e = start[j + 1];
                    for (; q + 3 < e; q += 4) {
                        acc += vals[q] * x[rows[q]] + vals[q + 1] * x[rows[q + 1]] + vals[q + 2] * x[rows[q + 2]]
                                + vals[q + 3] * x[rows[q + 3]];
                    }
                    for (; q < e; q++) {
                        acc += vals[q] * x[rows[q]];
                    }
                    y[j] = acc;
                }
                csc = Math.min(csc, System.nanoTime() - t);
                t = System.nanoTime();
                for (int j = 0; j < n; j++) {
                    float acc = 0;
                    int q = start[j];
                    for (int w = 0; w < words; w++) {
                        long m = bits[j * words + w];
                        while (m != 0) {
                            acc += vals[q++] * x[w * 64 + Long.numberOfTrailingZeros(m)];
                            m &= m - 1;
                        }
                    }
                    y[j] += acc;
                }
                bitmap = Math.min(bitmap, System.nanoTime() - t);
            }
            System.out.printf(Locale.ROOT, "4096 x 4096, %.0f%% pruned, batch 1: 16-bit indices %.2f ms (%.1f MB),"
                    + " bitmap %.2f ms (%.1f MB)%n", sparsity * 100, csc / 1e6, p * 6.0 / 1e6, bitmap / 1e6,
                    (p * 4.0 + bits.length * 8.0) / 1e6);
        }
    }
}

package org.lottery4j.inference;

import java.util.Locale;
import java.util.Random;

/**
 * The measurements behind {@link KernelRule}: each kernel of a fully connected layer and of a
 * convolution on one thread, at fractions of weights kept and batch sizes, best of repeated calls
 * (the least disturbed). In this package, beside the library's package-private kernels it times.
 *
 * <pre>
 * OMP_NUM_THREADS=1 taskset -c 0 java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.inference.KernelRuleProbe [linear|linear784|linear300|linear4096|conv|sparse-conv]
 * </pre>
 */
public final class KernelRuleProbe {

    private static final double[] DENSITIES = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0};
    private static final int[] BATCHES = {1, 8, 64};

    private KernelRuleProbe() {}

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "linear";
        if (what.startsWith("linear")) {
            for (int[] shape : new int[][] {{784, 300}, {300, 100}, {4096, 4096}}) {
                if (what.equals("linear") || what.equals("linear" + shape[0])) {
                    linear(shape[0], shape[1]);
                }
            }
        } else if (what.equals("sparse-conv")) {
            // Conv-2's two convolutions (1 -> 64 and 64 -> 64 on 28 x 28) and ResNet-20's three widths
            sparseConv(1, 64, 28);
            sparseConv(64, 64, 28);
            sparseConv(16, 16, 32);
            sparseConv(32, 32, 16);
            sparseConv(64, 64, 8);
        } else {
            // Conv-2's second convolution (64 -> 64 on 28 x 28) and ResNet-20's widest (64 -> 64 on 8 x 8) and first (16 -> 16 on 32 x 32)
            conv(64, 28);
            conv(16, 32);
            conv(64, 8);
        }
    }

    private static void linear(int nIn, int nOut) {
        for (double density : DENSITIES) {
            Random random = new Random(1);
            float[] w = new float[nIn * nOut];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextDouble() < density ? (float) random.nextGaussian() : 0f;
            }
            LinearOp op = new LinearOp("probe", SparseLinear.of(w, nIn, nOut, new float[nOut]));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "linear %dx%d kept %.2f:", nIn, nOut, density));
            for (int batch : BATCHES) {
                Activations x = input(random, batch, new int[] {nIn});
                for (String kernel : new String[] {KernelRule.SPARSE, KernelRule.DENSE_JAVA, KernelRule.DENSE_ND4J}) {
                    line.append(String.format(Locale.ROOT, " b%d %s %.1f", batch, kernel,
                            best(() -> op.apply(x, null, kernel))));
                }
            }
            System.out.println(line);
        }
    }

    private static void conv(int channels, int size) {
        Window window = new Window(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, false);
        for (double density : DENSITIES) {
            Random random = new Random(1);
            float[] w = new float[channels * channels * 9];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextDouble() < density ? (float) random.nextGaussian() : 0f;
            }
            ConvOp op = ConvOp.of("probe", w, channels, channels, window, new float[channels]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "conv %d ch %dx%d kept %.2f:", channels, size,
                    size, density));
            for (int batch : BATCHES) {
                Activations x = input(random, batch, new int[] {channels, size, size});
                for (String kernel : new String[] {KernelRule.SPARSE, KernelRule.DENSE_ND4J}) {
                    line.append(String.format(Locale.ROOT, " b%d %s %.1f", batch, kernel,
                            best(() -> op.apply(x, null, kernel))));
                }
            }
            System.out.println(line);
        }
    }

    /** The two sparse convolution loops: example by example over an im2col, and the batch as the inner loop. */
    private static void sparseConv(int in, int out, int size) {
        Window window = new Window(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, false);
        for (double density : new double[] {0.05, 0.1, 0.2}) {
            Random random = new Random(1);
            float[] w = new float[in * out * 9];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextDouble() < density ? (float) random.nextGaussian() : 0f;
            }
            ConvOp op = ConvOp.of("probe", w, in, out, window, new float[out]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "sparse conv %d->%d %dx%d kept %.2f:", in,
                    out, size, size, density));
            for (int batch : new int[] {8, 16, 32, 64}) {
                Activations x = input(random, batch, new int[] {in, size, size});
                line.append(String.format(Locale.ROOT, " b%d by-example %.1f batched %.1f", batch,
                        best(() -> op.applySparseByExample(x)), best(() -> op.applySparseBatched(x))));
            }
            System.out.println(line);
        }
    }

    private static Activations input(Random random, int batch, int[] dims) {
        float[] data = new float[batch * Activations.features(dims)];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        return new Activations(data, batch, dims, false);
    }

    /** Microseconds: the fastest of at least 5 calls and about 0.4 s of calls, after as many to warm up. */
    private static double best(Runnable call) {
        for (int pass = 0; pass < 2; pass++) {
            long best = Long.MAX_VALUE;
            long begin = System.nanoTime();
            for (int rep = 0; rep < 5 || System.nanoTime() - begin < 200_000_000L; rep++) {
                long t = System.nanoTime();
                call.run();
                best = Math.min(best, System.nanoTime() - t);
            }
            if (pass == 1) {
                return best / 1e3;
            }
        }
        throw new AssertionError();
    }
}

package org.lottery4j.inference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which kernel a layer with weights runs for a call: its sparse kernel, or a dense one
 * ({@code dense-nd4j} when an ND4J CPU backend is present, {@code dense-java} otherwise), chosen
 * by a fixed rule on the fraction of weights kept and the batch size, never by timing at run time:
 * the same model, batch size and classpath always run the same kernels, so give the same bits.
 */
final class KernelRule {

    static final String SPARSE = "sparse";
    static final String DENSE_ND4J = "dense-nd4j";
    static final String DENSE_JAVA = "dense-java";

    private static final Logger LOG = LoggerFactory.getLogger(KernelRule.class);

    private KernelRule() {}

    /** Whether ND4J's CPU backend is on the classpath and loads; found out once, on first use. */
    static boolean nd4j() {
        return Backend.PRESENT;
    }

    // A holder class, so that the backend is looked for only when a kernel is first chosen.
    private static final class Backend {
        static final boolean PRESENT = detect();

        private static boolean detect() {
            try {
                // only the CPU backend: on a GPU each product would copy the activations there and back
                Class.forName("org.nd4j.linalg.cpu.nativecpu.CpuBackend", false, KernelRule.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
            try {
                String backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
                return backend.equals("CpuBackend");
            } catch (RuntimeException | LinkageError e) { // its native library did not load: one line, no trace
                LOG.info("ND4J's CPU backend is on the classpath but does not load ({}); sparse models run dense"
                        + " layers in plain Java", e.toString());
                return false;
            }
        }
    }

    // The rule, from KernelRuleProbe on one core (2026-12-07, OpenJDK 17.0.15, AMD EPYC with AVX-512,
    // the linux-x86_64-onednn-avx2 build):
    //   OMP_NUM_THREADS=1 taskset -c 0 java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.inference.KernelRuleProbe linear
    //   OMP_NUM_THREADS=1 taskset -c 0 java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.inference.KernelRuleProbe conv
    // Fractions of weights kept from which the dense kernel was faster, layers 784x300, 300x100 and 4096x4096:
    //   batch 1: the plain-Java dense product from 0.12, 0.15, 0.28 (ND4J's gemv is no faster: 1.9 against
    //     1.5 ms on 4096x4096, and costs about 20 us a call on small layers), so dense-java from 0.25
    //   batch 8: ND4J from 0.12, 0.4 (its 25 us a call on 300x100), 0.09; plain Java from 0.13, 0.17, 0.19
    //   batch 64: ND4J from 0.2, 0.5, 0.1; plain Java from 0.5, 0.55, 0.45
    // Convolutions 3x3, 64 channels on 28x28, 16 on 32x32, 64 on 8x8 (ND4J's conv2d, oneDNN):
    //   batch 1: from 0.18, 0.85, 0.3; batch 8: 0.17, 0.35, 0.07; batch 64: 0.17, 0.3, 0.04 (the sparse
    //   loop runs over the output plane, short on 8x8: below 256 positions it pays from 0.05)
    // Where the layers disagree, the threshold favours the large layers, where the time goes.
    static final double LINEAR_BATCH1_JAVA = 0.25;
    static final double LINEAR_SMALL_BATCH_ND4J = 0.12;
    static final double LINEAR_SMALL_BATCH_JAVA = 0.15;
    static final double LINEAR_LARGE_BATCH_ND4J = 0.15;
    static final double LINEAR_LARGE_BATCH_JAVA = 0.45;
    static final int LARGE_BATCH = 32;
    static final double CONV_BATCH1_ND4J = 0.25;
    static final double CONV_BATCH_ND4J = 0.15;
    static final double CONV_SMALL_PLANE_ND4J = 0.05;
    static final int SMALL_PLANE = 256;

    /**
     * The kernel of a fully connected layer of {@code weights} weights, {@code nonZeros} kept, for
     * {@code batch} examples: batch 1, dense-java from {@value #LINEAR_BATCH1_JAVA} of the weights
     * kept; batches under {@value #LARGE_BATCH}, dense-nd4j from {@value #LINEAR_SMALL_BATCH_ND4J}
     * (dense-java from {@value #LINEAR_SMALL_BATCH_JAVA} without ND4J); larger batches, dense-nd4j
     * from {@value #LINEAR_LARGE_BATCH_ND4J} (dense-java from {@value #LINEAR_LARGE_BATCH_JAVA});
     * else sparse. Layers whose dense weights do not fit one Java array stay sparse.
     */
    static String linear(long weights, long nonZeros, int batch, boolean nd4j) {
        if (weights > Integer.MAX_VALUE - 8) {
            return SPARSE;
        }
        double kept = (double) nonZeros / weights;
        if (batch == 1) {
            return kept >= LINEAR_BATCH1_JAVA ? DENSE_JAVA : SPARSE;
        }
        boolean large = batch >= LARGE_BATCH;
        if (nd4j) {
            return kept >= (large ? LINEAR_LARGE_BATCH_ND4J : LINEAR_SMALL_BATCH_ND4J) ? DENSE_ND4J : SPARSE;
        }
        return kept >= (large ? LINEAR_LARGE_BATCH_JAVA : LINEAR_SMALL_BATCH_JAVA) ? DENSE_JAVA : SPARSE;
    }

    /**
     * The kernel of a convolution of {@code weights} weights, {@code nonZeros} kept, for
     * {@code batch} examples with {@code plane} output positions per channel: dense-nd4j where
     * ND4J can run it ({@code nd4j}) from {@value #CONV_BATCH1_ND4J} of the weights kept at batch
     * 1, from {@value #CONV_BATCH_ND4J} at larger batches, or from {@value #CONV_SMALL_PLANE_ND4J}
     * when the plane has fewer than {@value #SMALL_PLANE} positions; else sparse (its loop serves
     * dense filters too, so there is no plain-Java dense convolution).
     */
    static String conv(long weights, long nonZeros, int batch, int plane, boolean nd4j) {
        if (!nd4j || weights > Integer.MAX_VALUE - 8) {
            return SPARSE;
        }
        double kept = (double) nonZeros / weights;
        double threshold = batch == 1 ? CONV_BATCH1_ND4J : plane < SMALL_PLANE ? CONV_SMALL_PLANE_ND4J : CONV_BATCH_ND4J;
        return kept >= threshold ? DENSE_ND4J : SPARSE;
    }
}

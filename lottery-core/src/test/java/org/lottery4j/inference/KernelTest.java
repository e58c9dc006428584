package org.lottery4j.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.lottery4j.testing.Nets;

/** The kernels a layer can run, against naive references and each other, and the rule that picks one. */
class KernelTest {

    private static final int[] BATCHES = {1, 3, 8, 17, 64};

    /** A random layer with {@code kept} of its weights; output 2 loses all of them when {@code emptyOutput}. */
    private static float[] weights(int nIn, int nOut, double kept, boolean emptyOutput, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[nIn * nOut];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextDouble() < kept ? (float) random.nextGaussian() : 0f;
        }
        if (emptyOutput) {
            for (int i = 0; i < nIn; i++) {
                w[i * nOut + 2] = 0f;
            }
        }
        return w;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** The sparse kernels' order, naively: bias, then each output's kept weights four at a time, then one by one. */
    private static float[] sparseOrder(float[] w, int nIn, int nOut, float[] bias, float[] x, int batch) {
        float[] y = new float[batch * nOut];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < nOut; j++) {
                List<Integer> kept = new ArrayList<>();
                for (int i = 0; i < nIn; i++) {
                    if (w[i * nOut + j] != 0f) {
                        kept.add(i);
                    }
                }
                float acc = bias[j];
                int p = 0;
                for (; p + 3 < kept.size(); p += 4) {
                    float s = w[kept.get(p) * nOut + j] * x[b * nIn + kept.get(p)];
                    for (int q = 1; q < 4; q++) {
                        s += w[kept.get(p + q) * nOut + j] * x[b * nIn + kept.get(p + q)];
                    }
                    acc += s;
                }
                for (; p < kept.size(); p++) {
                    acc += w[kept.get(p) * nOut + j] * x[b * nIn + kept.get(p)];
                }
                y[b * nOut + j] = acc;
            }
        }
        return y;
    }

    /** x W + b in double: the exact sum, up to one rounding. */
    private static double[] exact(float[] w, int nIn, int nOut, float[] bias, float[] x, int batch) {
        double[] y = new double[batch * nOut];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < nOut; j++) {
                double acc = bias[j];
                for (int i = 0; i < nIn; i++) {
                    acc += (double) w[i * nOut + j] * x[b * nIn + i];
                }
                y[b * nOut + j] = acc;
            }
        }
        return y;
    }

    private static float[] run(LinearOp op, float[] x, int batch, String kernel) {
        return op.apply(new Activations(x, batch, new int[] {op.linear().nIn()}, false), null, kernel).exampleMajor().data;
    }

    @Test
    void everyLinearKernelComputesTheProductAtEveryBatchAndDensity() {
        int nIn = 45; // not a multiple of 4
        int nOut = 13;
        for (double kept : new double[] {0, 0.1, 0.5, 1}) {
            float[] w = weights(nIn, nOut, kept, kept > 0 && kept < 1, 7);
            float[] bias = random(nOut, 8);
            LinearOp op = new LinearOp("fc", SparseLinear.of(w, nIn, nOut, bias));
            for (int batch : BATCHES) {
                float[] x = random(batch * nIn, batch);
                float[] order = sparseOrder(w, nIn, nOut, bias, x, batch);
                double[] exact = exact(w, nIn, nOut, bias, x, batch);
                float[] sparse = run(op, x, batch, KernelRule.SPARSE);
                // the sparse kernels, batch 1 and batched alike, sum in the documented order: the same bits
                assertThat(Nets.bits(sparse)).as("sparse, kept %s, batch %d", kept, batch).containsExactly(Nets.bits(order));
                for (String kernel : new String[] {KernelRule.DENSE_JAVA, KernelRule.DENSE_ND4J}) {
                    float[] dense = run(op, x, batch, kernel);
                    for (int k = 0; k < dense.length; k++) {
                        assertThat((double) dense[k]).as("%s, kept %s, batch %d [%d]", kernel, kept, batch, k)
                                .isCloseTo(exact[k], within(1e-5 * (1 + Math.abs(exact[k]))));
                    }
                    if (kept == 1 && kernel.equals(KernelRule.DENSE_JAVA)) { // no zeros: the same order as the sparse kernels
                        assertThat(Nets.bits(dense)).as("dense-java, dense layer, batch %d", batch)
                                .containsExactly(Nets.bits(sparse));
                    }
                    if (kept == 0) {
                        for (int b = 0; b < batch; b++) {
                            assertThat(Arrays.copyOfRange(dense, b * nOut, (b + 1) * nOut)).containsExactly(bias);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theDenseJavaProductBlocksRowsWithoutChangingTheSums() {
        int nIn = 203; // several row blocks and a ragged last one
        int nOut = 70;
        float[] w = weights(nIn, nOut, 1, false, 3);
        float[] bias = random(nOut, 4);
        LinearOp op = new LinearOp("fc", SparseLinear.of(w, nIn, nOut, bias));
        for (int batch : BATCHES) {
            float[] x = random(batch * nIn, 100 + batch);
            assertThat(Nets.bits(run(op, x, batch, KernelRule.DENSE_JAVA))).as("batch %d", batch)
                    .containsExactly(Nets.bits(sparseOrder(w, nIn, nOut, bias, x, batch)));
        }
    }

    /** A convolution done naively, in double, NCHW, with explicit pads. */
    private static double[] naiveConv(float[] w, float[] bias, float[] x, int batch, int in, int out, int h, int wd,
            int[] k, int[] s, int[] d, int[] pads, int outH, int outW) {
        double[] y = new double[batch * out * outH * outW];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double acc = bias[o];
                        for (int c = 0; c < in; c++) {
                            for (int ky = 0; ky < k[0]; ky++) {
                                for (int kx = 0; kx < k[1]; kx++) {
                                    int iy = oy * s[0] + ky * d[0] - pads[0];
                                    int ix = ox * s[1] + kx * d[1] - pads[1];
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        acc += (double) w[((o * in + c) * k[0] + ky) * k[1] + kx]
                                                * x[((b * in + c) * h + iy) * wd + ix];
                                    }
                                }
                            }
                        }
                        y[((b * out + o) * outH + oy) * outW + ox] = acc;
                    }
                }
            }
        }
        return y;
    }

    @Test
    void convolutionKernelsComputeTheConvolutionWithPaddingStrideAndDilation() {
        int in = 3;
        int out = 5;
        int h = 11;
        int wd = 9;
        int[][][] windows = { // kernel, stride, dilation, pads (top, left, bottom, right)
            {{3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
            {{3, 2}, {2, 1}, {1, 1}, {0, 0, 0, 0}},
            {{3, 3}, {1, 2}, {2, 1}, {2, 1, 2, 1}}, // dilated: the rule keeps it sparse
            {{3, 3}, {2, 2}, {1, 1}, {2, 1, 2, 1}},
            {{2, 3}, {1, 1}, {1, 1}, {1, 0, 0, 2}}, // uneven: ND4J cannot run it, the rule keeps it sparse
        };
        for (int[][] win : windows) {
            Window window = new Window(win[0], win[1], win[2], win[3], false);
            int[] g = window.geometry(h, wd);
            boolean even = win[3][0] == win[3][2] && win[3][1] == win[3][3] && win[2][0] == 1 && win[2][1] == 1;
            for (double kept : new double[] {0, 0.1, 1}) {
                float[] w = new float[out * in * win[0][0] * win[0][1]];
                SplittableRandom random = new SplittableRandom(5);
                for (int i = 0; i < w.length; i++) {
                    w[i] = random.nextDouble() < kept ? (float) random.nextGaussian() : 0f;
                }
                float[] bias = random(out, 6);
                ConvOp op = ConvOp.of("conv", w, in, out, window, bias);
                for (int batch : new int[] {1, 3, 17}) {
                    float[] x = random(batch * in * h * wd, batch);
                    double[] expected = naiveConv(w, bias, x, batch, in, out, h, wd, win[0], win[1], win[2], win[3], g[0], g[1]);
                    Activations a = new Activations(x, batch, new int[] {in, h, wd}, false);
                    List<String> kernels = even ? List.of(KernelRule.SPARSE, KernelRule.DENSE_ND4J) : List.of(KernelRule.SPARSE);
                    assertThat(op.kernel(a.dims, batch, true)).isIn(kernels);
                    for (String kernel : kernels) {
                        float[] got = op.apply(a, null, kernel).exampleMajor().data;
                        assertThat(got).hasSize(expected.length);
                        for (int i = 0; i < got.length; i++) {
                            assertThat((double) got[i]).as("%s, window %s, kept %s, batch %d [%d]", kernel,
                                    Arrays.deepToString(win), kept, batch, i)
                                    .isCloseTo(expected[i], within(1e-5 * (1 + Math.abs(expected[i]))));
                        }
                    }
                    // the sparse loop with the batch inside (which large batches on small planes run): each
                    // example's bits are those it gets alone
                    float[] batched = op.applySparseBatched(a).exampleMajor().data;
                    assertThat(batched).hasSize(expected.length);
                    int n = batched.length / batch;
                    for (int b = 0; b < batch; b++) {
                        float[] alone = op.apply(new Activations(Arrays.copyOfRange(x, b * in * h * wd, (b + 1) * in * h * wd),
                                1, new int[] {in, h, wd}, false), null, KernelRule.SPARSE).data;
                        assertThat(Nets.bits(Arrays.copyOfRange(batched, b * n, (b + 1) * n)))
                                .as("window %s, kept %s, example %d of %d", Arrays.deepToString(win), kept, b, batch)
                                .containsExactly(Nets.bits(alone));
                    }
                }
            }
        }
    }

    @Test
    void aSparseConvolutionCalledAgainOnInputsOfOtherSizesComputesEachOneAlike() {
        Window window = new Window(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, false);
        float[] w = random(4 * 2 * 9, 8);
        float[] bias = random(4, 9);
        ConvOp op = ConvOp.of("conv", w, 2, 4, window, bias);
        int[][] sizes = {{11, 9}, {7, 5}, {11, 9}, {6, 6}};
        for (int k = 0; k < sizes.length; k++) {
            int h = sizes[k][0];
            int wd = sizes[k][1];
            float[] x = random(2 * h * wd, 20 + k);
            double[] expected = naiveConv(w, bias, x, 1, 2, 4, h, wd, new int[] {3, 3}, new int[] {1, 1},
                    new int[] {1, 1}, new int[] {1, 1, 1, 1}, h, wd);
            float[] got = op.applySparseByExample(new Activations(x, 1, new int[] {2, h, wd}, false)).data;
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).as("call %d (%dx%d) [%d]", k, h, wd, i)
                        .isCloseTo(expected[i], within(1e-5 * (1 + Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void theRuleReturnsWhatItsThresholdsSay() {
        long n = 1000;
        for (boolean nd4j : new boolean[] {true, false}) {
            // batch 1: the plain-Java dense product from LINEAR_BATCH1_JAVA, with or without ND4J
            assertThat(KernelRule.linear(n, 249, 1, nd4j)).isEqualTo(KernelRule.SPARSE);
            assertThat(KernelRule.linear(n, 250, 1, nd4j)).isEqualTo(KernelRule.DENSE_JAVA);
            assertThat(KernelRule.linear(n, 0, 1, nd4j)).isEqualTo(KernelRule.SPARSE);
        }
        assertThat(KernelRule.LINEAR_BATCH1_JAVA).isEqualTo(0.25);
        for (int batch : new int[] {2, 8, 31}) {
            assertThat(KernelRule.linear(n, 119, batch, true)).isEqualTo(KernelRule.SPARSE);
            assertThat(KernelRule.linear(n, 120, batch, true)).isEqualTo(KernelRule.DENSE_ND4J);
            assertThat(KernelRule.linear(n, 149, batch, false)).isEqualTo(KernelRule.SPARSE);
            assertThat(KernelRule.linear(n, 150, batch, false)).isEqualTo(KernelRule.DENSE_JAVA);
        }
        for (int batch : new int[] {32, 64, 1000}) {
            assertThat(KernelRule.linear(n, 149, batch, true)).isEqualTo(KernelRule.SPARSE);
            assertThat(KernelRule.linear(n, 150, batch, true)).isEqualTo(KernelRule.DENSE_ND4J);
            assertThat(KernelRule.linear(n, 449, batch, false)).isEqualTo(KernelRule.SPARSE);
            assertThat(KernelRule.linear(n, 450, batch, false)).isEqualTo(KernelRule.DENSE_JAVA);
        }
        assertThat(KernelRule.linear((long) Integer.MAX_VALUE + 1, (long) Integer.MAX_VALUE + 1, 64, true))
                .as("too large for one dense array").isEqualTo(KernelRule.SPARSE);
        // convolutions: ND4J's conv2d or the sparse loop, which also serves dense filters without ND4J
        assertThat(KernelRule.conv(n, 1000, 64, 784, false)).isEqualTo(KernelRule.SPARSE);
        assertThat(KernelRule.conv(n, 249, 1, 784, true)).isEqualTo(KernelRule.SPARSE);
        assertThat(KernelRule.conv(n, 250, 1, 784, true)).isEqualTo(KernelRule.DENSE_ND4J);
        assertThat(KernelRule.conv(n, 149, 8, 256, true)).isEqualTo(KernelRule.SPARSE);
        assertThat(KernelRule.conv(n, 150, 8, 256, true)).isEqualTo(KernelRule.DENSE_ND4J);
        assertThat(KernelRule.conv(n, 49, 64, 255, true)).isEqualTo(KernelRule.SPARSE);
        assertThat(KernelRule.conv(n, 50, 64, 255, true)).isEqualTo(KernelRule.DENSE_ND4J);
    }

    @Test
    void kernelsNamesWhatEachStepRuns() {
        MultiLayerNetwork net = Nets.lenet(3);
        SparseModelTest.prune(net, 0.9, 5);
        SparseModel sparse = SparseModel.of(net);
        assertThat(KernelRule.nd4j()).as("the tests run on ND4J's CPU backend").isTrue();
        List<String> kinds = sparse.steps().stream().map(SparseModel.Step::kind).toList();
        for (int batch : BATCHES) {
            List<String> kernels = sparse.kernels(batch);
            assertThat(kernels).hasSameSizeAs(kinds);
            for (int i = 0; i < kinds.size(); i++) {
                assertThat(kernels.get(i)).isEqualTo(kinds.get(i).equals("linear") ? "sparse" : "java");
            }
        }
        SparseModel dense = SparseModel.of(Nets.lenet(3));
        assertThat(dense.kernels(1)).containsExactly("dense-java", "java", "dense-java", "java", "dense-java", "java");
        assertThat(dense.kernels(64)).containsExactly("dense-nd4j", "java", "dense-nd4j", "java", "dense-nd4j", "java");
        assertThatThrownBy(() -> dense.kernels(0))
                .hasMessage("batch must be at least 1, got 0");
    }

    @Test
    void theNd4jAndPlainJavaDenseKernelsGiveTheSameClassesAndOutputs() {
        MultiLayerNetwork net = Nets.lenet(11);
        SparseModelTest.prune(net, 0.5, 2);
        SparseModel model = SparseModel.of(net);
        for (int batch : BATCHES) {
            float[] x = SparseModelTest.randomInput(batch, batch, 784).dup('c').data().asFloat();
            float[] nd4j = forward(model, x, batch, KernelRule.DENSE_ND4J);
            float[] java = forward(model, x, batch, KernelRule.DENSE_JAVA);
            float[] rule = model.output(x, batch);
            for (int i = 0; i < nd4j.length; i++) {
                assertThat(java[i]).as("batch %d [%d]", batch, i).isCloseTo(nd4j[i], within(1e-5f));
                assertThat(rule[i]).isCloseTo(nd4j[i], within(1e-5f));
            }
            for (int b = 0; b < batch; b++) {
                assertThat(argmax(java, b, 10)).as("class of example %d", b).isEqualTo(argmax(nd4j, b, 10));
            }
        }
    }

    private static float[] forward(SparseModel model, float[] input, int batch, String kernel) {
        Activations x = new Activations(input, batch, model.inputShape(), false);
        for (Op op : model.ops()) {
            x = op instanceof LinearOp linear ? linear.apply(x, null, kernel) : op.apply(x, null);
        }
        return x.exampleMajor().data;
    }

    private static int argmax(float[] y, int b, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            best = y[b * n + j] > y[b * n + best] ? j : best;
        }
        return best;
    }
}

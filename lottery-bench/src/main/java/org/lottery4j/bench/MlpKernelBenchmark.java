package org.lottery4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.inference.SparseLinear;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The plain-Java yardsticks of {@link SparseInferenceBenchmark} for its MLPs, on the same pruned
 * weights and inputs (same seeds, same grid): {@code javaDense} is a dense kernel with the sparse
 * kernel's loop structure and no indices (the honest baseline without DL4J's per-call overhead),
 * and {@code floor} one read of everything the sparse model stores (values, 16-bit indices,
 * column starts): no kernel that reads its weights once can beat it. They live apart from
 * {@code SparseInferenceBenchmark} because they exist for fully connected layers only and JMH
 * cannot leave a parameter value out for some benchmarks of a class: here {@code model} takes the
 * MLPs alone. (BENCHMARKS.md's earlier runs, from when they were methods of
 * {@code SparseInferenceBenchmark}, name them {@code SparseInferenceBenchmark.javaDense} and {@code .floor}.)
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -jar lottery-bench/target/lottery-bench.jar MlpKernelBenchmark -rf json -rff mlp-kernels.json
 * OMP_NUM_THREADS=1 java -jar lottery-bench/target/lottery-bench.jar 'MlpKernelBenchmark.floor$' -p model=mlp4096 -p batch=1 -p sparsity=0.9
 * </pre>
 *
 * <p>72 runs of about 10 s each ({@code SparseInferenceTable} puts them beside the other engines
 * when both benchmarks write one JSON file: {@code 'SparseInferenceBenchmark|MlpKernelBenchmark'}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class MlpKernelBenchmark {

    @Param({"lenet", "mlp4096"})
    public String model;

    @Param({"0", "0.5", "0.8", "0.9", "0.95", "0.98"})
    public double sparsity;

    @Param({"1", "8", "64"})
    public int batch;

    private float[] x;
    private List<DenseKernel> dense;
    private List<SparseLinear> stored;

    @Setup(Level.Trial)
    public void setUp() {
        MultiLayerNetwork net = (MultiLayerNetwork) BenchNets.prunedInferenceNet(model, sparsity);
        dense = new ArrayList<>();
        stored = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            INDArray w = layer.getParam("W"); // [nIn, nOut]
            DenseKernel d = DenseKernel.of(w.dup('c').data().asFloat(), (int) w.size(0), (int) w.size(1),
                    layer.getParam("b").dup('c').data().asFloat());
            dense.add(d);
            stored.add(d.sparse());
        }
        x = BenchNets.inferenceInput(batch, net.layerInputSize(0)).dup('c').data().asFloat();
    }

    @Benchmark
    public float[] javaDense() {
        float[] h = DenseKernel.toBatchMajor(x, batch, dense.get(0).nIn());
        for (int l = 0; l < dense.size(); l++) {
            h = dense.get(l).apply(h, batch, l < dense.size() - 1);
        }
        return DenseKernel.softmaxRows(h, batch, dense.get(dense.size() - 1).nOut());
    }

    @Benchmark
    public int floor() {
        int acc = 0;
        for (SparseLinear s : stored) {
            acc += readOnce(s.values(), s.rows(), s.start());
        }
        return acc;
    }

    // Sums the bits of every stored value, index and start: one read of each, in int adds the JIT
    // vectorizes (one loop over values and indices together measured fastest: 20 GB/s here).
    private static int readOnce(float[] values, char[] rows, int[] start) {
        int a = 0;
        for (int p = 0; p < values.length; p++) {
            a += Float.floatToRawIntBits(values[p]) + rows[p];
        }
        for (int s : start) {
            a += s;
        }
        return a;
    }

    /** A dense layer in plain Java: W transposed ([nOut][nIn], each output's weights contiguous), batch-major activations. */
    record DenseKernel(int nIn, int nOut, float[] wt, float[] bias) {

        static DenseKernel of(float[] w, int nIn, int nOut, float[] bias) {
            float[] wt = new float[w.length];
            for (int i = 0; i < nIn; i++) {
                for (int j = 0; j < nOut; j++) {
                    wt[j * nIn + i] = w[i * nOut + j];
                }
            }
            return new DenseKernel(nIn, nOut, wt, bias);
        }

        SparseLinear sparse() {
            return SparseLinear.ofTransposed(wt, nIn, nOut, bias);
        }

        static float[] toBatchMajor(float[] x, int batch, int n) {
            if (batch == 1) {
                return x;
            }
            float[] out = new float[x.length];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < n; i++) {
                    out[i * batch + b] = x[b * n + i];
                }
            }
            return out;
        }

        float[] apply(float[] x, int batch, boolean relu) {
            float[] y = new float[nOut * batch];
            if (batch == 1) {
                for (int j = 0; j < nOut; j++) {
                    int o = j * nIn;
                    float acc = bias[j];
                    int i = 0;
                    for (; i + 3 < nIn; i += 4) {
                        acc += wt[o + i] * x[i] + wt[o + i + 1] * x[i + 1] + wt[o + i + 2] * x[i + 2]
                                + wt[o + i + 3] * x[i + 3];
                    }
                    for (; i < nIn; i++) {
                        acc += wt[o + i] * x[i];
                    }
                    y[j] = relu && acc < 0 ? 0 : acc;
                }
                return y;
            }
            // one array per input, as the sparse kernel reads them (the form HotSpot vectorizes)
            float[][] rows = new float[nIn][];
            for (int i = 0; i < nIn; i++) {
                rows[i] = Arrays.copyOfRange(x, i * batch, (i + 1) * batch);
            }
            float[] acc = new float[batch];
            for (int j = 0; j < nOut; j++) {
                Arrays.fill(acc, bias[j]);
                int w = j * nIn;
                int i = 0;
                for (; i + 3 < nIn; i += 4) {
                    float w0 = wt[w + i];
                    float w1 = wt[w + i + 1];
                    float w2 = wt[w + i + 2];
                    float w3 = wt[w + i + 3];
                    float[] x0 = rows[i];
                    float[] x1 = rows[i + 1];
                    float[] x2 = rows[i + 2];
                    float[] x3 = rows[i + 3];
                    for (int b = 0; b < batch; b++) {
                        acc[b] += w0 * x0[b] + w1 * x1[b] + w2 * x2[b] + w3 * x3[b];
                    }
                }
                for (; i < nIn; i++) {
                    float wi = wt[w + i];
                    float[] xi = rows[i];
                    for (int b = 0; b < batch; b++) {
                        acc[b] += wi * xi[b];
                    }
                }
                for (int b = 0; b < batch; b++) {
                    y[j * batch + b] = relu && acc[b] < 0 ? 0 : acc[b];
                }
            }
            return y;
        }

        static float[] softmaxRows(float[] h, int batch, int n) {
            float[] out = new float[h.length];
            for (int b = 0; b < batch; b++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, h[j * batch + b]);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp(h[j * batch + b] - max);
                }
                for (int j = 0; j < n; j++) {
                    out[b * n + j] = (float) (Math.exp(h[j * batch + b] - max) / sum);
                }
            }
            return out;
        }
    }
}

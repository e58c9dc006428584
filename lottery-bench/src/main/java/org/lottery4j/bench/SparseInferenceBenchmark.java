package org.lottery4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.export.OnnxExporter;
import org.lottery4j.inference.SparseModel;
import org.lottery4j.runtime.RuntimeSettings;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Latency of one forward pass of a pruned network on the CPU, per call, by engine:
 * <ul>
 *   <li>{@code dl4j}: DL4J's {@code output()} on the dense weights (zeros included), with the
 *       examples' settings (JavaCPP's memory check off, the oneDNN layer helpers on where the
 *       build has them);
 *   <li>{@code ortDense}: ONNX Runtime (the {@code onnxruntime} jar, 1.19.2, CPU provider) running
 *       the network as lottery4j's {@link OnnxExporter} writes it, dense with its zeros, one
 *       intra-op and one inter-op thread, default graph optimizations: the yardstick of a
 *       production dense runtime; {@code ortDenseTwoThreads} the same with two intra-op threads
 *       (ONNX Runtime's default lets them spin between calls). The input tensor is made once; each
 *       call copies the output out, as {@code SparseModel.output} returns it, and frees the result;
 *   <li>{@code sparse}: the {@link SparseModel}, which computes with the kept weights only;
 *       {@code sparseTwoThreads} with {@code withThreads(2)}.
 * </ul>
 * Models: LeNet-300-100 ({@code lenet}, 784-300-100-10), an MLP with 4096-wide layers
 * ({@code mlp4096}, 4096-4096-4096-10, 134 MB of dense weights: memory-bound at batch 1), the
 * examples' Conv-2 for MNIST digits ({@code conv2}, 1x28x28, as {@code --dataset mnist} builds it)
 * and ResNet-20 for CIFAR-10 ({@code resnet20}, 3x32x32, a residual {@code ComputationGraph}).
 * Every weight matrix and convolution kernel has exactly {@code round(sparsity * n)} of its
 * {@code n} weights zeroed at random (seeded); biases and batch normalization are left alone, but
 * ResNet-20's batch normalization then takes the statistics of 32 random images, without which
 * its untrained activations saturate the softmax ({@code BenchNets.prunedInferenceNet}). The
 * input is {@code batch} flat examples of uniform values, {@code [batch, C*H*W]} row-major for
 * the convolutional models, which all three engines take as they are (the networks' first layer
 * reshapes them to NCHW, and the exported ONNX graph starts with that Reshape). The plain-Java
 * yardsticks of the MLPs, {@code javaDense} and {@code floor}, are in {@link MlpKernelBenchmark}.
 *
 * <p>Each trial builds only the engine it measures, and its setup checks that engine against
 * DL4J on the benchmark's input (fails the trial otherwise, and prints the largest difference to
 * standard error): the same class for every example, unless DL4J's two best classes are within
 * the tolerance of each other (a tie at float precision, counted in the message), and at most
 * {@value #TOLERANCE} between any two softmax outputs. {@code SparseModel} does not take residual
 * graphs yet, so until it does the {@code resnet20} trials of {@code sparse} and
 * {@code sparseTwoThreads} fail in setup with its message and JMH goes on with the next.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -jar lottery-bench/target/lottery-bench.jar 'SparseInferenceBenchmark|MlpKernelBenchmark' -rf json -rff sparse-full.json
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.SparseInferenceTable sparse-full.json
 * OMP_NUM_THREADS=1 java -jar lottery-bench/target/lottery-bench.jar 'SparseInferenceBenchmark.(dl4j|ortDense|sparse)$' -p model=conv2 -p sparsity=0.9 -p batch=1
 * </pre>
 *
 * <p>360 runs (4 models, 6 sparsities, 3 batches, 5 engines), plus {@code MlpKernelBenchmark}'s
 * 72: about an hour and a half on 2 cores (180 runs with 2 warm-up and 3 measured iterations took
 * 23 minutes on 2026-12-07; BENCHMARKS.md has that command); {@code --quick} measures lenet and conv2 at 90% pruned, batch 1 and 64,
 * only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class SparseInferenceBenchmark {

    /** The largest difference allowed between an engine's softmax outputs and DL4J's. */
    static final double TOLERANCE = 1e-5;

    @Param({"lenet", "mlp4096", "conv2", "resnet20"})
    public String model;

    @Param({"0", "0.5", "0.8", "0.9", "0.95", "0.98"})
    public double sparsity;

    @Param({"1", "8", "64"})
    public int batch;

    private MultiLayerNetwork chain;
    private ComputationGraph graph;
    private INDArray input;
    private float[] x;
    private SparseModel sparse;
    private OrtSession.SessionOptions ortOptions;
    private OrtSession ort;
    private OnnxTensor ortInput;
    private Map<String, OnnxTensor> ortFeed;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws OrtException {
        // as the examples' main does, before ND4J loads and before any layer is created
        RuntimeSettings.disableMemoryCheck();
        RuntimeSettings.enableOneDnnHelpers();
        Model net = BenchNets.prunedInferenceNet(model, sparsity);
        if (net instanceof ComputationGraph g) {
            graph = g;
        } else {
            chain = (MultiLayerNetwork) net;
        }
        input = BenchNets.inferenceInput(batch, BenchNets.inferenceFeatures(model));
        x = input.dup('c').data().asFloat();
        String engine = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        switch (engine) {
            case "dl4j" -> { } // the reference: nothing to check
            case "ortDense", "ortDenseTwoThreads" -> {
                ort = ortSession(net, engine.equals("ortDense") ? 1 : 2);
                checkParity(engine, runOrt());
            }
            case "sparse", "sparseTwoThreads" -> {
                // the input shape comes from the network's configuration: flat C*H*W for the
                // convolutional models, whose first layer has the reshaping preprocessor
                SparseModel one = SparseModel.of(net);
                sparse = engine.equals("sparse") ? one : one.withThreads(2);
                checkParity(engine, sparse.output(x, batch));
            }
            default -> throw new IllegalStateException("no setup for benchmark " + engine);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        if (ort != null) {
            ortInput.close();
            ort.close();
            ortOptions.close();
        }
    }

    @Benchmark
    public INDArray dl4j() {
        return chain != null ? chain.output(input) : graph.outputSingle(input);
    }

    /** ONNX Runtime, one intra-op and one inter-op thread. */
    @Benchmark
    public float[] ortDense() throws OrtException {
        return runOrt();
    }

    /** ONNX Runtime, two intra-op threads. */
    @Benchmark
    public float[] ortDenseTwoThreads() throws OrtException {
        return runOrt();
    }

    @Benchmark
    public float[] sparse() {
        return sparse.output(x, batch);
    }

    /** The sparse model with {@code withThreads(2)}: its fully connected products split over two threads. */
    @Benchmark
    public float[] sparseTwoThreads() {
        return sparse.output(x, batch);
    }

    // One call, its output copied out as SparseModel.output returns it; the result (the output
    // tensor's native memory) is freed per call, the input tensor is made once in setup.
    private float[] runOrt() throws OrtException {
        try (OrtSession.Result result = ort.run(ortFeed)) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }

    private OrtSession ortSession(Model net, int intraOpThreads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] onnx = OnnxExporter.builder().build().toModel(net).toByteArray();
        ortOptions = new OrtSession.SessionOptions();
        ortOptions.setIntraOpNumThreads(intraOpThreads);
        ortOptions.setInterOpNumThreads(1);
        OrtSession session = env.createSession(onnx, ortOptions);
        String name = session.getInputNames().iterator().next();
        long[] shape = ((TensorInfo) session.getInputInfo().get(name).getInfo()).getShape().clone();
        shape[0] = batch; // the batch dimension is the graph's only unknown one
        ortInput = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
        ortFeed = Map.of(name, ortInput);
        return session;
    }

    // The engine's outputs against DL4J's on this trial's input: same class for every example (a
    // tie in DL4J's output within the tolerance may go either way), softmax outputs within TOLERANCE.
    private void checkParity(String engine, float[] actual) {
        float[] expected = dl4j().dup('c').data().asFloat();
        String what = String.format(Locale.ROOT, "%s on %s at sparsity %s, batch %d", engine, model, sparsity, batch);
        if (actual.length != expected.length) {
            throw new IllegalStateException(what + ": " + actual.length + " outputs, DL4J gives " + expected.length);
        }
        int classes = expected.length / batch;
        double max = 0;
        int ties = 0;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, Math.abs((double) actual[b * classes + j] - expected[b * classes + j]));
            }
            int want = argmax(expected, b, classes);
            int got = argmax(actual, b, classes);
            if (got != want) {
                if (expected[b * classes + want] - expected[b * classes + got] > TOLERANCE) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "%s: example %d is class %d, DL4J says %d (%.6g against %.6g): the engines disagree",
                            what, b, got, want, actual[b * classes + got], expected[b * classes + want]));
                }
                ties++;
            }
        }
        System.err.printf(Locale.ROOT, "parity %s: max abs difference of the softmax outputs vs DL4J %.3g"
                + " (tolerance %.0e); same class as DL4J for %d of %d examples%s%n", what, max, TOLERANCE,
                batch - ties, batch, ties == 0 ? "" : ", the others ties within the tolerance");
        if (max > TOLERANCE) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: outputs differ from DL4J's by up to %.3g, more than %.0e", what, max, TOLERANCE));
        }
    }

    private static int argmax(float[] y, int example, int classes) {
        int best = 0;
        for (int j = 1; j < classes; j++) {
            if (y[example * classes + j] > y[example * classes + best]) {
                best = j;
            }
        }
        return best;
    }
}

package org.lottery4j.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import onnx.Onnx.ModelProto;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.export.OnnxExporter;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A pruned network for CPU inference in plain Java that computes only with the weights it kept:
 * fully connected layers in {@link SparseLinear} form (each output's non-zero weights and their
 * 16-bit input indices), convolutions as lists of non-zero taps, then pooling, batch norm and the
 * activations (identity, relu, leaky relu, sigmoid, tanh, softmax). Its outputs match DL4J's
 * {@code output()} within float rounding (tested to 1e-5 on class probabilities).
 *
 * <p>A layer dense enough for the call's batch size runs a dense kernel instead of its sparse one
 * (ND4J's when an ND4J CPU backend is present, else plain Java), by a fixed rule on its fraction
 * of weights kept and the batch size, never by timing: {@link #kernels(int)} says which. So a
 * call is deterministic: the same model, batch size and classpath give the same bits, on any
 * number of threads. One example's result is the same bit for bit alone or in any batch whose
 * layers run the same kernels (the sparse kernels sum in one order whatever the batch); across
 * batch sizes that run different kernels it agrees within float rounding.
 *
 * <p>Built from any network the ONNX exporter takes (a {@code MultiLayerNetwork}, or a
 * {@code ComputationGraph}, residual and multi-branch ones included: joins of element-wise and
 * merge vertices, global pooling, zero padding, subsets), with its pruned weights as exact zeros,
 * as a {@link LotteryTicket} keeps them; a batch norm right after a convolution is folded into
 * its filters. The sparse and plain-Java kernels run on the caller's thread by default, the ND4J
 * kernels on ND4J's threads; {@link #withThreads} splits the outputs of large sparse fully
 * connected products over more. Immutable and safe to share between
 * threads. Saved as a safetensors file with a manifest ({@link #save}, {@link #load}).
 *
 * <pre>{@code
 * SparseModel sparse = SparseModel.of(ticket);                 // or SparseModel.of(network)
 * float[] probabilities = sparse.output(pixels, 64);          // [64, 784] row-major -> [64, 10]
 * int[] classes = sparse.predict(pixels, 64);
 * sparse.save(Path.of("out/lenet.sparse.safetensors"));      // SparseModel.load(...) reads it back
 * }</pre>
 */
public final class SparseModel {

    /**
     * One step of the model.
     *
     * @param layer the network's layer it comes from
     * @param kind {@code linear}, {@code conv}, {@code maxpool}, {@code avgpool}, {@code globalpool},
     *     {@code batchnorm}, {@code reshape}, {@code pad}, {@code slice}, {@code scale}, {@code shift},
     *     an activation, or a join of several steps: {@code add}, {@code sub}, {@code mul},
     *     {@code average}, {@code max}, {@code concat}
     * @param weights the layer's weights, kept or not (0 for steps without weights)
     * @param nonZeros the weights stored
     */
    public record Step(String layer, String kind, long weights, long nonZeros) {}

    /** In {@link #reads}: the model's input. */
    static final int INPUT = -1;

    private final int[] inputShape;
    private final int[] outputShape;
    private final List<Op> ops;
    private final List<int[]> reads; // for each step, the earlier steps whose values it takes (INPUT: the model's)
    private final int[] lastRead; // for each step, the last step that takes its values
    private final List<int[]> inDims; // for each step, the dimensions of one example of its (first) input
    private final ForkJoinPool pool;

    /**
     * Steps that each read the values of earlier steps ({@code reads}, {@link #INPUT} for the
     * model's input); the last step's values are the output.
     *
     * @throws IllegalArgumentException if a step reads a later step, or nothing, or a number of
     *     inputs it does not take, if a step's values are never read, or if the shapes do not fit
     */
    SparseModel(int[] inputShape, List<Op> ops, List<int[]> reads, ForkJoinPool pool) {
        this.inputShape = inputShape.clone();
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(inputShape)
                    + " needs at least one dimension, each at least 1");
        }
        this.ops = List.copyOf(ops);
        this.pool = pool;
        if (reads.size() != this.ops.size()) {
            throw new IllegalArgumentException(reads.size() + " lists of inputs for " + this.ops.size() + " steps");
        }
        List<int[]> copied = new ArrayList<>();
        this.lastRead = new int[this.ops.size()];
        Arrays.fill(lastRead, -1);
        List<int[]> dims = new ArrayList<>();
        List<int[]> firstIn = new ArrayList<>();
        for (int i = 0; i < this.ops.size(); i++) {
            Op op = this.ops.get(i);
            int[] r = reads.get(i).clone();
            if (r.length == 0 || (!op.joins() && r.length != 1)) {
                throw Op.misfit(op, "step " + i + " reads " + Arrays.toString(r) + ": it reads exactly one step");
            }
            List<int[]> in = new ArrayList<>();
            for (int j : r) {
                if (j < INPUT || j >= i) {
                    throw Op.misfit(op, "step " + i + " reads step " + j + ", which is not an earlier step (or "
                            + INPUT + ", the input)");
                }
                in.add(j == INPUT ? this.inputShape : dims.get(j));
                if (j != INPUT) {
                    lastRead[j] = i;
                }
            }
            dims.add(op.outDims(in));
            firstIn.add(in.get(0));
            copied.add(r);
        }
        for (int j = 0; j + 1 < this.ops.size(); j++) {
            if (lastRead[j] < 0) {
                throw Op.misfit(this.ops.get(j), "the values of step " + j + " are never read");
            }
        }
        this.reads = List.copyOf(copied);
        this.inDims = List.copyOf(firstIn);
        this.outputShape = dims.isEmpty() ? this.inputShape : dims.get(dims.size() - 1);
    }

    /**
     * The sparse model of {@code network} ({@code MultiLayerNetwork} or {@code ComputationGraph}).
     *
     * @throws IllegalArgumentException naming the layer if the network has a layer, setting or
     *     activation the model cannot compute, or if its input shape is not known from its
     *     configuration (then give it with {@link #of(Model, int...)})
     */
    public static SparseModel of(Model network) {
        return of(network, new int[0]);
    }

    /**
     * The sparse model of {@code network} taking inputs of {@code inputShape} per example (such as
     * {@code 1, 28, 28}), for networks that start with a convolution and no input preprocessor.
     *
     * @throws IllegalArgumentException if the shape does not fit the network, or as {@link #of(Model)}
     */
    public static SparseModel of(Model network, int... inputShape) {
        Objects.requireNonNull(network, "network");
        ModelProto graph;
        try {
            graph = OnnxExporter.builder().build().toModel(network);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot build a sparse model (it reads the network's ONNX graph): "
                    + e.getMessage(), e);
        }
        OnnxCompiler.Compiled c = OnnxCompiler.compile(graph, inputShape);
        return new SparseModel(c.inputDims(), c.ops(), c.reads(), null);
    }

    /** The sparse model of the ticket's network as it is now: its pruned weights are exact zeros. */
    public static SparseModel of(LotteryTicket ticket) {
        return of(ticket.network());
    }

    /**
     * Reads a model that {@link #save} wrote, checking its format, version, manifest and the
     * SHA-256 of every tensor.
     *
     * @throws SparseModelFormatException naming the file and what is wrong
     * @throws IOException if it cannot be read
     */
    public static SparseModel load(Path file) throws IOException {
        return SparseModelFile.read(file);
    }

    /** Writes this model to {@code file} (safetensors with a manifest), atomically. */
    public void save(Path file) throws IOException {
        SparseModelFile.write(this, file);
    }

    /**
     * This model computing fully connected layers on {@code threads} threads when a call has
     * enough work to gain from it (batch times a layer's kept weights of at least about 4 million,
     * batch 1 counting 4 for 1); 1 is one thread, the caller's.
     */
    public SparseModel withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return new SparseModel(inputShape, ops, reads, threads == 1 ? null : new ForkJoinPool(threads));
    }

    /** Threads a call may use. */
    public int threads() {
        return pool == null ? 1 : pool.getParallelism();
    }

    /** The shape of one example's input, such as {@code [784]} or {@code [1, 28, 28]}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Values per example in. */
    public int inputSize() {
        return Activations.features(inputShape);
    }

    /** Values per example out (the classes, for a classifier). */
    public int outputSize() {
        return Activations.features(outputShape);
    }

    /** The steps, in the order they run. */
    public List<Step> steps() {
        List<Step> out = new ArrayList<>();
        for (Op op : ops) {
            out.add(new Step(op.layer(), op.kind(), op.weights(), op.nonZeros()));
        }
        return out;
    }

    /**
     * The kernel each step runs for a call of {@code batch} examples, one per step in the order
     * of {@link #steps()}: {@code sparse} (only the kept weights), {@code dense-nd4j} (ND4J's
     * matrix product or {@code conv2d} on the weights with their zeros, where an ND4J CPU backend
     * is present) or {@code dense-java} (a plain-Java dense product) for layers with weights, and
     * {@code java} for the other steps. Fixed by each layer's fraction of weights kept, the batch
     * size and whether the backend loads, never by timing, so it is the same on every call.
     *
     * @throws IllegalArgumentException if {@code batch} is less than 1
     */
    public List<String> kernels(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            out.add(ops.get(i).kernel(inDims.get(i), batch));
        }
        return out;
    }

    /** Weights of the layers with weights, kept or not. */
    public long weights() {
        return ops.stream().mapToLong(Op::weights).sum();
    }

    /** Weights stored: those not zero. */
    public long nonZeros() {
        return ops.stream().mapToLong(Op::nonZeros).sum();
    }

    List<Op> ops() {
        return ops;
    }

    /** For each step, the steps whose values it takes ({@link #INPUT}: the model's input). */
    List<int[]> reads() {
        return reads;
    }

    /**
     * The network's output for {@code batch} examples, {@code input} row-major
     * {@code [batch, inputSize()]}; the result is row-major {@code [batch, outputSize()]}.
     *
     * @throws IllegalArgumentException if the input is not {@code batch x inputSize()} values or
     *     holds a value that is not a finite number (naming the example and feature)
     */
    public float[] output(float[] input, int batch) {
        Objects.requireNonNull(input, "input");
        int features = inputSize();
        if (batch < 1 || (long) batch * features != input.length) {
            throw new IllegalArgumentException("input of " + input.length + " values is not " + batch + " examples of "
                    + features + " values (input shape " + Arrays.toString(inputShape) + ")");
        }
        for (int i = 0; i < input.length; i++) {
            if (!Float.isFinite(input[i])) {
                throw new IllegalArgumentException("input value " + input[i] + " at example " + i / features
                        + ", feature " + i % features + ": inputs must be finite numbers");
            }
        }
        Activations x = new Activations(input, batch, inputShape, false);
        Activations[] values = new Activations[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            int[] r = reads.get(i);
            List<Activations> in = new ArrayList<>(r.length);
            for (int j : r) {
                in.add(j == INPUT ? x : values[j]);
            }
            values[i] = ops.get(i).apply(in, pool);
            for (int j : r) {
                if (j != INPUT && lastRead[j] == i) {
                    values[j] = null; // read for the last time: its memory may go
                }
            }
        }
        float[] out = (values.length == 0 ? x : values[values.length - 1]).exampleMajor().data;
        return out == input ? input.clone() : out; // steps that only reshape hand the input through
    }

    /**
     * The network's output for a DL4J batch {@code [batch, ...]} whose examples have
     * {@link #inputSize()} values (flat, or shaped as {@link #inputShape()}); returns
     * {@code [batch, outputSize()]}.
     */
    public INDArray output(INDArray input) {
        if (input.rank() < 2) {
            throw new IllegalArgumentException("input of shape " + Arrays.toString(input.shape())
                    + " has no batch dimension; give [batch, " + inputSize() + "]");
        }
        int batch = (int) input.size(0);
        float[] x = input.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return Nd4j.create(output(x, batch), new long[] {batch, outputSize()}, 'c');
    }

    /** The class with the largest output of each example (the first on ties), as DL4J's {@code predict}. */
    public int[] predict(float[] input, int batch) {
        float[] y = output(input, batch);
        int n = outputSize();
        int[] classes = new int[batch];
        for (int b = 0; b < batch; b++) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (y[b * n + j] > y[b * n + best]) {
                    best = j;
                }
            }
            classes[b] = best;
        }
        return classes;
    }

    @Override
    public String toString() {
        return "SparseModel" + Arrays.toString(inputShape) + " -> " + Arrays.toString(outputShape) + ", " + ops.size()
                + " steps, " + nonZeros() + " of " + weights() + " weights kept";
    }
}

package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.inference.SparseModel;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.ticket.TicketFormatException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A ticket's payoff on the CPU: runs a saved ticket's network on the MNIST test digits with DL4J
 * ({@code output()} on the dense weights, zeros included) and as a {@link SparseModel} (only the
 * kept weights), and prints both accuracies, how often they agree, their largest difference, and
 * the latency of each at batch 1 and 64 (median of many calls, after warm-up, one thread). With
 * {@code --model}, a sparse model file ({@code --save} wrote one) alone: its accuracy and latency.
 *
 * <pre>{@code
 * java -jar lottery-examples.jar predict --ticket out/lottery_55d01c73fe/round-10/ticket.zip
 * java -jar lottery-examples.jar predict --ticket ticket.zip --mnist-dir ~/mnist --save lenet.sparse.safetensors
 * java -jar lottery-examples.jar predict --model lenet.sparse.safetensors
 * }</pre>
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a saved ticket on the MNIST test digits with DL4J and as a sparse model (only its kept "
                + "weights): accuracy of each, agreement, and latency at batch 1 and 64; or, with --model, a saved "
                + "sparse model alone."})
final class PredictCommand implements Callable<Integer> {

    static final int BATCH = 64;
    private static final long WARM_UP_NANOS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    /** What to run: a ticket (DL4J and its sparse model) or a sparse model file. */
    static final class Input {
        @Option(names = "--ticket", required = true, paramLabel = "PATH",
                description = "A saved LotteryTicket whose network reads MNIST digits (such as round-10/ticket.zip of mnist-lenet).")
        Path ticket;

        @Option(names = "--model", required = true, paramLabel = "PATH",
                description = "A saved sparse model (what --save writes, SparseModel.save): run it alone.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--save", paramLabel = "PATH",
            description = "With --ticket: also write the sparse model to this file (safetensors with a manifest; "
                    + "SparseModel.load and --model read it).")
    Path save;

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N test digits only (default: all).")
    Integer limit;

    @Option(names = "--timing-calls", paramLabel = "N", defaultValue = "200",
            description = "Timed calls per latency figure, after as many warm-up calls and at least a second of them "
                    + "(default: ${DEFAULT-VALUE}).")
    int timingCalls;

    @ArgGroup(exclusive = true)
    MnistSource source;

    @Mixin
    CpuThreads threads;

    /** Accuracy and agreement of the two over the test digits. */
    record Comparison(int examples, int denseCorrect, int sparseCorrect, int agree, double maxDifference) {}

    @Override
    public Integer call() throws Exception {
        Path file = input.ticket != null ? input.ticket : input.model;
        String option = input.ticket != null ? "--ticket" : "--model";
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " is not a file");
        }
        if (save != null && input.model != null) {
            throw new ParameterException(spec.commandLine(), "--save is for --ticket: --model " + file
                    + " is a sparse model file already");
        }
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 1, got " + limit);
        }
        if (timingCalls < 1) {
            throw new ParameterException(spec.commandLine(), "--timing-calls must be >= 1, got " + timingCalls);
        }
        threads.apply();
        Mnist mnist = MnistSource.load(source, spec);
        DataSet test = mnist.test();
        int n = limit == null ? test.numExamples() : Math.min(limit, test.numExamples());
        INDArray features = test.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).castTo(DataType.FLOAT);
        INDArray labels = test.getLabels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        if (input.model != null) {
            SparseModel sparse = SparseModel.load(file);
            requireDigits(sparse, features, file);
            System.out.printf(Locale.ROOT, "sparse model: %s, %,d of %,d weights kept (%.1f%%)%n", file,
                    sparse.nonZeros(), sparse.weights(), 100.0 * sparse.nonZeros() / sparse.weights());
            System.out.println(kernels(sparse));
            Comparison c = compare(null, sparse, features, labels);
            System.out.print(report(mnist.name(), c, null, latencies(null, sparse, features)));
            return 0;
        }
        try (LotteryTicket t = loadTicket(file)) {
            NetworkAdapter dense = NetworkAdapter.of(t.network());
            SparseModel sparse = sparseModel(t);
            requireDigits(sparse, features, file);
            System.out.printf(Locale.ROOT, "ticket: %s, %,d of %,d weights kept (%.1f%%)%n", file, sparse.nonZeros(),
                    sparse.weights(), 100.0 * sparse.nonZeros() / sparse.weights());
            System.out.println(kernels(sparse));
            if (save != null) {
                sparse.save(save);
                System.out.printf(Locale.ROOT, "sparse model: %s (%,d bytes)%n", save, Files.size(save));
            }
            Comparison c = compare(dense, sparse, features, labels);
            double[] denseLatency = latencies(dense, null, features);
            double[] sparseLatency = latencies(null, sparse, features);
            System.out.print(report(mnist.name(), c, denseLatency, sparseLatency));
        }
        return 0;
    }

    // A sparse model file given as a ticket is a usage error with its cure, not "zip END header not found".
    private LotteryTicket loadTicket(Path file) throws IOException {
        try {
            return LotteryTicket.load(file);
        } catch (TicketFormatException e) {
            try {
                SparseModel.load(file);
            } catch (IOException notAModelEither) {
                throw e;
            }
            throw new ParameterException(spec.commandLine(), "--ticket " + file
                    + " is a sparse model file, not a ticket: use --model " + file);
        }
    }

    private static void requireDigits(SparseModel sparse, INDArray features, Path file) {
        if (sparse.inputSize() != features.size(1)) {
            throw new IllegalArgumentException("the network of " + file + " takes " + sparse.inputSize()
                    + " values per example, not MNIST's " + features.size(1));
        }
    }

    // The network as a sparse model; a network that starts with a convolution and no preprocessor
    // does not know its input's height and width: MNIST's.
    private static SparseModel sparseModel(LotteryTicket t) {
        try {
            return SparseModel.of(t);
        } catch (IllegalArgumentException e) {
            try {
                return SparseModel.of(t.network(), 1, 28, 28);
            } catch (IllegalArgumentException ignored) {
                throw e;
            }
        }
    }

    static Comparison compare(NetworkAdapter dense, SparseModel sparse, INDArray features, INDArray labels) {
        int n = (int) features.size(0);
        int denseCorrect = 0;
        int sparseCorrect = 0;
        int agree = 0;
        double maxDifference = 0;
        int classes = sparse.outputSize();
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            INDArray x = features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            float[] q = sparse.output(x.dup('c').data().asFloat(), to - from);
            float[] p = dense == null ? q : dense.output(x).castTo(DataType.FLOAT).dup('c').data().asFloat();
            int[] truth = labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).argMax(1).toIntVector();
            for (int b = 0; b < to - from; b++) {
                int dc = argMax(p, b * classes, classes);
                int sc = argMax(q, b * classes, classes);
                denseCorrect += dc == truth[b] ? 1 : 0;
                sparseCorrect += sc == truth[b] ? 1 : 0;
                agree += dc == sc ? 1 : 0;
            }
            for (int i = 0; i < p.length; i++) {
                maxDifference = Math.max(maxDifference, Math.abs(p[i] - q[i]));
            }
        }
        return new Comparison(n, denseCorrect, sparseCorrect, agree, maxDifference);
    }

    private static int argMax(float[] v, int from, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            best = v[from + j] > v[from + best] ? j : best;
        }
        return best;
    }

    /** Median microseconds per call at batch 1 and at batch 64, of DL4J ({@code dense}) or the sparse model. */
    private double[] latencies(NetworkAdapter dense, SparseModel sparse, INDArray features) {
        double[] out = new double[2];
        int[] batches = {1, BATCH};
        for (int k = 0; k < 2; k++) {
            int batch = batches[k];
            int available = Math.max(1, (int) features.size(0) / batch);
            List<INDArray> inputs = new ArrayList<>();
            List<float[]> arrays = new ArrayList<>();
            for (int i = 0; i < Math.min(available, 64); i++) {
                INDArray x = features.get(NDArrayIndex.interval(i * batch,
                        Math.min((i + 1) * batch, features.size(0))), NDArrayIndex.all()).dup('c');
                inputs.add(x);
                arrays.add(x.data().asFloat());
            }
            // warm-up: as many calls as are timed and at least a second, so that the JIT has compiled the kernels
            long warmUntil = System.nanoTime() + WARM_UP_NANOS;
            for (int call = 0; call < timingCalls || System.nanoTime() < warmUntil; call++) {
                run(dense, sparse, inputs, arrays, call);
            }
            long[] times = new long[timingCalls];
            for (int call = 0; call < timingCalls; call++) {
                long start = System.nanoTime();
                run(dense, sparse, inputs, arrays, call);
                times[call] = System.nanoTime() - start;
            }
            Arrays.sort(times);
            out[k] = times[times.length / 2] / 1e3;
        }
        return out;
    }

    private static void run(NetworkAdapter dense, SparseModel sparse, List<INDArray> inputs, List<float[]> arrays,
            int call) {
        int i = call % inputs.size();
        if (dense != null) {
            dense.output(inputs.get(i));
        } else {
            sparse.output(arrays.get(i), (int) inputs.get(i).size(0));
        }
    }

    /** Which kernels the layers with weights run at batch 1 and 64, such as "2 sparse, 1 dense-java". */
    static String kernels(SparseModel sparse) {
        StringBuilder s = new StringBuilder("kernels of the layers with weights:");
        for (int batch : new int[] {1, BATCH}) {
            List<String> kernels = sparse.kernels(batch);
            Map<String, Integer> counts = new TreeMap<>();
            for (int i = 0; i < kernels.size(); i++) {
                if (sparse.steps().get(i).weights() > 0) {
                    counts.merge(kernels.get(i), 1, Integer::sum);
                }
            }
            s.append(batch == 1 ? " batch 1, " : "; batch " + batch + ", ");
            s.append(String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()));
        }
        return s.toString();
    }

    /** The table: both rows and their agreement, or the sparse model's row alone when {@code dense} is null. */
    static String report(String data, Comparison c, double[] dense, double[] sparse) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "test digits: %,d (%s)%n%n", c.examples(), data));
        s.append(String.format(Locale.ROOT, "%-24s %9s %18s %19s%n", "", "accuracy", "latency batch 1", "latency batch 64"));
        if (dense != null) {
            s.append(String.format(Locale.ROOT, "%-24s %8.2f%% %15.1f us %16.1f us%n", "DL4J output() (dense)",
                    100.0 * c.denseCorrect() / c.examples(), dense[0], dense[1]));
        }
        s.append(String.format(Locale.ROOT, "%-24s %8.2f%% %15.1f us %16.1f us%n", "sparse model",
                100.0 * c.sparseCorrect() / c.examples(), sparse[0], sparse[1]));
        if (dense != null) {
            s.append(String.format(Locale.ROOT, "%nagreement: %,d of %,d predictions (%.2f%%); largest output difference %.2g%n",
                    c.agree(), c.examples(), 100.0 * c.agree() / c.examples(), c.maxDifference()));
            s.append(String.format(Locale.ROOT, "sparse model: %.1fx as fast as DL4J at batch 1, %.1fx at batch %d%n",
                    dense[0] / sparse[0], dense[1] / sparse[1], BATCH));
        }
        return s.toString();
    }
}

package org.lottery4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.examples.mnist.LenetWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.Evaluation;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.MaskEnforcer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.runtime.RuntimeSettings;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.training.Batches;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * End to end: epochs of the MNIST example's LeNet-300-100 (Adam 1.2e-3, batch 60, the 8,000
 * bundled training digits held in memory, shuffled each epoch), plain DL4J against the same
 * network as a lottery ticket after one round of the example's pruning (20% of the hidden layers,
 * 10% of the output layer) with its masks enforced, a third copy with the same masks enforced by
 * the bare {@code MaskEnforcer}, and a fourth with the ticket's pruned weights trained by plain
 * DL4J. The four take turns epoch by epoch, each taking every place in the rotation in turn, so
 * drift on a shared machine hits all; the ratios of median epoch times (wall and this thread's CPU
 * time) are the cost of masked training, against dense training and, with the same numbers
 * flowing through, against the unenforced copy. Also reports one evaluation of the 2,000 test
 * digits, and the peak heap and resident memory of the process.
 *
 * <pre>{@code
 * OMP_NUM_THREADS=1 java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.EpochBenchmark --epochs 6 --json epoch.json
 * }</pre>
 */
public final class EpochBenchmark {

    private EpochBenchmark() {}

    public static void main(String[] args) throws IOException {
        RuntimeSettings.disableMemoryCheck(); // as the examples do, before ND4J loads
        int epochs = 6;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--threads" -> RuntimeSettings.threads(Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --epochs N, --json FILE, --threads N");
            }
        }
        Map<String, Object> result = run(epochs);
        String text = Json.writer().withDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (json != null) {
            AtomicFiles.writeString(json, text);
        }
    }

    /** The workload's network with the hyperparameters' optimizer, as Experiment gives it. */
    private static MultiLayerNetwork network(LenetWorkload workload, ExperimentHparams hp) {
        MultiLayerNetwork net = (MultiLayerNetwork) workload.createNetwork(hp);
        hp.training().applyTo(net, 150); // 9,000 training digits in batches of 60; only a schedule would use it
        return net;
    }

    static Map<String, Object> run(int epochs) throws IOException {
        Mnist mnist = Mnist.bundled();
        ExperimentHparams hp = ExperimentHparams.builder()
                .dataset(DatasetHparams.builder().name("mnist-10k").batchSize(60).validationExamples(1000).build())
                .model(new ModelHparams(LenetWorkload.MODEL))
                .training(TrainingHparams.builder().learningRate(1.2e-3).budget("1ep").seed(42).build())
                .pruning(PruningHparams.builder().scope("layerwise fractions={output=0.1}").build())
                .build();
        LenetWorkload workload = new LenetWorkload(mnist);
        MultiLayerNetwork dense = network(workload, hp);
        Model maskedNet = network(workload, hp);
        LotteryTicket ticket = LotteryTicket.builder(maskedNet)
                .scope(hp.pruning().scope()).rewindTo(hp.pruning().rewind()).build();
        ticket.pruneAndRewind(0.2);

        // the same masks on a third copy, enforced by the bare listener (no ticket around it)
        MultiLayerNetwork enforced = network(workload, hp);
        MaskEnforcer.attach(NetworkAdapter.of(enforced), ticket.masks());
        // and the ticket's pruned weights on a fourth, trained by plain DL4J: against the ticket, the
        // same numbers flow through both, so their ratio is the cost of enforcement alone
        MultiLayerNetwork unenforced = network(workload, hp);
        unenforced.params().assign(maskedNet.params());

        DataSet train = mnist.train();
        int[][] order = new int[1][]; // each epoch's order; the batches reuse their native buffers across epochs
        Batches batches = Batches.inOrder(train, 60, e -> order[0]);
        String[] arms = {"dense", "masked", "enforcer_only", "pruned_unenforced"};
        MultiLayerNetwork[] nets = {dense, (MultiLayerNetwork) maskedNet, enforced, unenforced};
        List<List<Double>> seconds = new ArrayList<>();
        List<List<Double>> cpuSeconds = new ArrayList<>();
        for (int n = 0; n < nets.length; n++) {
            seconds.add(new ArrayList<>());
            cpuSeconds.add(new ArrayList<>());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        PeakMemory memory = new PeakMemory();
        for (int e = 0; e <= epochs; e++) { // epoch 0 warms up the JIT and the native caches
            order[0] = Batches.permutation(train.numExamples(), new Random(e));
            for (int k = 0; k < nets.length; k++) {
                int n = (k + e) % nets.length; // each network takes every place in the rotation in turn
                long cpu = threads.getCurrentThreadCpuTime(); // ND4J computes on this thread with one thread
                double s = epoch(nets[n], batches);
                if (e > 0) {
                    seconds.get(n).add(s);
                    cpuSeconds.get(n).add((threads.getCurrentThreadCpuTime() - cpu) / 1e9);
                }
            }
            memory.sample();
        }
        long t0 = System.nanoTime();
        double accuracy = Evaluation.accuracy(dense, mnist.test());
        double evalSeconds = (System.nanoTime() - t0) / 1e9;
        memory.sample();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "LeNet-300-100 epoch, 8000 bundled MNIST digits, batch 60, Adam");
        out.put("environment", environment());
        for (int n = 0; n < arms.length; n++) {
            out.put(arms[n] + "_epoch_seconds", seconds.get(n));
            out.put(arms[n] + "_epoch_cpu_seconds", cpuSeconds.get(n));
            out.put(arms[n] + "_median_seconds", median(seconds.get(n)));
            out.put(arms[n] + "_median_cpu_seconds", median(cpuSeconds.get(n)));
            out.put(arms[n] + "_min_cpu_seconds", min(cpuSeconds.get(n)));
        }
        double d = median(seconds.get(0));
        double m = median(seconds.get(1));
        out.put("masked_over_dense", m / d);
        out.put("enforcer_only_over_dense", median(seconds.get(2)) / d);
        out.put("masked_over_pruned_unenforced", m / median(seconds.get(3)));
        out.put("masked_over_dense_cpu", median(cpuSeconds.get(1)) / median(cpuSeconds.get(0)));
        out.put("masked_over_pruned_unenforced_cpu", median(cpuSeconds.get(1)) / median(cpuSeconds.get(3)));
        // interference on a shared machine only adds time: each arm's fastest epoch is its least disturbed
        out.put("masked_over_dense_min_cpu", min(cpuSeconds.get(1)) / min(cpuSeconds.get(0)));
        out.put("masked_over_pruned_unenforced_min_cpu", min(cpuSeconds.get(1)) / min(cpuSeconds.get(3)));
        out.put("weights_remaining", ticket.sparsity().fractionRemaining());
        out.put("test_evaluation_seconds", evalSeconds);
        out.put("dense_test_accuracy_after_" + epochs + "_epochs", accuracy);
        out.put("peak_heap_bytes", memory.peakHeap);
        out.put("peak_resident_bytes", memory.peakResident);
        System.err.printf(Locale.ROOT, "dense %.3f s/epoch, masked %.3f s/epoch, masked/dense %.3f (cpu %.3f, fastest epochs %.3f), "
                        + "enforcer only/dense %.3f, masked/same weights unenforced %.3f (cpu %.3f, fastest epochs %.3f)%n",
                d, m, m / d, out.get("masked_over_dense_cpu"), out.get("masked_over_dense_min_cpu"),
                out.get("enforcer_only_over_dense"), out.get("masked_over_pruned_unenforced"),
                out.get("masked_over_pruned_unenforced_cpu"), out.get("masked_over_pruned_unenforced_min_cpu"));
        return out;
    }

    /** Trains one epoch in the given order, batched as the experiment's trainer does; returns seconds. */
    static double epoch(MultiLayerNetwork net, Batches batches) {
        long t0 = System.nanoTime();
        try (Batches.Epoch epoch = batches.epoch(0, Long.MAX_VALUE)) {
            while (epoch.hasNext()) {
                net.fit(epoch.next());
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        env.put("nd4j_max_threads", Nd4j.getEnvironment().maxThreads());
        env.put("nd4j_max_master_threads", Nd4j.getEnvironment().maxMasterThreads());
        env.put("blas_max_threads", Nd4j.factory().blas().getMaxThreads());
        env.put("javacpp_max_physical_bytes", Pointer.maxPhysicalBytes()); // 0: the per-allocation check is off
        Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> env.put("nd4j." + k, String.valueOf(v)));
        return env;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * Peak heap (all heap pools' peaks) and peak resident memory of the process (heap, ND4J's
     * off-heap arrays and the JVM itself), sampled after every epoch.
     */
    static final class PeakMemory {
        long peakHeap;
        long peakResident;

        void sample() {
            long heap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heap += pool.getPeakUsage().getUsed();
                }
            }
            peakHeap = Math.max(peakHeap, heap);
            peakResident = Math.max(peakResident, Pointer.physicalBytes());
        }
    }
}

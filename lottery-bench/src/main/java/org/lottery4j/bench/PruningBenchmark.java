package org.lottery4j.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Magnitude pruning of 1M, 10M and 100M weights (an MLP of four square layers), layerwise and
 * global, against the memory-bandwidth floor: {@code readOnce} sums every weight once in native
 * code. {@code prune} is what {@code LotteryTicket.prune(0.2)} runs: read the weights, score them,
 * select the cut-off, build the next masks. Report {@code prune / readOnce} per size and scope.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
// A pre-touched heap: first-touch page faults of a fresh JVM, slow on shared VMs, would otherwise land
// in whichever iterations grow the heap (the same code measured twice as slow until it settled).
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx12g", "-XX:+AlwaysPreTouch", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class PruningBenchmark {

    @Param({"1000000", "10000000", "100000000"})
    public long weights;

    @Param({"layerwise", "global"})
    public String scope;

    private NetworkAdapter network;
    private NetworkView view;
    private Pruner pruner;
    private MaskSet masks;

    @Setup
    public void setUp() {
        MultiLayerNetwork net = BenchNets.squareMlp(weights);
        network = NetworkAdapter.of(net);
        view = network.view();
        pruner = new Pruner(PruningMethod.magnitude(),
                scope.equals("global") ? PruningScope.global() : PruningScope.layerwise());
        // a ticket after one round, so the selection skips weights pruned before, as in round 2 on
        masks = pruner.prune(view, pruner.initialMasks(view), 0.2).masks();
    }

    @Benchmark
    public MaskSet prune() {
        return pruner.prune(view, masks, 0.2).masks();
    }

    @Benchmark
    public double readOnce() {
        return network.flatParams().sumNumber().doubleValue();
    }
}

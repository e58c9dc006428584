package org.lottery4j.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.internal.MaskEnforcer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.runtime.RuntimeSettings;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
 * What keeping pruned weights at zero costs per training step (batch 60, Adam) of LeNet-300-100
 * and of a 10M-weight MLP: {@code step} with {@code mode=dense} is plain DL4J, with
 * {@code mode=masked} it runs with 80% of the weights pruned and the mask enforced, with
 * {@code mode=ticket} as a whole {@code LotteryTicket} (enforcer and rewind recorder);
 * {@code enforceOnly} is the enforcement work alone (the gradient times the flat mask), and
 * {@code adamOnly} DL4J's Adam update alone; {@code stepOfOne} is a step on a batch of one example,
 * DL4J's fixed cost per step.
 * Report {@code enforceOnly / step(dense)} and {@code step(masked) / step(dense)} from one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class MaskEnforcementBenchmark {

    @Param({"lenet-300-100", "mlp-10m"})
    public String model;

    /** dense: plain DL4J; masked: the enforcer alone; ticket: a whole LotteryTicket (all its listeners). */
    @Param({"dense", "masked", "ticket"})
    public String mode;

    private MultiLayerNetwork net;
    private DataSet batch;
    private DataSet single;
    private MaskEnforcer enforcer;
    private INDArray gradient;
    private INDArray adamM;
    private INDArray adamV;

    @Setup
    public void setUp() {
        RuntimeSettings.applyDefaultThreads(); // as the examples: ND4J's own default oversubscribes small machines
        net = model.equals("mlp-10m") ? BenchNets.squareMlp(10_000_000) : BenchNets.lenet300100(1);
        batch = BenchNets.batch(60, (int) net.layerInputSize(0), 10);
        single = BenchNets.batch(1, (int) net.layerInputSize(0), 10);
        NetworkAdapter network = NetworkAdapter.of(net);
        NetworkView view = network.view();
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        // Every mode starts from the same pruned weights; only masked and ticket keep enforcing in fit.
        MaskSet masks = pruner.prune(view, pruner.initialMasks(view), 0.8).masks();
        enforcer = MaskEnforcer.attach(network, masks);
        if (!mode.equals("masked")) {
            enforcer.detach();
        }
        if (mode.equals("ticket")) {
            LotteryTicket.builder(net).masks(masks).build();
        }
        net.fit(batch); // creates the updater and gradient arrays
        // Adam's state is [m, v] over all parameters (every layer shares one updater configuration),
        // shaped like the gradient as DL4J's AdamUpdater shapes it, so the op takes the same path
        long n = net.numParams();
        INDArray state = net.getUpdater().getStateViewArray();
        gradient = net.getGradientsViewArray();
        boolean f = gradient.ordering() == 'f';
        adamM = Shape.newShapeNoCopy(state.get(NDArrayIndex.interval(0, n)), gradient.shape(), f);
        adamV = Shape.newShapeNoCopy(state.get(NDArrayIndex.interval(n, 2 * n)), gradient.shape(), f);
    }

    @Benchmark
    public void step() {
        net.fit(batch);
    }

    /** A training step on one example: next to nothing to compute, so DL4J's fixed cost per step. */
    @Benchmark
    public void stepOfOne() {
        net.fit(single);
    }

    /**
     * DL4J's Adam update alone: libnd4j's {@code adam_updater} op on the network's flat gradient and
     * moments, as the updater runs it every step. A fixed part of the step that no configuration
     * of DL4J 1.0.0-M2.1 removes.
     */
    @Benchmark
    public void adamOnly() {
        Nd4j.exec(new AdamUpdater(gradient, adamV, adamM, 1e-3, 0.9, 0.999, 1e-8, 1));
    }

    @Benchmark
    public void enforceOnly() {
        enforcer.onGradientCalculation(net);
    }
}

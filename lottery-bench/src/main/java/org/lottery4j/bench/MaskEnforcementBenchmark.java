package org.lottery4j.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.mask.MaskEnforcer;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
 * What keeping pruned weights at zero costs per training step of LeNet-300-100 (batch 60, Adam):
 * {@code step} with {@code mode=dense} is plain DL4J, with {@code mode=masked} it runs with 80% of
 * the weights pruned and the mask enforced; {@code enforceOnly} is the enforcement work alone (the
 * two fused multiplies of one step). Report {@code enforceOnly / step(dense)} and
 * {@code step(masked) / step(dense)} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MaskEnforcementBenchmark {

    @Param({"dense", "masked"})
    public String mode;

    private MultiLayerNetwork net;
    private DataSet batch;
    private MaskEnforcer enforcer;

    /** LeNet-300-100 as in Frankle and Carbin (2019). */
    static MultiLayerNetwork lenet300100(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1.2e-3))
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Setup(Level.Trial)
    public void setUp() {
        net = lenet300100(1);
        batch = new DataSet(Nd4j.rand(60, 784), Nd4j.eye(10).getRows(new int[60]).dup());
        for (int i = 0; i < 60; i++) {
            batch.getLabels().putRow(i, Nd4j.eye(10).getRow(i % 10));
        }
        NetworkView view = NetworkView.of(net);
        Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.layerwise());
        // Both modes start from the same pruned weights; only the masked one keeps enforcing in fit.
        enforcer = MaskEnforcer.attach(view, pruner.prune(view, pruner.initialMasks(view), 0.8));
        if (mode.equals("dense")) {
            enforcer.detach();
        }
        net.fit(batch); // creates the updater and gradient arrays
    }

    @Benchmark
    public void step() {
        net.fit(batch);
    }

    @Benchmark
    public void enforceOnly() {
        enforcer.onGradientCalculation(net);
        enforcer.iterationDone(net, 0, 0);
    }
}

package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.export.FloatType;
import org.lottery4j.export.OnnxExporter;
import org.lottery4j.export.SafetensorsExporter;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The README's library snippet, verbatim between the markers. */
class ReadmeExampleTest {

    @Test
    void theReadmeSnippetRuns(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = ((MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1)).getLayerWiseConfigurations();
        DataSetIterator train = Nets.data(120, 12, 1);
        String cwd = dir.toString();

        // --- README ---
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        LotteryTicket ticket = LotteryTicket.builder(net)           // also takes a ComputationGraph
                .method(PruningMethod.magnitude())                     // or PruningMethod.random(seed)
                .scope(PruningScope.layerwise().withLayerFraction("output", 0.1))  // or global()
                .rewindTo(RewindPoint.init())                          // iteration(k), fineTune(), randomReinit(seed)
                .build();                                              // records the weights at initialization
        for (int round = 0; round < 5; round++) {
            net.fit(train, 2);                                         // pruned weights stay exactly 0.0
            ticket.pruneAndRewind(0.2);                                // prune 20% of survivors, rewind the rest
        }
        ticket.save(Path.of(cwd, "ticket.zip"));                       // LotteryTicket.load(path) reads it back
        // --- README ---

        assertThat(ticket.round()).isEqualTo(5);
        assertThat(ticket.sparsity().byLayer().get("dense0").fractionRemaining()).isCloseTo(Math.pow(0.8, 5),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(LotteryTicket.load(Path.of(cwd, "ticket.zip")).masks()).isEqualTo(ticket.masks());
    }

    @Test
    void theReadme2to4SnippetRuns(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1); // nIn 12 and 16: multiples of 4
        LotteryTicket ticket = LotteryTicket.builder(net).rewindTo(RewindPoint.fineTune()).build();
        net.fit(Nets.data(120, 12, 1), 1);
        String cwd = dir.toString();

        // --- README ---
        NmPruner.Result r = new NmPruner(NmPattern.TWO_FOUR).prune(ticket.view(), ticket.masks());
        r.skipped();                                   // layers whose nIn is not a multiple of 4, by name and why
        ticket.applyMasks(r.masks());                  // enforced from now on; fine-tune with net.fit(...)
        new NmChecker(NmPattern.TWO_FOUR).check(ticket.view()).requireSatisfied();  // else throws, naming each layer
        OnnxExporter.builder().pattern(NmPattern.TWO_FOUR).build()
                .export(ticket.network(), Path.of(cwd, "model.onnx"));          // Gemm/Conv/pooling/BN/activations
        SafetensorsExporter.builder().dtype(FloatType.F16).pattern(NmPattern.TWO_FOUR).build()
                .export(ticket.network(), Path.of(cwd, "weights.safetensors"));  // PyTorch names and layouts
        SafetensorsFile.read(Path.of(cwd, "weights.safetensors")).checkPattern()
                .requireSatisfied();                   // exact zeros, no tolerance
        // --- README ---

        net.fit(Nets.data(120, 12, 2), 1);
        assertThat(new NmChecker(NmPattern.TWO_FOUR).check(ticket.view()).satisfied()).isTrue();
        assertThat(Path.of(cwd, "model.onnx")).isNotEmptyFile();
    }
}

package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
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
}

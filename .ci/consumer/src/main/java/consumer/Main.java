package consumer;

import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** A new user's first program: a small network, a ticket, one pruning round. */
public final class Main {
    public static void main(String[] args) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(50).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(50).nOut(5).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        try (LotteryTicket ticket = LotteryTicket.builder(net).build()) {
            ticket.pruneAndRewind(0.2);
            // 20% of 20x50 + 50x5 = 1250 weights pruned: 1000 remain
            System.out.printf(Locale.ROOT, "remaining %d of %d weights (%.1f%%)%n",
                    ticket.sparsity().overall().remaining(), ticket.sparsity().overall().total(),
                    100 * ticket.sparsity().fractionRemaining());
        }
    }
}

package org.lottery4j.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A small, offline demo of the library: iterative magnitude pruning of an MLP on synthetic
 * clusters, printing test accuracy against weights remaining and saving the final ticket.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Iterative magnitude pruning of a small MLP on synthetic data (runs offline in seconds).")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "8", description = "Pruning rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--fraction", defaultValue = "0.2",
            description = "Fraction of surviving weights pruned per round, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--epochs", defaultValue = "3", description = "Training epochs per round (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of data, weights and pruning (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (rounds < 0 || epochs < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--rounds must be >= 0 and --epochs >= 1, got " + rounds + " and " + epochs);
        }
        if (!(fraction >= 0 && fraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--fraction must be in [0, 1), got " + fraction);
        }
        SyntheticData data = new SyntheticData(40, 5, seed);
        DataSetIterator train = data.iterator(4000, 50, seed + 1);
        DataSetIterator test = data.iterator(1000, 500, seed + 2);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1e-3))
                .list()
                .layer(new DenseLayer.Builder().name("hidden1").nIn(data.features()).nOut(100).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("hidden2").nIn(100).nOut(50).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nIn(50).nOut(data.classes()).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        LotteryTicket ticket = LotteryTicket.builder(net)
                .method(PruningMethod.magnitude())
                .scope(PruningScope.layerwise().withLayerFraction("output", fraction / 2))
                .rewindTo(RewindPoint.init())
                .hyperparameters(Map.of("fraction", Double.toString(fraction), "epochs", Integer.toString(epochs),
                        "example", "demo"))
                .build();

        System.out.printf(Locale.ROOT, "%-6s %-18s %-14s%n", "round", "weights_remaining", "test_accuracy");
        for (int round = 0; round <= rounds; round++) {
            net.fit(train, epochs);
            Evaluation eval = net.evaluate(test);
            System.out.printf(Locale.ROOT, "%-6d %-18.4f %-14.4f%n",
                    round, ticket.sparsity().fractionRemaining(), eval.accuracy());
            if (round < rounds) {
                ticket.pruneAndRewind(fraction);
            }
        }
        Path file = out.resolve("ticket.zip");
        ticket.save(file);
        System.out.println("ticket saved to " + file + ticket.sparsity());
        return 0;
    }
}

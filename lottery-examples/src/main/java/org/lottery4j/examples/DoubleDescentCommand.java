package org.lottery4j.examples;

import java.nio.file.Path;

import java.util.List;
import java.util.concurrent.Callable;
import org.lottery4j.examples.descent.DoubleDescentHparams;
import org.lottery4j.examples.descent.DoubleDescentSweep;
import org.lottery4j.examples.mnist.Mnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Double descent on the bundled digits: a width sweep of one-hidden-layer MLPs on noisy labels.
 * Writes {@code runs/}, {@code summary.csv}, {@code epochs.csv}, {@code results.json},
 * {@code hparams.json} and {@code index.html} into {@code OUT/double-descent_<hash>}; runs already there are reused.
 *
 * <pre>{@code
 * java -jar lottery-examples.jar double-descent
 * java -jar lottery-examples.jar double-descent --widths 4,16,64,256 --seeds 1 --epochs 50
 * java -jar lottery-examples.jar double-descent --hidden random --loss mse --train-examples 500 --epochs 1000 \
 *     --widths 50,100,200,300,400,450,500,550,600,800,1000,2000,4000 --seeds 1,2,3,4,5
 * }</pre>
 */
@Command(name = "double-descent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Double descent: one-hidden-layer ReLU MLPs of growing width on the bundled digits with a fraction "
                + "of their labels replaced at random, trained to near-zero training loss without early stopping; "
                + "train and test error against width with the interpolation threshold marked.",
                "Writes runs/, summary.csv, epochs.csv, results.json, hparams.json and index.html into "
                        + "OUT/double-descent_<hash>; "
                        + "runs already there (same data, noise and training) are reused."})
final class DoubleDescentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--train-examples", defaultValue = "2000", paramLabel = "N",
            description = "Train on the first N of the 8,000 training digits (default: ${DEFAULT-VALUE}).")
    int trainExamples;

    @Option(names = "--label-noise", defaultValue = "0.2",
            description = "Fraction of their labels replaced by another class, exactly, seeded (default: ${DEFAULT-VALUE}).")
    double labelNoise;

    @Option(names = "--hidden", defaultValue = "trained", paramLabel = "trained|random",
            description = "trained, or random: the hidden layer keeps its random initial weights and only the output "
                    + "layer learns (random ReLU features; threshold at width = examples - 1) (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--loss", defaultValue = "ce", paramLabel = "ce|mse",
            description = "ce: cross-entropy over a softmax; mse: squared error of linear outputs against the one-hot "
                    + "labels (Belkin et al. 2019) (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd|momentum|nesterov",
            description = "adam, plain sgd, or SGD with momentum 0.9 (classical or nesterov), all at the constant --lr "
                    + "(default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--widths", split = ",", paramLabel = "W",
            description = "Hidden units of each model (default: 2,4,8,16,24,32,48,64,128,256,512,1024,2048).")
    List<Integer> widths;

    @Option(names = "--seeds", split = ",", paramLabel = "S", description = "One run per width and seed (default: 1,2,3).")
    List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "300", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3",
            description = "The optimizer's constant learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Mixin
    OutFolder out;

    @Mixin
    CpuThreads threads;

    @Override
    public Integer call() throws Exception {
        DoubleDescentHparams hp = hparams();
        threads.apply();
        Path root = out.create();
        System.out.println(hp.describe());
        DoubleDescentSweep.Outcome o = DoubleDescentSweep.run(hp, Mnist.bundled(), root, System.out::println);
        System.out.println(o.describe());
        System.out.println("report: " + root.resolve(hp.folderName()).resolve("index.html"));
        return 0;
    }

    DoubleDescentHparams hparams() {
        try {
            DoubleDescentHparams.Builder b = DoubleDescentHparams.builder().trainExamples(trainExamples)
                    .labelNoise(labelNoise).hidden(DoubleDescentHparams.Hidden.of(hidden))
                    .loss(DoubleDescentHparams.Loss.of(loss))
                    .optimizer(DoubleDescentHparams.optimizer(optimizer)).epochs(epochs).batchSize(batch)
                    .learningRate(learningRate);
            if (widths != null) {
                b.widths(widths);
            }
            if (seeds != null) {
                b.seeds(seeds);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}

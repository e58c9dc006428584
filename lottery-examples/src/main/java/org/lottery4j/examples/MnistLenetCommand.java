package org.lottery4j.examples;

import java.util.List;
import java.util.concurrent.Callable;
import org.lottery4j.examples.mnist.LenetWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.Experiment;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.Optimizer;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.report.HtmlReport;
import org.lottery4j.prune.PruningScope;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The lottery-ticket experiment of Frankle and Carbin (2019) on MNIST with LeNet-300-100:
 * iterative magnitude pruning (hidden layers 20% per round, output layer 10%), rewinding to
 * initialization, with the random re-initialization and random pruning controls.
 */
@Command(name = "mnist-lenet", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The MNIST LeNet-300-100 lottery ticket with its controls (Frankle & Carbin, 2019).",
                "Writes rounds.csv, results.json, charts and index.html into OUT/lottery_<hash>; "
                        + "running the same command again resumes after the last finished round."})
final class MnistLenetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "12", description = "Pruning rounds after the dense round (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--epochs", defaultValue = "8", description = "Training epochs per round (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--controls", split = ",", defaultValue = "reinit,random_pruning",
            description = "Control arms: reinit, random_pruning, or none (default: ${DEFAULT-VALUE}).")
    List<String> controls;

    @Option(names = "--fraction", defaultValue = "0.2",
            description = "Fraction of surviving hidden-layer weights pruned per round (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--output-fraction", defaultValue = "0.1",
            description = "Fraction of surviving output-layer weights pruned per round (default: ${DEFAULT-VALUE}).")
    double outputFraction;

    @Option(names = "--learning-rate", defaultValue = "1.2e-3", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--batch", defaultValue = "60", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--validation", defaultValue = "1000",
            description = "Training digits held out for validation (default: ${DEFAULT-VALUE}).")
    int validation;

    @ArgGroup(exclusive = true)
    MnistSource source;

    @Mixin
    RunOptions run;

    @Mixin
    CpuThreads threads;

    @Mixin
    ArmWorkers armWorkers;

    @Override
    public Integer call() throws Exception {
        ExperimentHparams hp = hparams();
        int arms = workers(); // before anything runs: a conflict with --threads is a usage error
        threads.apply();
        Mnist mnist = MnistSource.load(source, spec);
        if (!mnist.name().equals(hp.dataset().name())) {
            hp = hp.toBuilder().dataset(hp.dataset().toBuilder().name(mnist.name()).build()).build();
        }
        Experiment experiment = new Experiment(hp, new LenetWorkload(mnist), run.out, HtmlReport::write).withWorkers(arms);
        return ExperimentRuns.runAndPrint(experiment, rounds);
    }

    /** The arms trained at once ({@link ArmWorkers#resolve}). */
    int workers() {
        return armWorkers.resolve(threads);
    }

    private void requireFraction(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be in [0, 1), got " + value);
        }
    }

    /** The hyperparameters these options describe; bad values are parameter errors naming the option. */
    ExperimentHparams hparams() {
        if (epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be >= 1, got " + epochs);
        }
        if (rounds < 0) {
            throw new ParameterException(spec.commandLine(), "--rounds must be >= 0, got " + rounds);
        }
        requireFraction("--fraction", fraction);
        requireFraction("--output-fraction", outputFraction);
        try {
            return ExperimentHparams.builder()
                    .dataset(DatasetHparams.builder().name("mnist-10k").batchSize(batch).validationExamples(validation)
                            .build())
                    .model(new ModelHparams(LenetWorkload.MODEL))
                    .training(run.training(TrainingHparams.builder().optimizer(Optimizer.ADAM).learningRate(learningRate)
                            .budget(Step.ofEpochs(epochs))).build())
                    .pruning(run.pruning(PruningHparams.builder().fraction(fraction)
                            .scope(PruningScope.layerwise().withLayerFraction("output", outputFraction))
                            .rounds(rounds)).build())
                    .controls(ExperimentRuns.controlArms(controls))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}

package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.examples.grokking.FourierProgress;
import org.lottery4j.examples.grokking.GrokkingHparams;
import org.lottery4j.examples.grokking.GrokkingReport;
import org.lottery4j.examples.grokking.GrokkingResult;
import org.lottery4j.examples.grokking.GrokkingSeeds;
import org.lottery4j.examples.grokking.ModularArithmetic;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.run.Phase;
import org.lottery4j.run.RunFolder;
import org.lottery4j.training.Cadence;
import org.lottery4j.training.TrainingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Grokking on modular arithmetic: a network memorizes its training pairs within tens of steps,
 * stays near chance on the others for hundreds, then generalizes. Writes {@code curve.csv},
 * {@code results.json}, {@code hparams.json} and {@code index.html} into
 * {@code OUT/grokking_<hash>}; a finished run is not trained again.
 *
 * <pre>{@code
 * java -jar lottery-examples.jar grokking                      # groks: 99% train at step 20, 99% test at ~600
 * java -jar lottery-examples.jar grokking --weight-decay 0     # the control: memorizes, does not generalize
 * java -jar lottery-examples.jar grokking --seeds 1,2,3,4,5    # when the Fourier measures move, over 5 seeds
 * }</pre>
 */
@Command(name = "grokking", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grokking on (a op b) mod p: train full batch, record train and test accuracy, loss and weight norm "
                + "on a log-spaced cadence, mark the memorization and generalization steps.",
                "Writes curve.csv, results.json, hparams.json and index.html into OUT/grokking_<hash>."},
        footer = {"", "The defaults grok: 99%% of the training pairs at step 20, 99%% of the others at step 596 (30x later), "
                + "3,000 steps in 5 minutes on 2 cores.",
                "--weight-decay 0 is the control that does not: memorized at step 20, 3%% test accuracy at step 3,000.",
                "--model embed-relu groks with its own defaults (35%% of the pairs, lr 3e-3).",
                "Grokking tickets: see grokking-tickets."})
final class GrokkingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GrokkingOptions options;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the split and of the initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    OutFolder out;

    @Mixin
    CpuThreads threads;

    private static final Logger LOG = LoggerFactory.getLogger(GrokkingCommand.class);

    @Option(names = "--seeds", split = ",", paramLabel = "S",
            description = "Run these seeds (each its own run, as --seed) and summarize when the Fourier measures "
                    + "cross halfway against when test accuracy reaches 50%%, with 95%% intervals, in "
                    + "OUT/grokking-seeds_<hash>.")
    List<Long> seeds;

    @Override
    public Integer call() throws Exception {
        if (seeds != null && (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size())) {
            throw new ParameterException(spec.commandLine(), "--seeds must list distinct seeds, got " + seeds);
        }
        threads.apply();
        Path root = out.create();
        if (seeds == null) {
            run(options.hparams(spec, seed), root);
            return 0;
        }
        for (long s : seeds) {
            run(options.hparams(spec, s), root);
        }
        GrokkingHparams hp = options.hparams(spec, seeds.get(0));
        Path summary = GrokkingSeeds.write(hp, seeds, root, LOG);
        System.out.print(Files.readString(summary.resolve(GrokkingSeeds.TABLE)));
        System.out.println("summary: " + summary.resolve(GrokkingSeeds.CSV));
        return 0;
    }

    /** Trains the run of {@code hp} into {@code root/grokking_<hash>} unless it has finished there. */
    private static void run(GrokkingHparams hp, Path root) throws IOException {
        Path results = root.resolve(hp.folderName()).resolve("results.json");
        System.out.println(hp.describe());
        Optional<GrokkingResult> done = Phase.done(results, GrokkingResult.class);
        if (done.isPresent()) {
            System.out.println("already finished: " + done.get().describe());
            System.out.println("report: " + results.resolveSibling("index.html"));
            return;
        }
        RunFolder folder = RunFolder.create(results.getParent());
        folder.bind(hp.identity(), hp, LOG);
        GrokkingResult r = Phase.run(results, GrokkingResult.class, () -> {
            MultiLayerNetwork net = hp.network();
            ModularArithmetic.Split split = hp.task().split();
            FourierProgress progress = new FourierProgress(hp, net, split);
            TrainingLoop.Result trained = hp.training(net, split, progress.evaluator())
                    .onEvaluation(printer(hp.steps())).build().run();
            return GrokkingReport.write(folder.path(), hp, trained, progress, progress.measure(trained.curve()));
        });
        System.out.println(r.describe() + String.format(Locale.ROOT, "; %.0f s", r.seconds()));
        System.out.println("report: " + results.resolveSibling("index.html"));
    }

    /**
     * Prints the points at 5 steps a decade (a subset of the recorded ones) and the first: enough
     * to watch the plateau without flooding the console.
     */
    static Consumer<CurvePoint> printer(long steps) {
        Set<Long> shown = new HashSet<>(Cadence.logSpacedSteps(5, steps));
        shown.add(0L);
        return p -> {
            if (shown.contains(p.iteration())) {
                System.out.printf(Locale.ROOT, "step %,7d  train %6.2f%%  test %6.2f%%  loss %.4g / %.4g  weight norm %.2f%n",
                        p.iteration(), 100 * p.trainAccuracy(), 100 * p.testAccuracy(), p.trainLoss(), p.testLoss(),
                        p.weightNorm());
            }
        };
    }
}

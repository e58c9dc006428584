package org.lottery4j.examples;

import java.nio.file.Path;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.hparams.TrainingHparams;
import picocli.CommandLine.Option;

/**
 * Options every lottery-experiment example takes with the same meaning and default:
 * {@code --rewind}, {@code --method}, {@code --schedule}, {@code --only-rounds}, {@code --dynamic}, {@code --seed},
 * {@code --eval-every} and {@code --out}.
 *
 * <pre>{@code
 * @Mixin RunOptions run;
 * ... run.pruning(PruningHparams.builder().fraction(0.2)) ... new Experiment(hp, workload, run.out) ...
 * }</pre>
 */
public final class RunOptions {

    @Option(names = "--rewind", defaultValue = "init",
            description = "Rewind point: init, iteration:K (late rewinding), fine-tune, random-reinit:SEED or lr-rewind "
                    + "(default: ${DEFAULT-VALUE}).")
    String rewind;

    @Option(names = "--method", defaultValue = "magnitude",
            description = "How weights are scored: magnitude, random(seed=N), snip(batch=N), grasp(batch=N), "
                    + "synflow(iterations=N), or inverted(...) of one (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--schedule", defaultValue = "iterative",
            description = "Where each round draws its masks: iterative (prune the last round's ticket), one-shot (the "
                    + "trained dense network), at-init (the untrained network: pruning at initialization) or "
                    + "early-bird(every=1ep, distance=0.1, window=5) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--only-rounds", defaultValue = "all",
            description = "With a --schedule other than iterative, the pruned rounds to train, such as 7,13 "
                    + "(default: ${DEFAULT-VALUE}).")
    String onlyRounds;

    @Option(names = "--dynamic", defaultValue = "none",
            description = "Dynamic sparse training from random masks, with --schedule at-init: none, "
                    + "set(every=100, drop=0.3, stop=0.75, densities=uniform|erk) or rigl(...) (default: ${DEFAULT-VALUE}).")
    String dynamic;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of initialization, data order, split and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-every", defaultValue = "1ep",
            description = "Evaluation cadence, such as 1ep or 100it (default: ${DEFAULT-VALUE}).")
    String evalEvery;

    /** {@code pruning} with these options' rewind point, method and schedule; bad text is an IllegalArgumentException. */
    PruningHparams.Builder pruning(PruningHparams.Builder pruning) {
        return pruning.rewind(rewind).method(method).schedule(schedule).onlyRounds(onlyRounds);
    }

    /** {@code training} with these options' seed, evaluation cadence and dynamic sparse training. */
    TrainingHparams.Builder training(TrainingHparams.Builder training) {
        return training.evalEvery(evalEvery).seed(seed).dynamic(dynamic);
    }

    @Option(names = "--out", defaultValue = "out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;
}

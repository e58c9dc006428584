package org.lottery4j.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every lottery-experiment example takes with the same meaning and default:
 * {@code --rewind}, {@code --seed}, {@code --eval-every} and {@code --out}.
 *
 * <pre>{@code
 * @Mixin RunOptions run;
 * ... .rewind(RewindPoint.parse(run.rewind)) ... new Experiment(hp, workload, run.out) ...
 * }</pre>
 */
public final class RunOptions {

    @Option(names = "--rewind", defaultValue = "init",
            description = "Rewind point: init, iteration:K (late rewinding), fine-tune, random-reinit:SEED or lr-rewind "
                    + "(default: ${DEFAULT-VALUE}).")
    String rewind;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of initialization, data order, split and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-every", defaultValue = "1ep",
            description = "Evaluation cadence, such as 1ep or 100it (default: ${DEFAULT-VALUE}).")
    String evalEvery;

    @Option(names = "--out", defaultValue = "out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;
}

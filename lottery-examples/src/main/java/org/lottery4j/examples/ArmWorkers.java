package org.lottery4j.examples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --workers} option of the experiment examples: how many arms train at once
 * ({@link org.lottery4j.experiment.Experiment#withWorkers(int)}).
 *
 * <pre>{@code
 * @Mixin CpuThreads threads;
 * @Mixin ArmWorkers workers;
 * public Integer call() { int n = workers.resolve(threads); threads.apply(); ... }
 * }</pre>
 */
public final class ArmWorkers {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    Integer workers;

    @Option(names = "--workers", paramLabel = "N",
            description = "Arms trained at once, each with one ND4J thread: a round's controls beside the next "
                    + "rounds' tickets, with the same results as one worker (default: one per processor, "
                    + "or 1 when --threads or OMP_NUM_THREADS asks for more than one ND4J thread).")
    void workers(int n) {
        if (n < 1) { // checked while parsing, as --threads is
            throw new ParameterException(command.commandLine(), "--workers must be >= 1, got " + n);
        }
        workers = n;
    }

    /**
     * {@code --workers}, else one per processor; ND4J threads of their own ({@code --threads} or
     * {@code OMP_NUM_THREADS} above 1) keep one worker, since every worker trains with one.
     */
    int resolve(CpuThreads threads) {
        int nd4jThreads = threads.requested();
        if (workers != null && workers > 1 && threads.given().isPresent() && nd4jThreads > 1) {
            throw new ParameterException(command.commandLine(), "--threads " + nd4jThreads + " and --workers " + workers
                    + " do not go together: each worker trains with one ND4J thread; pass --workers 1 to train "
                    + "one arm at a time with " + nd4jThreads + " threads");
        }
        return workers != null ? workers : nd4jThreads > 1 ? 1 : Runtime.getRuntime().availableProcessors();
    }
}

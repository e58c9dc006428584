package org.lottery4j.examples;

import org.lottery4j.runtime.RuntimeSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --threads} option of every example: how many CPU threads ND4J's OpenMP loops and
 * BLAS use ({@link RuntimeSettings#threads(int)}); without it, the library's default
 * ({@link RuntimeSettings#applyDefaultThreads()}: {@code OMP_NUM_THREADS} if set, else 1).
 *
 * <pre>{@code
 * @Mixin CpuThreads threads;
 * public Integer call() { threads.apply(); ... }
 * }</pre>
 */
public final class CpuThreads {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    Integer threads;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads for ND4J (OpenMP and BLAS); default: OMP_NUM_THREADS if set, else 1, "
                    + "the fastest for small networks on few cores.")
    void threads(int n) {
        if (n < 1) { // checked while parsing: a value error like the others, before anything runs
            throw new ParameterException(command.commandLine(), "--threads must be >= 1, got " + n);
        }
        threads = n;
    }

    /** The {@code --threads} given, if any. */
    java.util.Optional<Integer> given() {
        return java.util.Optional.ofNullable(threads);
    }

    /**
     * The ND4J threads asked for: {@code --threads}, else {@code OMP_NUM_THREADS} (a whole number;
     * anything else counts as 1), else 1.
     */
    int requested() {
        if (threads != null) {
            return threads;
        }
        String variable = System.getenv(RuntimeSettings.THREADS_VARIABLE);
        try {
            return variable == null ? 1 : Math.max(1, Integer.parseInt(variable.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Applies {@code --threads}, else {@code OMP_NUM_THREADS}, else 1. */
    void apply() {
        if (threads == null) {
            RuntimeSettings.applyDefaultThreads();
        } else {
            RuntimeSettings.threads(threads);
        }
    }
}

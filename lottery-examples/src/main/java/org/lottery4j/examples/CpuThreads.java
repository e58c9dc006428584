package org.lottery4j.examples;

import org.lottery4j.runtime.RuntimeSettings;
import picocli.CommandLine.Option;

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

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads for ND4J (OpenMP and BLAS); default: OMP_NUM_THREADS if set, else 1, "
                    + "the fastest for small networks on few cores.")
    Integer threads;

    /** Applies {@code --threads}, else {@code OMP_NUM_THREADS}, else 1. */
    void apply() {
        if (threads == null) {
            RuntimeSettings.applyDefaultThreads();
            return;
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        RuntimeSettings.threads(threads);
    }
}

package org.lottery4j.examples;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --threads} option of every example: how many CPU threads ND4J's OpenMP loops and
 * BLAS use. ND4J's default, every core for OpenMP times every core for BLAS, oversubscribes small
 * machines: a LeNet-300-100 epoch on 2 cores runs about twice as fast with one thread.
 *
 * <p>Library users get the same effect from {@code OMP_NUM_THREADS=1} in the environment, or with
 * the calls in {@link #apply(int)} at the start of their program.
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

    /** Applies {@code --threads}, else {@code OMP_NUM_THREADS}, else 1. */
    void apply() {
        if (threads != null) {
            apply(threads);
        } else {
            applyDefault();
        }
    }

    /** The examples' default: one thread, unless {@code OMP_NUM_THREADS} is set (ND4J reads it itself). */
    public static void applyDefault() {
        String env = System.getenv("OMP_NUM_THREADS");
        if (env == null || env.isBlank()) {
            apply(1);
        }
    }

    /** Limits ND4J's OpenMP and BLAS threads to {@code n}. */
    public static void apply(int n) {
        Nd4j.getEnvironment().setMaxThreads(n); // also starts the backend, which the next line needs
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }
}

package org.lottery4j.runtime;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ND4J settings that make small networks train fastest on a CPU, in one call at the start of
 * a program (the examples and benchmarks use it; the rest of the library never changes them):
 *
 * <ul>
 *   <li><b>JavaCPP's resident-memory check off.</b> While
 *       {@code org.bytedeco.javacpp.maxPhysicalBytes} is above 0, its default, JavaCPP (under
 *       ND4J) asks the kernel for the process's resident memory on every native allocation, and
 *       ND4J makes a few dozen small ones per training step, a large part of a small network's
 *       step (BENCHMARKS.md has the measurements). With it off, JavaCPP still collects garbage when the
 *       native memory it tracks passes {@code org.bytedeco.javacpp.maxBytes} (the heap size by
 *       default). JavaCPP reads the property once, when it loads, so this works only before
 *       anything touches ND4J; later it changes nothing, and says so in a warning and in
 *       {@link MemoryCheck#TOO_LATE}. {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=0} on the
 *       {@code java} command line does the same from outside.
 *   <li><b>One CPU thread</b> for ND4J's OpenMP loops and for BLAS, unless {@code OMP_NUM_THREADS}
 *       is set (ND4J reads it itself). ND4J's default, every core for OpenMP times every core for
 *       BLAS, oversubscribes small machines, where one thread is much faster (BENCHMARKS.md).
 *       Large networks on many cores want more: {@link #threads(int)}.
 *   <li><b>DL4J's oneDNN layer helpers on</b>, when the {@code nd4j-native} build has oneDNN (the
 *       {@code -onednn} classifiers) and the opt-in {@code lottery-onednn} module is on the
 *       classpath: convolution and pooling layers then run oneDNN's kernels, 2-3x faster than
 *       DL4J's im2col and gemm (BENCHMARKS.md). DL4J 1.0.0-M2.1 leaves them off and cannot find
 *       them itself: {@link #enableOneDnnHelpers()} says why. Without the module nothing changes.
 * </ul>
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     RuntimeSettings.applyDefaults();   // first, before anything touches ND4J
 *     RuntimeSettings.threads(4);        // or a thread count of your own, at any time
 *     // build, train and prune networks
 * }
 * }</pre>
 */
public final class RuntimeSettings {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeSettings.class);

    /** The JavaCPP system property of the memory check, in the spelling of its documentation. */
    public static final String MEMORY_CHECK_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

    /** The system property with which DL4J 1.0.0-M2.1 creates no layer helper (unset: none). */
    public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    /** The environment variable that, when set, decides ND4J's threads instead of the default. */
    public static final String THREADS_VARIABLE = "OMP_NUM_THREADS";

    /** What {@link #disableMemoryCheck()} found. */
    public enum MemoryCheck {
        /** The check is off: JavaCPP loaded after the property was set. */
        DISABLED,
        /** The user set the property (in either spelling JavaCPP reads); it was left as it is. */
        USER_SETTING,
        /** JavaCPP had loaded before, with the check on; it stays on. */
        TOO_LATE
    }

    private RuntimeSettings() {}

    /**
     * {@link #disableMemoryCheck()}, then {@link #applyDefaultThreads()}. Call it first in
     * {@code main}, before anything touches ND4J.
     */
    public static void applyDefaults() {
        disableMemoryCheck();
        applyDefaultThreads();
        enableOneDnnHelpers();
    }

    /**
     * Lets DL4J's convolution, pooling and batch-normalization layers use their oneDNN helpers
     * when the loaded {@code nd4j-native} build has oneDNN and the {@code lottery-onednn} module
     * is on the classpath, by setting {@value #HELPERS_PROPERTY} to {@code false} unless the user
     * set it; returns whether the helpers are on. DL4J 1.0.0-M2.1 creates no helper while that
     * property is unset, and finds oneDNN through a class that ND4J 1.0.0-M2.1 renamed, which only
     * {@code lottery-onednn} puts back ({@link #hasOneDnnBridge()}): without it DL4J would find no
     * helper, so nothing is set and this returns false. On builds without oneDNN the helpers run
     * libnd4j's own kernels, slower than DL4J's way, so they stay off. Takes effect for layers
     * created afterwards. Starts the backend.
     */
    public static boolean enableOneDnnHelpers() {
        String set = System.getProperty(HELPERS_PROPERTY);
        if (set != null) {
            return !Boolean.parseBoolean(set) && hasOneDnnBridge();
        }
        if (!hasOneDnn() || !hasOneDnnBridge()) {
            return false;
        }
        System.setProperty(HELPERS_PROPERTY, "false");
        return true;
    }

    /**
     * Whether the {@code lottery-onednn} module is on the classpath: the class through which DL4J
     * 1.0.0-M2.1 asks whether oneDNN is there, {@code org.nd4j.nativeblas.Nd4jCpu$Environment}.
     */
    public static boolean hasOneDnnBridge() {
        try {
            Class.forName(ONEDNN_BRIDGE, false, RuntimeSettings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The class DL4J 1.0.0-M2.1's layer helpers look up by name, which {@code lottery-onednn} provides. */
    static final String ONEDNN_BRIDGE = "org.nd4j.nativeblas.Nd4jCpu$Environment";

    /** Whether the loaded ND4J backend was built with oneDNN. Starts the backend. */
    public static boolean hasOneDnn() {
        Nd4j.getBackend(); // loads the native library
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        return info != null && info.contains("HAVE_ONEDNN");
    }

    /**
     * Turns JavaCPP's resident-memory check off unless the user set
     * {@value #MEMORY_CHECK_PROPERTY}; effective only before JavaCPP loads, which this call
     * detects: then it leaves the property unset, logs a warning and returns
     * {@link MemoryCheck#TOO_LATE}.
     */
    public static MemoryCheck disableMemoryCheck() {
        if (userSetMemoryCheck()) {
            return MemoryCheck.USER_SETTING;
        }
        System.setProperty(MEMORY_CHECK_PROPERTY, "0");
        long inEffect = Pointer.maxPhysicalBytes(); // loads JavaCPP now if nothing did, reading the 0
        if (inEffect != 0) {
            System.clearProperty(MEMORY_CHECK_PROPERTY); // it would only mislead whoever reads it
            LOG.warn("JavaCPP loaded before RuntimeSettings.disableMemoryCheck(), so its resident-memory check "
                    + "stays on (maxPhysicalBytes={}), which slows small training steps; call it first in main, "
                    + "or pass -D{}=0 to java", inEffect, MEMORY_CHECK_PROPERTY);
            return MemoryCheck.TOO_LATE;
        }
        return MemoryCheck.DISABLED;
    }

    /** Whether the user set the memory-check property, in either spelling JavaCPP reads. */
    static boolean userSetMemoryCheck() {
        return System.getProperty(MEMORY_CHECK_PROPERTY) != null
                || System.getProperty(MEMORY_CHECK_PROPERTY.toLowerCase(Locale.ROOT)) != null;
    }

    /**
     * One ND4J thread ({@link #threads(int)}), unless {@value #THREADS_VARIABLE} is set, in which
     * case ND4J has read it already; returns whether it set one thread.
     */
    public static boolean applyDefaultThreads() {
        if (!usesDefaultThreads(System.getenv(THREADS_VARIABLE))) {
            return false;
        }
        threads(1);
        return true;
    }

    /** Whether the default thread count applies, given the value of {@value #THREADS_VARIABLE}. */
    static boolean usesDefaultThreads(String variable) {
        return variable == null || variable.isBlank();
    }

    /**
     * Limits ND4J's OpenMP loops and BLAS to {@code n} threads each. It starts the ND4J backend if
     * nothing has yet, so call {@link #disableMemoryCheck()} before it.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        // ND4J's own pool (the 1.0.0-M2.1 CPU build keeps reporting every core); this also starts
        // the backend, which the next lines need
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /**
     * The ND4J backend and the device it computes on, with the calling thread's ND4J (OpenMP)
     * threads, for the first line of a run's log, such as
     * {@code ND4J backend CpuBackend on the CPU (amd64, 2 processors, OPENBLAS, oneDNN layer helpers, 1 thread)} or
     * {@code ND4J backend JCublasBackend on GPU 0 (NVIDIA ...)}. Starts the backend.
     */
    public static String describeBackend() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (Nd4j.getEnvironment().isCPU()) {
            // the calling thread's OpenMP threads: ND4J's Environment.maxThreads() of the 1.0.0-M2.1 CPU
            // build reports every core whatever threads(n) set, and each worker of a study has its own count
            int threads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
            String oneDnn = !hasOneDnn() ? "" : !hasOneDnnBridge() ? ", oneDNN (layer helpers off: no lottery-onednn)"
                    : "false".equals(System.getProperty(HELPERS_PROPERTY)) ? ", oneDNN layer helpers"
                    : ", oneDNN (layer helpers off)";
            return String.format(Locale.ROOT, "ND4J backend %s on the CPU (%s, %d processors, %s%s, %d thread%s)", backend,
                    System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                    Nd4j.factory().blas().getBlasVendor(), oneDnn, threads, threads == 1 ? "" : "s");
        }
        // CUDA: the executioner lists its devices (names and memory) in its environment information
        Object devices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
        return "ND4J backend " + backend + " on device " + Nd4j.getAffinityManager().getDeviceForCurrentThread()
                + (devices == null ? "" : " of " + devices);
    }
}

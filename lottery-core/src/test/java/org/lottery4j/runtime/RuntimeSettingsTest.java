package org.lottery4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class RuntimeSettingsTest {

    private static final String PROPERTY = RuntimeSettings.MEMORY_CHECK_PROPERTY;
    private static final String LOWER = PROPERTY.toLowerCase(Locale.ROOT);
    private String saved;
    private String savedLower;

    @BeforeEach
    void save() {
        saved = System.clearProperty(PROPERTY);
        savedLower = System.clearProperty(LOWER);
    }

    @AfterEach
    void restore() {
        restore(PROPERTY, saved);
        restore(LOWER, savedLower);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void keepsAMemoryCheckTheUserSetInEitherSpelling() {
        System.setProperty(PROPERTY, "8g");
        assertThat(RuntimeSettings.disableMemoryCheck()).isEqualTo(RuntimeSettings.MemoryCheck.USER_SETTING);
        assertThat(System.getProperty(PROPERTY)).isEqualTo("8g");

        System.clearProperty(PROPERTY);
        System.setProperty(LOWER, "4g");
        assertThat(RuntimeSettings.disableMemoryCheck()).isEqualTo(RuntimeSettings.MemoryCheck.USER_SETTING);
        assertThat(System.getProperty(PROPERTY)).isNull();
    }

    @Test
    void beforeNd4jLoadsTheCheckGoesOffAndOneThreadIsSet() throws Exception {
        // a fresh JVM without OMP_NUM_THREADS: the surefire JVM has loaded ND4J long ago
        assertThat(child("first", null)).contains(
                "memory check: DISABLED, maxPhysicalBytes 0, property 0",
                "default threads: true, OpenMP threads 1, BLAS threads 1");
    }

    @Test
    void afterNd4jLoadedItSaysItIsTooLateAndOmpNumThreadsDecidesTheThreads() throws Exception {
        String out = child("late", "2");
        assertThat(out).contains("memory check: TOO_LATE, maxPhysicalBytes ", ", property null",
                "default threads: false, OpenMP threads 2, BLAS threads ",
                "JavaCPP loaded before RuntimeSettings.disableMemoryCheck(), so its resident-memory check stays on");
        assertThat(out).doesNotContain("maxPhysicalBytes 0,");
    }

    @Test
    void theDefaultThreadCountAppliesOnlyWithoutOmpNumThreads() {
        assertThat(RuntimeSettings.usesDefaultThreads(null)).isTrue();
        assertThat(RuntimeSettings.usesDefaultThreads(" ")).isTrue();
        assertThat(RuntimeSettings.usesDefaultThreads("4")).isFalse();
    }

    @Test
    void threadsSetsNd4jAndBlas() {
        int before = openMpThreads();
        try {
            RuntimeSettings.threads(2);
            assertThat(openMpThreads()).isEqualTo(2);
            assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(2);
            RuntimeSettings.threads(1);
            assertThat(openMpThreads()).isEqualTo(1);
            assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(1);
        } finally {
            RuntimeSettings.threads(before);
        }
        assertThatThrownBy(() -> RuntimeSettings.threads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 1, got 0");
    }

    static int openMpThreads() {
        Nd4j.getEnvironment(); // NativeOpsHolder needs the backend started
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /** Runs {@link RuntimeSettingsProcess} in a fresh JVM; returns its output. */
    private static String child(String when, String ompNumThreads) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx512m", RuntimeSettingsProcess.class.getName(), when)
                .redirectErrorStream(true);
        pb.environment().remove(RuntimeSettings.THREADS_VARIABLE);
        if (ompNumThreads != null) {
            pb.environment().put(RuntimeSettings.THREADS_VARIABLE, ompNumThreads);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theBackendLineNamesTheCpuAndTheThreads() {
        RuntimeSettings.threads(1);
        assertThat(RuntimeSettings.describeBackend()).isEqualTo("ND4J backend CpuBackend on the CPU ("
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors, "
                + Nd4j.factory().blas().getBlasVendor() + (RuntimeSettings.hasOneDnn() ? ", oneDNN (layer helpers off: no lottery-onednn)" : "")
                + ", 1 thread)");
        String saved = System.setProperty(RuntimeSettings.HELPERS_PROPERTY, "false");
        try {
            assumeTrue(RuntimeSettings.hasOneDnn(), "this nd4j-native build has no oneDNN");
            // lottery-core alone: the property is set, but DL4J could not find the helpers, and it says so
            assertThat(RuntimeSettings.describeBackend()).contains(", oneDNN (layer helpers off: no lottery-onednn), 1 thread)");
        } finally {
            restore(RuntimeSettings.HELPERS_PROPERTY, saved);
        }
    }

    @Test
    void withoutTheOneDnnModuleTheHelpersStayOffAndNothingIsSet() {
        String saved = System.clearProperty(RuntimeSettings.HELPERS_PROPERTY);
        try {
            boolean oneDnn = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
            assertThat(RuntimeSettings.hasOneDnn()).isEqualTo(oneDnn);
            // lottery-core ships no class in ND4J's package: DL4J's lookup would fail, so nothing changes
            assertThat(RuntimeSettings.hasOneDnnBridge()).isFalse();
            assertThat(RuntimeSettings.enableOneDnnHelpers()).isFalse();
            assertThat(System.getProperty(RuntimeSettings.HELPERS_PROPERTY)).isNull();
            System.setProperty(RuntimeSettings.HELPERS_PROPERTY, "false");
            assertThat(RuntimeSettings.enableOneDnnHelpers()).as("asked for, but DL4J cannot find them").isFalse();
        } finally {
            restore(RuntimeSettings.HELPERS_PROPERTY, saved);
        }
    }
}

package org.lottery4j.runtime;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fresh JVM for {@link RuntimeSettingsTest}: {@code first} calls {@code applyDefaults()} before
 * anything else, {@code late} after ND4J has started; prints what came of it.
 */
public final class RuntimeSettingsProcess {

    public static void main(String[] args) {
        if (args[0].equals("late")) {
            Nd4j.create(1);
        }
        RuntimeSettings.MemoryCheck check = RuntimeSettings.disableMemoryCheck();
        boolean oneThread = RuntimeSettings.applyDefaultThreads();
        System.out.println("memory check: " + check + ", maxPhysicalBytes " + Pointer.maxPhysicalBytes()
                + ", property " + System.getProperty(RuntimeSettings.MEMORY_CHECK_PROPERTY));
        System.out.println("default threads: " + oneThread + ", OpenMP threads " + RuntimeSettingsTest.openMpThreads()
                + ", BLAS threads " + Nd4j.factory().blas().getMaxThreads());
    }
}

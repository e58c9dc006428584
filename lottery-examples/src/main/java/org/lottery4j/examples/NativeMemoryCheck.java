package org.lottery4j.examples;

/**
 * Turns off JavaCPP's resident-memory check, which costs a third of every small training step.
 *
 * <p>JavaCPP (under ND4J) reads the process's resident memory from the kernel on every native
 * allocation while {@code org.bytedeco.javacpp.maxPhysicalBytes} is above 0, its default; ND4J
 * allocates a few dozen small native buffers per training step, so on LeNet-300-100 (batch 60)
 * the check took 0.7 ms of a 3.8 ms step at batch 1 and made a step 1.3-1.5x slower at batch 60
 * ({@code BENCHMARKS.md}). With it off, JavaCPP still triggers a garbage collection when the
 * native memory it tracks passes {@code org.bytedeco.javacpp.maxBytes} (the heap size by
 * default), and ND4J's workspaces hold the training arrays.
 *
 * <p>The property is read once, when JavaCPP's {@code Pointer} class loads, so it must be set
 * before the first ND4J call: the examples do it first thing in {@code main}. Library users pass
 * {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=0} to {@code java}, or call this at the start of
 * their own {@code main}.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     NativeMemoryCheck.disableUnlessSet();   // before anything touches ND4J
 *     ...
 * }
 * }</pre>
 */
public final class NativeMemoryCheck {

    /** The JavaCPP system property, in the spelling its {@code Pointer} class reads first. */
    public static final String PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

    private NativeMemoryCheck() {}

    /**
     * Sets {@link #PROPERTY} to 0 unless the user set it (in either spelling JavaCPP accepts);
     * returns whether it did.
     */
    public static boolean disableUnlessSet() {
        if (System.getProperty(PROPERTY) != null || System.getProperty(PROPERTY.toLowerCase(java.util.Locale.ROOT)) != null) {
            return false;
        }
        System.setProperty(PROPERTY, "0");
        return true;
    }
}

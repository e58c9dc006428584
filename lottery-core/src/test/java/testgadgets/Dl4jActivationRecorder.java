package testgadgets;

/**
 * The same gadget as {@link ActivationRecorder}, for the tests that show what DL4J's own reader does
 * with it: a class initializes once per JVM, and the refusal tests must find theirs untouched.
 */
public final class Dl4jActivationRecorder extends RecordingActivation {

    private static final long serialVersionUID = 1L;

    static {
        Recorded.record(Dl4jActivationRecorder.class, "initialized");
    }

    public Dl4jActivationRecorder() {}

    /** Jackson's delegating creator for a type id with a string value, {@code ["testgadgets.Dl4jActivationRecorder", "x"]}. */
    public Dl4jActivationRecorder(String value) {}
}

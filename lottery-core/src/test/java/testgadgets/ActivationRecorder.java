package testgadgets;

/**
 * An activation function outside the packages a ticket may name, which Jackson would construct where
 * a configuration expects an activation: its static initializer and its constructors record that
 * they ran ({@link Recorded}).
 */
public final class ActivationRecorder extends RecordingActivation {

    private static final long serialVersionUID = 1L;

    static {
        Recorded.record(ActivationRecorder.class, "initialized");
    }

    public ActivationRecorder() {}

    /** Jackson's delegating creator for a type id with a string value, {@code ["testgadgets.ActivationRecorder", "x"]}. */
    public ActivationRecorder(String value) {}
}

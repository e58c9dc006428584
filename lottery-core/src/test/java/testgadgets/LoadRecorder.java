package testgadgets;

/**
 * A class outside the packages a ticket may name: its static initializer records (in a system
 * property, so that checking does not load it) that something loaded it.
 */
public final class LoadRecorder {

    public static final String PROPERTY = "lottery4j.test.LoadRecorder.loaded";

    static {
        System.setProperty(PROPERTY, "true");
    }

    private LoadRecorder() {}
}

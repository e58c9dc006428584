package testgadgets;

/**
 * A class that is no configuration type at all: its static initializer and constructors record
 * that they ran ({@link Recorded}). Jackson initializes a class it loads for a type id before it
 * checks that the class is a subtype of what it expects.
 */
public final class InitRecorder {

    static {
        Recorded.record(InitRecorder.class, "initialized");
    }

    public InitRecorder() {
        Recorded.record(InitRecorder.class, "constructed");
    }

    public InitRecorder(String value) {
        Recorded.record(InitRecorder.class, "constructed");
    }
}

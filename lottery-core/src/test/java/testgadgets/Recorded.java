package testgadgets;

/**
 * What the gadget classes of this package record, in system properties (reading them loads no
 * gadget): {@code <class>.initialized} when a static initializer ran, {@code <class>.constructed}
 * when a constructor did.
 */
public final class Recorded {

    private Recorded() {}

    /** Records that {@code what} happened to {@code type}. */
    static void record(Class<?> type, String what) {
        System.setProperty(property(type.getName(), what), "true");
    }

    /** Whether the class named {@code className} (of this package) was initialized. */
    public static boolean initialized(String className) {
        return System.getProperty(property(className, "initialized")) != null;
    }

    /** Whether an instance of the class named {@code className} (of this package) was constructed. */
    public static boolean constructed(String className) {
        return System.getProperty(property(className, "constructed")) != null;
    }

    private static String property(String className, String what) {
        return "lottery4j.test." + className + "." + what;
    }
}

package org.lottery4j.prune;

/** The grammar of {@link PruningMethod#parse}: one place for the forms and for the message that lists them. */
final class MethodText {

    static final String FORMS = "magnitude, random(seed=N), snip, snip(batch=N), grasp, grasp(batch=N), synflow, "
            + "synflow(iterations=N) or inverted(METHOD) of one of them";

    /** The batch of {@code snip} and {@code grasp} written without one. */
    static final int DEFAULT_BATCH = 100;

    /** The iterations of {@code synflow} written without them: the paper's. */
    static final int DEFAULT_SYNFLOW_ITERATIONS = 100;

    private MethodText() {}

    /** The method of lower-case text without spaces, or null. */
    static PruningMethod parse(String t) {
        try {
            if (t.equals("magnitude")) {
                return PruningMethod.magnitude();
            }
            if (t.equals("snip")) {
                return PruningMethod.snip(DEFAULT_BATCH);
            }
            if (t.equals("grasp")) {
                return PruningMethod.grasp(DEFAULT_BATCH);
            }
            if (t.equals("synflow")) {
                return PruningMethod.synflow();
            }
            String seed = argument(t, "random(seed=");
            if (seed != null) {
                return PruningMethod.random(Long.parseLong(seed));
            }
            String batch = argument(t, "snip(batch=");
            if (batch != null) {
                return PruningMethod.snip(Integer.parseInt(batch));
            }
            batch = argument(t, "grasp(batch=");
            if (batch != null) {
                return PruningMethod.grasp(Integer.parseInt(batch));
            }
            String iterations = argument(t, "synflow(iterations=");
            if (iterations != null) {
                return PruningMethod.synflow(Integer.parseInt(iterations));
            }
            String inner = argument(t, "inverted(");
            if (inner != null) {
                PruningMethod method = parse(inner);
                return method == null ? null : method.inverted();
            }
        } catch (NumberFormatException e) { // a batch below 1 is the method's own error, which names it
            return null;
        }
        return null;
    }

    private static String argument(String t, String prefix) {
        return t.startsWith(prefix) && t.endsWith(")") ? t.substring(prefix.length(), t.length() - 1) : null;
    }
}

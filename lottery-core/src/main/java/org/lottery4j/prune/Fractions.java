package org.lottery4j.prune;

/** The one check of pruning fractions, so every entry point words it the same. */
final class Fractions {

    private Fractions() {}

    /**
     * @param where appended to the message, such as {@code " for layer 'output'"}
     * @throws IllegalArgumentException unless {@code 0 <= fraction < 1}
     */
    static double check(double fraction, String where) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "pruning fraction must be in [0, 1), got " + fraction + where);
        }
        return fraction;
    }
}

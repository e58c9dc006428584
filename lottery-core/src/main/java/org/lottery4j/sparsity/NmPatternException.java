package org.lottery4j.sparsity;

import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Weights that do not satisfy an N:M pattern where they must. The message names every violating
 * parameter (or tensor) with its counts, for example
 * {@code "the weights are not 2:4 sparse: dense0/W has 3 of 48 groups with more than 2 non-zeros"};
 * {@link #report()} holds the whole check.
 *
 * <pre>{@code
 * try {
 *     new NmChecker(NmPattern.TWO_FOUR).check(view).requireSatisfied();
 * } catch (NmPatternException e) {
 *     e.report().violating().forEach(v -> System.err.println(v.name()));
 * }
 * }</pre>
 */
public final class NmPatternException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient NmReport report;

    /**
     * @param report a check that is not satisfied
     * @param consequence what this means for the caller (for example "nothing was written"), put
     *     after the pattern in the message; {@code null} for none
     * @throws IllegalArgumentException if {@code report} is satisfied
     */
    public NmPatternException(NmReport report, String consequence) {
        super(message(report, consequence));
        this.report = report;
    }

    /** The check that failed. */
    public NmReport report() {
        return report;
    }

    private static String message(NmReport report, String consequence) {
        Objects.requireNonNull(report, "report");
        if (report.satisfied()) {
            throw new IllegalArgumentException("the report is satisfied: " + report);
        }
        return "the weights are not " + report.pattern() + " sparse"
                + (consequence == null ? "" : ", " + consequence) + ": "
                + report.violating().stream()
                        .map(e -> e.name() + " has " + e.violatingGroups() + " of " + e.groups()
                                + " groups with more than " + report.pattern().n() + " non-zeros")
                        .collect(Collectors.joining("; "));
    }
}

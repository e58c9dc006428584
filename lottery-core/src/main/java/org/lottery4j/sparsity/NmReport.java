package org.lottery4j.sparsity;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.lottery4j.prune.Pruned;

/**
 * Whether weights satisfy an N:M pattern, per parameter (or per tensor of an exported file):
 * how many groups there are and how many hold more than N non-zeros. A value counts as non-zero
 * when it is not exactly {@code 0.0} (no tolerance). Parameters whose reduction dimension is not a
 * multiple of M, or that have no matrix-multiply layout, are listed in {@link #skipped()} with the
 * reason, never half-checked.
 *
 * <pre>{@code
 * NmReport r = new NmChecker(NmPattern.TWO_FOUR).check(view);
 * if (!r.satisfied()) {
 *     r.violating().forEach(e -> System.out.println(e.name() + ": " + e.violatingGroups() + " groups"));
 * }
 * r.skipped().forEach(s -> System.out.println(s.name() + " skipped: " + s.reason()));
 * new NmChecker(NmPattern.TWO_FOUR).check(view).requireSatisfied();   // or throw, naming the layers
 * }</pre>
 *
 * @param pattern the pattern checked
 * @param entries one per checked parameter, in network (or file) order
 * @param skipped parameters not checked, with the reason
 */
public record NmReport(NmPattern pattern, List<Entry> entries, List<Pruned.Skipped> skipped) {

    /**
     * Counts for one parameter.
     *
     * @param name {@code layer/param} for a network, the tensor name for a file
     * @param groups number of groups of M along the reduction dimension
     * @param violatingGroups groups with more than N non-zeros
     */
    public record Entry(String name, long groups, long violatingGroups) {
        /** Whether every group holds at most N non-zeros. */
        public boolean satisfied() {
            return violatingGroups == 0;
        }
    }

    public NmReport {
        Objects.requireNonNull(pattern, "pattern");
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
    }

    /** Whether every checked parameter satisfies the pattern; see {@link #skipped()} for the others. */
    public boolean satisfied() {
        return entries.stream().allMatch(Entry::satisfied);
    }

    /**
     * This report, if every checked parameter satisfies the pattern (skipped ones do not count);
     * otherwise an exception whose message names each violating parameter with its counts.
     *
     * @throws NmPatternException if a checked parameter has a group with more than N non-zeros
     */
    public NmReport requireSatisfied() {
        if (!satisfied()) {
            throw new NmPatternException(this, null);
        }
        return this;
    }

    /** The checked parameters that do not satisfy the pattern. */
    public List<Entry> violating() {
        return entries.stream().filter(e -> !e.satisfied()).toList();
    }

    /** One line per parameter: groups, violating groups, and the skipped ones with their reason. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(pattern + " sparsity:");
        for (Entry e : entries) {
            sb.append(String.format(Locale.ROOT, "%n  %-24s %10d groups, %10d violating%s",
                    e.name(), e.groups(), e.violatingGroups(), e.satisfied() ? "" : "  NOT " + pattern));
        }
        for (Pruned.Skipped s : skipped) {
            sb.append(String.format(Locale.ROOT, "%n  %-24s skipped: %s", s.name(), s.reason()));
        }
        return sb.toString();
    }
}

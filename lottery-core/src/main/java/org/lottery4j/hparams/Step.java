package org.lottery4j.hparams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An amount of training: a count of iterations ({@code 500it}) or epochs ({@code 10ep}).
 *
 * <pre>{@code
 * Step budget = Step.parse("10ep");
 * long iterations = budget.toIterations(117);   // 1170 with 117 batches per epoch
 * }</pre>
 *
 * @param amount how many, at least 1
 * @param epochs whether the amount counts epochs (else iterations)
 */
public record Step(long amount, boolean epochs) {

    public Step {
        if (amount < 1) {
            throw new IllegalArgumentException("a step must be at least 1, got " + amount);
        }
    }

    public static Step ofIterations(long n) {
        return new Step(n, false);
    }

    public static Step ofEpochs(long n) {
        return new Step(n, true);
    }

    /**
     * Reads {@code 160ep} or {@code 500it}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    @JsonCreator
    public static Step parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.length() > 2 && (t.endsWith("ep") || t.endsWith("it"))) {
            try {
                return new Step(Long.parseLong(t.substring(0, t.length() - 2)), t.endsWith("ep"));
            } catch (NumberFormatException e) {
                // fall through to the message below
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a step: '" + text + "'; " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("not a step: '" + text
                + "'; expected a count followed by ep (epochs) or it (iterations), such as 10ep or 500it");
    }

    /** The number of iterations, given how many iterations an epoch has. */
    public long toIterations(long iterationsPerEpoch) {
        return epochs ? amount * iterationsPerEpoch : amount;
    }

    @JsonValue
    @Override
    public String toString() {
        return amount + (epochs ? "ep" : "it");
    }
}

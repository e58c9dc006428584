package org.lottery4j.hparams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A control arm trained beside each pruned round of an experiment, written {@code reinit} or
 * {@code random_pruning}.
 *
 * <pre>{@code
 * ControlArm arm = ControlArm.parse("random-pruning");   // RANDOM_PRUNING, describe() "random_pruning"
 * }</pre>
 */
public enum ControlArm {
    /** The ticket's masks on a random re-initialization (Frankle and Carbin's control). */
    REINIT("reinit"),
    /** Random masks at the ticket's per-layer sparsity, from the ticket's rewind point. */
    RANDOM_PRUNING("random_pruning");

    private final String text;

    ControlArm(String text) {
        this.text = text;
    }

    /** The canonical text, which also names the arm's files ({@code round-03/reinit.json}). */
    @JsonValue
    public String describe() {
        return text;
    }

    /**
     * Reads any case of the canonical text, with {@code -} or a space for {@code _}.
     *
     * @throws IllegalArgumentException naming the field and the allowed values
     */
    @JsonCreator
    public static ControlArm parse(String text) {
        return Hparams.parseEnum(values(), ControlArm::describe, "controls", text);
    }

    @Override
    public String toString() {
        return text;
    }
}

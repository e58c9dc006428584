package org.lottery4j.hparams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An arm trained beside each pruned round of an experiment: a control ({@code reinit},
 * {@code random_pruning}, {@code inverted}) or the stability analysis ({@code stability}, also
 * beside the dense round 0).
 *
 * <pre>{@code
 * ControlArm arm = ControlArm.parse("random-pruning");   // RANDOM_PRUNING, describe() "random_pruning"
 * }</pre>
 */
public enum ControlArm {
    /** The ticket's masks on a random re-initialization (Frankle and Carbin's control). */
    REINIT("reinit"),
    /**
     * Random masks at the ticket's per-layer sparsity, from the ticket's rewind point: for pruning
     * at initialization, the ticket's masks shuffled within each layer (Frankle et al., 2021).
     */
    RANDOM_PRUNING("random_pruning"),
    /**
     * The round's masks drawn as the ticket's were, from the same network, with the pruning method's
     * scores negated, so the weights it ranks most important go first; then rewound as the ticket
     * (Frankle et al., 2021). Needs a pruning method, not a strategy of your own.
     */
    INVERTED("inverted"),
    /**
     * Not a control but the instability analysis of Frankle et al. (2020): two copies of the round's
     * network at its rewind point (the ticket's masks; in round 0 the dense network) trained with
     * different data orders, and the test error along the straight line between them. Trained
     * beside the dense round too.
     */
    STABILITY("stability");

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

    /** Whether the arm is trained beside the dense round 0 as well as beside the pruned rounds. */
    public boolean inDenseRound() {
        return this == STABILITY;
    }

    @Override
    public String toString() {
        return text;
    }
}

package org.lottery4j.prune;

import java.util.List;
import java.util.Objects;
import org.lottery4j.mask.MaskSet;

/**
 * What one pruning step produced: the next masks, and the parameters in scope the strategy left
 * as they were, each with the reason (an N:M pattern that does not tile a layer, a weight with no
 * matrix-multiply layout). Every {@link PruningStrategy} returns one; a strategy that prunes every
 * parameter in scope returns none skipped.
 *
 * <pre>{@code
 * Pruned p = ticket.prune(0.2);
 * p.masks().sparsity().fractionRemaining();
 * p.skipped().forEach(s -> System.out.println(s.name() + " left dense: " + s.reason()));
 * }</pre>
 *
 * @param masks the next masks
 * @param skipped parameters in scope left unchanged, with the reason, in network order
 */
public record Pruned(MaskSet masks, List<Skipped> skipped) {

    /**
     * A parameter left out, and why (for example "reduction dimension nIn=10 is not a multiple of 4").
     *
     * @param name {@code layer/param} for a network, the tensor name for a file
     * @param reason why it was left out
     */
    public record Skipped(String name, String reason) {
        public Skipped {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Pruned {
        Objects.requireNonNull(masks, "masks");
        skipped = List.copyOf(skipped);
    }

    /** Masks with nothing skipped. */
    public static Pruned of(MaskSet masks) {
        return new Pruned(masks, List.of());
    }
}

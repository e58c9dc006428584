package org.lottery4j.prune;

import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;

/**
 * The one pruning contract: from a network's current weights (read in place, never changed) and
 * its current masks, the next masks, and the parameters it left alone with the reason. Masks only
 * shrink: a strategy never revives a pruned weight. Everything that prunes in lottery4j is one:
 * {@link Pruner} (a {@link PruningMethod} such as magnitude or random, or your own importance
 * score, over a {@link PruningScope}, layerwise or global), {@code org.lottery4j.sparsity.NmPruner}
 * (2:4 and other N:M patterns), or a strategy you write. {@code LotteryTicket} and
 * {@code Experiment} take any of them, and call nothing else.
 *
 * <p>A new score (a gradient-based one such as SNIP, or SynFlow's path norms) is a
 * {@link PruningMethod}: {@link PruningMethod#prepare} computes what it needs from the network
 * once per step, and {@link Pruner} does the selection. A new selection rule is a strategy.
 *
 * <pre>{@code
 * PruningStrategy lastFirst = new PruningStrategy() {   // your own rule: the last surviving weights go first
 *     public Pruned prune(NetworkView network, MaskSet current, double fraction) {
 *         Map<ParamKey, Mask> next = new LinkedHashMap<>();
 *         current.asMap().forEach((key, mask) -> {
 *             long remove = Math.round(fraction * mask.countKept());
 *             List<Long> pruned = new ArrayList<>();
 *             for (long i = mask.length() - 1; i >= 0 && pruned.size() < remove; i--) {
 *                 if (mask.isKept(i)) {
 *                     pruned.add(i);
 *                 }
 *             }
 *             next.put(key, mask.withPruned(pruned.stream().mapToLong(Long::longValue).toArray()));
 *         });
 *         return Pruned.of(MaskSet.of(next));
 *     }
 *     public MaskSet initialMasks(NetworkView network) {
 *         return new Pruner(PruningMethod.magnitude(), PruningScope.layerwise()).initialMasks(network);
 *     }
 *     public String describe() { return "last-first"; }
 * };
 * LotteryTicket ticket = LotteryTicket.builder(net).strategy(lastFirst).build();
 * }</pre>
 */
public interface PruningStrategy {

    /**
     * The next masks. Parameters of {@code current} that this strategy does not prune keep their
     * mask; none may grow. Parameters in scope that it cannot prune are left as they were and
     * listed in {@link Pruned#skipped()}, never half-done.
     *
     * @param network the network's weights, read in place
     * @param current the current masks
     * @param fraction the round's rate: the fraction of surviving weights to remove; a strategy whose
     *     own settings fix the sparsity (N:M) ignores it
     * @throws IllegalArgumentException for a fraction outside [0, 1), masks that do not fit the
     *     network, or weights that cannot be ranked (NaN, infinite)
     */
    Pruned prune(NetworkView network, MaskSet current, double fraction);

    /** Where a search starts: every parameter this strategy prunes, all weights kept. */
    MaskSet initialMasks(NetworkView network);

    /** A short, stable description saved with tickets and results, such as {@code magnitude layerwise}. */
    String describe();
}

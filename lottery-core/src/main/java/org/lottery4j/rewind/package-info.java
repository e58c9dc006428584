/**
 * Rewinding: where surviving weights go after pruning ({@link org.lottery4j.rewind.RewindPoint}),
 * and the weights recorded during training to go there ({@link org.lottery4j.rewind.RewindSnapshots}).
 * {@code LotteryTicket.rewind()} restores them and clears the optimizer state.
 */
package org.lottery4j.rewind;

/**
 * Rewinding: where surviving weights go after pruning ({@link org.lottery4j.rewind.RewindPoint}),
 * the snapshots recorded during training, and {@link org.lottery4j.internal.Rewinder}, which
 * restores them and clears the optimizer state.
 */
package org.lottery4j.rewind;

/**
 * Immutable masks ({@link org.lottery4j.mask.Mask}, {@link org.lottery4j.mask.MaskSet}), sparsity
 * accounting, and {@link org.lottery4j.internal.MaskEnforcer}, the listener that keeps pruned weights
 * at exactly zero during {@code fit}.
 */
package org.lottery4j.mask;

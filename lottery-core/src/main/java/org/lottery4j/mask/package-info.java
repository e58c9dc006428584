/**
 * Immutable masks ({@link org.lottery4j.mask.Mask}, {@link org.lottery4j.mask.MaskSet}) and
 * sparsity accounting ({@link org.lottery4j.mask.SparsityReport}). A {@code LotteryTicket} keeps
 * its masks' pruned weights at exactly zero during {@code fit}.
 */
package org.lottery4j.mask;

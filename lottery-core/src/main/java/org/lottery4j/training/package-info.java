/**
 * Training: the one {@link org.lottery4j.training.TrainingLoop} (batches, a budget, evaluation
 * on a {@link org.lottery4j.training.Cadence}, callbacks, an early stop) that every run of
 * lottery4j trains through, and what it trains on ({@link org.lottery4j.training.Batches}, with an
 * optional {@link org.lottery4j.training.BatchAugmentation}).
 */
package org.lottery4j.training;

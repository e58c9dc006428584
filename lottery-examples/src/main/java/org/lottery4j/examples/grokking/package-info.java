/**
 * Grokking on modular arithmetic and grokking tickets: the task ({@link
 * org.lottery4j.examples.grokking.ModularArithmetic}), the networks ({@link
 * org.lottery4j.examples.grokking.GrokkingModel}: the quadratic MLP with its {@link
 * org.lottery4j.examples.grokking.ActivationSquare}, and learned embeddings into a ReLU MLP), their
 * hyperparameters ({@link org.lottery4j.examples.grokking.GrokkingHparams}), full-batch training
 * recording a curve on a log-spaced cadence ({@link org.lottery4j.examples.grokking.GrokkingTraining},
 * {@link org.lottery4j.examples.grokking.LogCadence}, {@link
 * org.lottery4j.examples.grokking.CurvePoint}), the memorization and generalization steps ({@link
 * org.lottery4j.examples.grokking.GrokkingPhases}), a run's files ({@link
 * org.lottery4j.examples.grokking.GrokkingReport}, {@link
 * org.lottery4j.examples.grokking.GrokkingResult}) and the tickets of a generalized network against
 * random masks ({@link org.lottery4j.examples.grokking.GrokkingTickets}). The {@code grokking} and
 * {@code grokking-tickets} commands run them.
 */
package org.lottery4j.examples.grokking;

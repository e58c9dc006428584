/**
 * Grokking (issue 14, in progress): the modular-arithmetic task ({@link
 * org.lottery4j.examples.grokking.ModularArithmetic}), the square activation of the quadratic MLP
 * ({@link org.lottery4j.examples.grokking.ActivationSquare}), when a long run records its curve
 * ({@link org.lottery4j.examples.grokking.LogCadence}, {@link
 * org.lottery4j.examples.grokking.CurvePoint}) and the detection of its two phases ({@link
 * org.lottery4j.examples.grokking.GrokkingPhases}), and full-batch training of the quadratic MLP
 * recording all of it ({@link org.lottery4j.examples.grokking.GrokkingTraining}). The
 * {@code grokking} command, its files and its defaults come next.
 */
package org.lottery4j.examples.grokking;

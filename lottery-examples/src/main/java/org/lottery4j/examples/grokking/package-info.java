/**
 * Grokking (issue 14, in progress): the modular-arithmetic task ({@link
 * org.lottery4j.examples.grokking.ModularArithmetic}), the square activation of the quadratic MLP
 * ({@link org.lottery4j.examples.grokking.ActivationSquare}), when a long run records its curve
 * ({@link org.lottery4j.examples.grokking.LogCadence}, {@link
 * org.lottery4j.examples.grokking.CurvePoint}) and the detection of its two phases ({@link
 * org.lottery4j.examples.grokking.GrokkingPhases}). The training run, the {@code grokking}
 * command and its defaults come next.
 */
package org.lottery4j.examples.grokking;

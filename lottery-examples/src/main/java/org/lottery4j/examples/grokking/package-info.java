/**
 * Grokking (issue 14, in progress): the modular-arithmetic task ({@link
 * org.lottery4j.examples.grokking.ModularArithmetic}) and the detection of its two phases in a
 * training curve ({@link org.lottery4j.examples.grokking.GrokkingPhases}). The models, the
 * {@code grokking} command and its defaults come next.
 */
package org.lottery4j.examples.grokking;

/**
 * Double descent on the bundled digits: a width sweep of one-hidden-layer MLPs, trained whole or as
 * random features, on labels with a fixed fraction replaced at random ({@link
 * org.lottery4j.examples.descent.DoubleDescentHparams}),
 * each (width, seed) trained without early stopping ({@link
 * org.lottery4j.examples.descent.WidthRun}), summarized with 95% intervals and its peak against
 * the interpolation threshold, and against epochs ({@link
 * org.lottery4j.examples.descent.DoubleDescentSweep}). The
 * {@code double-descent} command runs it.
 */
package org.lottery4j.examples.descent;

/**
 * Stability to SGD noise (Frankle, Dziugaite, Roy and Carbin 2020, "Linear mode connectivity and
 * the lottery ticket hypothesis"): {@link org.lottery4j.stability.LinearInterpolation} evaluates
 * the straight line between two trained networks of one architecture, and
 * {@link org.lottery4j.stability.InstabilityResult} holds the path and its error barrier (the
 * paper's instability). {@link org.lottery4j.stability.TrainingCopy} makes the independent copies
 * that are trained apart with different data orders. Nothing here trains: the experiment does.
 */
package org.lottery4j.stability;

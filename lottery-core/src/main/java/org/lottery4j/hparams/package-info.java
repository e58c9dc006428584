/**
 * Typed hyperparameters of an experiment (dataset, model, training, pruning), their canonical form
 * and hash, and {@link org.lottery4j.hparams.Step}, an amount of training such as {@code 10ep}.
 */
package org.lottery4j.hparams;

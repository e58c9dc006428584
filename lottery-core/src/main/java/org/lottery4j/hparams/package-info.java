/**
 * Typed hyperparameters of an experiment (dataset, model, training, pruning, control arms), built
 * with named setters, their canonical form and hash, and the parsed values they hold:
 * {@link org.lottery4j.hparams.Step} (an amount of training such as {@code 10ep}),
 * {@link org.lottery4j.hparams.Optimizer}, {@link org.lottery4j.hparams.WeightDecayStyle},
 * {@link org.lottery4j.hparams.LearningRateSchedule} and {@link org.lottery4j.hparams.ControlArm}.
 */
package org.lottery4j.hparams;

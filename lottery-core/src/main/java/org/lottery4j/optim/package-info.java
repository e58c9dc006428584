/**
 * The optimizer pieces lottery4j gives DL4J: {@link org.lottery4j.optim.ScheduledLearningRate}, a
 * learning-rate schedule whose position survives rewinds, {@link org.lottery4j.optim.Momentum},
 * classical (heavy-ball) momentum, and {@link org.lottery4j.optim.Optimizers}, which installs an
 * updater and weight decay on every layer of a network and moves its schedules. The typed
 * hyperparameters that choose them live in {@code org.lottery4j.hparams}.
 */
package org.lottery4j.optim;

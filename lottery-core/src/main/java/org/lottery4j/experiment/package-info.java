/**
 * The lottery-ticket experiment: the round loop (train, evaluate, prune, rewind), control arms,
 * checkpoints and resumption. A {@link org.lottery4j.experiment.Workload} supplies the network and
 * the data.
 */
package org.lottery4j.experiment;

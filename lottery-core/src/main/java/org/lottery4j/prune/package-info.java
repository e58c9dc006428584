/**
 * Pruning methods (which weights: magnitude, random, and at initialization SNIP, GraSP and
 * SynFlow, each also inverted) and scopes (which parameters, at which rate,
 * ranked per layer or globally). A method only computes masks; {@link org.lottery4j.prune.Pruner}
 * applies one over a scope. Neither changes the network.
 */
package org.lottery4j.prune;

/**
 * N:M structured sparsity (2:4 by default): at most N non-zeros in every group of M consecutive
 * weights along the GEMM reduction dimension, the pattern that Ampere and Hopper tensor cores run
 * at up to twice the dense math rate. {@link org.lottery4j.sparsity.NmPruner} computes such masks
 * on top of a ticket's masks; {@link org.lottery4j.sparsity.NmChecker} verifies weights.
 */
package org.lottery4j.sparsity;

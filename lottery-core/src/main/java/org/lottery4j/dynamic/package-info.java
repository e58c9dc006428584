/**
 * Dynamic sparse training: a network trained sparse from the start whose masks change as it
 * trains, dropping the smallest kept weights and growing pruned ones back at random (SET) or
 * by gradient (RigL), at a fixed overall density ({@link org.lottery4j.dynamic.DynamicSparseTraining},
 * a step callback of the {@code TrainingLoop}), from random masks whose per-layer densities are
 * uniform or Erdős–Rényi-Kernel ({@link org.lottery4j.dynamic.DensityDistribution}).
 */
package org.lottery4j.dynamic;

/**
 * The one place where lottery4j touches DL4J internals: {@link org.lottery4j.network.NetworkView}
 * sees a {@code MultiLayerNetwork} or {@code ComputationGraph} as a flat parameter vector with
 * named segments, a flat gradient vector, an updater state and counters.
 */
package org.lottery4j.network;

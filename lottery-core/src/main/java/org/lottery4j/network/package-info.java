/**
 * The one place where lottery4j touches DL4J internals. {@link org.lottery4j.internal.NetworkAdapter}
 * is the one adapter over {@code MultiLayerNetwork} and {@code ComputationGraph} (flat parameters
 * and gradients with named segments, updater state, counters, training); users get the read-only
 * {@link org.lottery4j.network.NetworkView}. {@link org.lottery4j.network.LayerKind} classifies
 * every layer once, for every part of the library.
 */
package org.lottery4j.network;

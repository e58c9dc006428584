/**
 * What lottery4j reads of a DL4J network: the read-only {@link org.lottery4j.network.NetworkView}
 * over a {@code MultiLayerNetwork} or {@code ComputationGraph} (its parameters, where each sits in
 * the flat vector, their live values), and {@link org.lottery4j.network.LayerKind}, which
 * classifies every layer once, for every part of the library, and
 * {@link org.lottery4j.network.MultiplyAdds}, what a forward pass and training cost in
 * multiply-adds, dense or sparse. The one place that touches DL4J's
 * internals, and changes a network, is internal.
 */
package org.lottery4j.network;

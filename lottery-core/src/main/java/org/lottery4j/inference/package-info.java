/**
 * Sparse inference on the CPU, in plain Java: the payoff of a ticket on the hardware people have.
 * A pruned network stored densely costs the same multiply-adds as the dense one; a
 * {@link org.lottery4j.inference.SparseModel} keeps only the weights that are not zero and
 * computes only with them:
 *
 * <ul>
 *   <li>fully connected layers as {@link org.lottery4j.inference.SparseLinear}: each output's kept
 *       weights with 16-bit input indices; at batch 1 a gather per weight, for larger batches each
 *       weight adds its input's batch row to the output's sums (the batch contiguous);
 *   <li>convolutions as each filter's non-zero taps, each adding a shifted input plane (the same
 *       loop serves dense filters); pooling, batch norm (folded to a scale and shift), relu, leaky
 *       relu, sigmoid, tanh, softmax, and DL4J's flattening preprocessors.
 * </ul>
 *
 * <p>A model is built from the network's ONNX graph, as the exporter makes it, so that one place
 * knows how each DL4J layer computes. Its outputs match DL4J's {@code output()} within float
 * rounding; it is saved as safetensors with a manifest and checksums ({@code SparseModel.save},
 * {@code SparseModel.load}). Speed against DL4J and a plain-Java dense kernel, by sparsity and
 * batch: {@code SparseInferenceBenchmark} in lottery-bench, figures in BENCHMARKS.md.
 *
 * <pre>{@code
 * SparseModel sparse = SparseModel.of(ticket);       // a LotteryTicket, or any pruned network
 * int[] classes = sparse.predict(pixels, 64);        // 64 examples, row-major [64, 784]
 * }</pre>
 */
package org.lottery4j.inference;

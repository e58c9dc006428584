/**
 * Exporting pruned networks for inference outside DL4J, weights kept bit for bit (pruned weights
 * stay exact zeros) in the layouts and names PyTorch uses ({@code <layer>.weight}, dense weights
 * {@code [nOut, nIn]}, convolution weights {@code [nOut, nIn, kH, kW]}), so that sparse kernels
 * and other tools line up:
 *
 * <ul>
 *   <li>ONNX: {@link org.lottery4j.export.OnnxExporter} writes the whole network as an ONNX model
 *       (opset 13) for ONNX Runtime or TensorRT, whose sparse kernels can then use 2:4 patterns;
 *   <li>safetensors: {@link org.lottery4j.export.SafetensorsExporter} writes the weights (F32, F16
 *       or BF16) with the sparsity pattern and provenance in the metadata;
 *       {@link org.lottery4j.export.SafetensorsFile} reads such files back and checks their N:M
 *       pattern;
 *   <li>compressed 2:4: {@link org.lottery4j.sparsity.Compressed24}, weights with a 2:4 pattern
 *       stored as their kept values plus 2-bit positions, as NVIDIA's sparse tensor cores take them.
 * </ul>
 *
 * <p>Both exporters are called the same way, with a DL4J network (a {@code MultiLayerNetwork} or
 * {@code ComputationGraph}, as {@code LotteryTicket.network()} returns it), and return a summary of
 * what they wrote:
 *
 * <pre>{@code
 * OnnxExporter.builder().pattern(NmPattern.TWO_FOUR).build().export(net, Path.of("model.onnx"));
 * SafetensorsExporter.builder().pattern(NmPattern.TWO_FOUR).build().export(net, Path.of("model.safetensors"));
 * }</pre>
 *
 * <p>Every file is written atomically: complete, or absent. ONNX is encoded and parsed with the
 * message classes generated from onnx.proto that ship in nd4j-api (on ND4J's shaded protobuf
 * runtime), so the export adds no dependency.
 */
package org.lottery4j.export;

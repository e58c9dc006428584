package org.lottery4j.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.Provenance;

/**
 * Writes a whole DL4J network as an ONNX model (opset 13, IR version 8), ready for ONNX Runtime or
 * TensorRT. The file has one float input named {@code input} ({@code [batch, features]}, or
 * {@code [batch, channels, height, width]} for a network that starts with a convolution and no
 * input preprocessor) and one output named {@code output}; the batch size is dynamic.
 *
 * <p>Supported: {@code MultiLayerNetwork}, and {@code ComputationGraph}s with one input and one output
 * whose vertices are all layers with one input each. Layers: {@code DenseLayer} and
 * {@code OutputLayer} (Gemm), {@code ConvolutionLayer} (Conv; Truncate, Strict or Same mode, stride,
 * padding, dilation), {@code SubsamplingLayer} (MaxPool, AveragePool), {@code BatchNormalization},
 * {@code ActivationLayer}, {@code LossLayer}, {@code DropoutLayer} (nothing at inference), NCHW only;
 * the input preprocessors {@code FeedForwardToCnnPreProcessor} (Reshape) and
 * {@code CnnToFeedForwardPreProcessor} (Flatten). Activations: identity, relu, leakyrelu, sigmoid,
 * tanh, softmax. Anything else fails with an {@link IllegalArgumentException} that names the layer
 * and what it does not support, before any file is touched.
 *
 * <p>Weights keep their exact values (pruned weights stay exact zeros) in PyTorch's layouts and
 * names, so that N:M sparse kernels and other tools find what they expect: a dense layer's weight
 * is {@code <layer>.weight} of shape {@code [nOut, nIn]} (DL4J's {@code W} transposed; Gemm with
 * {@code transB=1}), a convolution's is {@code [nOut, nIn, kH, kW]}, biases are {@code <layer>.bias};
 * batch normalization writes {@code .weight}, {@code .bias}, {@code .running_mean} and
 * {@code .running_var}. A network with DOUBLE parameters is written in FLOAT.
 *
 * <pre>{@code
 * OnnxExporter.export(net, Path.of("out/lenet.onnx"));   // atomic: the whole file or none
 * Map<String, OnnxInitializers.Tensor> weights = OnnxInitializers.read(Path.of("out/lenet.onnx"));
 * }</pre>
 */
public final class OnnxExporter {

    private OnnxExporter() {}

    /**
     * Writes {@code network} to {@code target} as an ONNX model, atomically: on any failure no file
     * (and no temporary file) is left and an existing {@code target} is unchanged.
     *
     * @throws IllegalArgumentException if the network has a layer, setting or activation the
     *     exporter does not support; the message names the layer
     * @throws IOException if the file cannot be written
     */
    public static void export(Model network, Path target) throws IOException {
        export(network, target, UnaryOperator.identity());
    }

    /** The ONNX model's bytes, as {@link #export} writes them. */
    public static byte[] toBytes(Model network) {
        Objects.requireNonNull(network, "network");
        return NetworkTranslator.translate(network, Provenance.current().get("lottery4j"));
    }

    // Tests wrap the file's stream to fail part-way through the write.
    static void export(Model network, Path target, UnaryOperator<OutputStream> wrap) throws IOException {
        Objects.requireNonNull(target, "target");
        byte[] bytes = toBytes(network); // translate first: an unsupported layer touches no file
        AtomicFiles.write(target, out -> {
            OutputStream stream = wrap.apply(out);
            // in chunks, so that a failing stream fails part-way, as a full disk would
            for (int off = 0; off < bytes.length; off += 1 << 16) {
                stream.write(bytes, off, Math.min(1 << 16, bytes.length - off));
            }
            stream.flush();
        });
    }
}

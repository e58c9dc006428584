package org.lottery4j.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import onnx.Onnx.ModelProto;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.OnnxChecksum;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.Provenance;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPatternException;
import org.lottery4j.sparsity.NmReport;

/**
 * Writes a whole DL4J network as an ONNX model (opset 13, IR version 8), ready for ONNX Runtime or
 * TensorRT. The file has one float input named {@code input} ({@code [batch, features]}, or
 * {@code [batch, channels, height, width]} for a network that starts with a convolution and no
 * input preprocessor) and one output named {@code output}; the batch size is dynamic.
 *
 * <p>Supported: {@code MultiLayerNetwork}, and {@code ComputationGraph}s with one input and one output,
 * residual and multi-branch ones included (ResNet-20, the DL4J zoo's ResNet50 and SqueezeNet are
 * tested against ONNX Runtime). Layers: {@code DenseLayer} and {@code OutputLayer} (Gemm),
 * {@code ConvolutionLayer} (Conv; Truncate, Strict or Same mode, stride, padding, dilation),
 * {@code SubsamplingLayer} (MaxPool, AveragePool), {@code GlobalPoolingLayer} (average, max, sum
 * over height and width), {@code ZeroPaddingLayer} (Pad), {@code BatchNormalization},
 * {@code ActivationLayer}, {@code LossLayer}, {@code DropoutLayer} (nothing at inference), NCHW only.
 * Graph vertices: {@code ElementWiseVertex} (add, subtract, product, average, max),
 * {@code MergeVertex} (Concat of channels or features), {@code ScaleVertex}, {@code ShiftVertex},
 * {@code SubsetVertex} (Slice) and {@code PreprocessorVertex}. Input preprocessors:
 * {@code FeedForwardToCnnPreProcessor} (Reshape) and {@code CnnToFeedForwardPreProcessor} (Flatten).
 * Activations: identity, relu, leakyrelu, sigmoid, tanh, softmax. Anything else fails with an
 * {@link IllegalArgumentException} that names the layer or vertex and what it does not support,
 * before any file is touched.
 *
 * <p>A {@code MaxPool} right after a {@code ZeroPaddingLayer}'s {@code Pad} also outputs its
 * {@code Indices}, which nothing reads: ONNX Runtime (1.19) would otherwise fuse the Pad into the
 * MaxPool, padding with -inf instead of zeros and refusing pads as large as the kernel.
 *
 * <p>Weights keep their exact values (pruned weights stay exact zeros) in PyTorch's layouts and
 * names, so that N:M sparse kernels and other tools find what they expect: a dense layer's weight
 * is {@code <layer>.weight} of shape {@code [nOut, nIn]} (DL4J's {@code W} transposed; Gemm with
 * {@code transB=1}), a convolution's is {@code [nOut, nIn, kH, kW]}, biases are {@code <layer>.bias};
 * batch normalization writes {@code .weight}, {@code .bias}, {@code .running_mean} and
 * {@code .running_var}. A network with DOUBLE parameters is written in FLOAT.
 *
 * <p>The model's {@code metadata_props} hold {@code sparsity_pattern} ({@code 2:4}, or {@code none}),
 * {@code sparsity_pattern_skipped} (weights whose {@code nIn} is not a multiple of M, when any),
 * {@code provenance.*} (library, DL4J, JVM, OS, backend, network class), the caller's own
 * entries, and last {@code sha256}, a checksum of the whole model, which lottery4j checks when
 * it reads the file back (the N:M experiment does). The encoding is done by the ONNX message classes generated from onnx.proto that ship
 * in nd4j-api.
 *
 * <pre>{@code
 * OnnxExporter.Summary s = OnnxExporter.builder()
 *         .pattern(NmPattern.TWO_FOUR)             // verified before writing, recorded in the metadata
 *         .metadata("source", "mnist-lenet round 7")
 *         .build()
 *         .export(net, Path.of("out/lenet.onnx"));   // atomic: the whole file or none; for ONNX Runtime
 * }</pre>
 */
public final class OnnxExporter {

    private static final Set<String> RESERVED = Set.of(ExportMetadata.PATTERN_KEY, ExportMetadata.SKIPPED_KEY,
            OnnxChecksum.KEY);

    /**
     * What was written.
     *
     * @param file the file
     * @param initializers name and shape of each weight tensor (graph initializer), in file order
     * @param bytes the file's size
     * @param pattern the N:M check of the weights, or {@code null} when no pattern was given
     */
    public record Summary(Path file, Map<String, long[]> initializers, long bytes, NmReport pattern) {
        public Summary {
            initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        }
    }

    private final NmPattern pattern;
    private final Map<String, String> metadata;

    private OnnxExporter(Builder b) {
        this.pattern = b.pattern;
        this.metadata = Map.copyOf(b.metadata);
    }

    /** Options of an export; by default no pattern check and no extra metadata. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of an export. */
    public static final class Builder extends ExportBuilder<Builder> {

        private Builder() {
            super(RESERVED);
        }

        public OnnxExporter build() {
            return new OnnxExporter(this);
        }
    }

    /**
     * Writes {@code network} ({@code MultiLayerNetwork} or {@code ComputationGraph}) to
     * {@code file} as an ONNX model, atomically: on any failure no file (and no temporary file) is
     * left and an existing {@code file} is unchanged.
     *
     * @throws IllegalArgumentException if the network has a layer, setting or activation the
     *     exporter does not support; the message names the layer
     * @throws NmPatternException naming the weights that break the pattern, if one was given;
     *     nothing is written then
     * @throws IOException if the file cannot be written
     */
    public Summary export(Model network, Path file) throws IOException {
        return export(network, file, UnaryOperator.identity());
    }

    /**
     * The ONNX model's bytes, as {@link #export} writes them.
     *
     * @throws IllegalArgumentException if the network cannot be exported, naming the layer
     * @throws NmPatternException naming the weights that break the pattern, if one was given
     */
    public byte[] toBytes(Model network) {
        return toModel(network).toByteArray();
    }

    /**
     * The ONNX model as a message, as {@link #export} writes it; the sparse inference engine
     * ({@code org.lottery4j.inference.SparseModel}) is built from it.
     *
     * @throws IllegalArgumentException if the network cannot be exported, naming the layer
     * @throws NmPatternException naming the weights that break the pattern, if one was given
     */
    public ModelProto toModel(Model network) {
        return translate(network).model();
    }

    // Tests wrap the file's stream to fail part-way through the write.
    Summary export(Model network, Path file, UnaryOperator<OutputStream> wrap) throws IOException {
        Objects.requireNonNull(file, "file");
        Translated t = translate(network); // first: an unsupported layer or a broken pattern touches no file
        AtomicFiles.write(file, out -> {
            OutputStream stream = wrap.apply(out);
            t.model().writeTo(stream); // streamed: no second copy of the weights in memory
            stream.flush();
        });
        return new Summary(file, t.shapes(), t.model().getSerializedSize(), t.report());
    }

    private record Translated(ModelProto model, Map<String, long[]> shapes, NmReport report) {}

    private Translated translate(Model network) {
        Objects.requireNonNull(network, "network");
        OnnxModel onnx = NetworkTranslator.translate(network);
        Map<String, OnnxModel.Initializer> init = onnx.initializers();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        init.forEach((name, t) -> shapes.put(name, t.dims()));
        NmReport report = pattern == null ? null
                : ExportMetadata.requirePattern(pattern, shapes, name -> init.get(name).values());
        ModelProto model = OnnxChecksum.signed(onnx.build(network.getClass().getSimpleName(),
                Provenance.current().get("lottery4j"), ExportMetadata.of(metadata, pattern, report, network)));
        return new Translated(model, shapes, report);
    }
}

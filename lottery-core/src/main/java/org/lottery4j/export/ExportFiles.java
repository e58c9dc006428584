package org.lottery4j.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.sparsity.NmPattern;

/**
 * The files a pruned network is exported to for other tools, by name: {@value #ONNX} (any ONNX
 * engine), {@value #WEIGHTS} (PyTorch names and layouts) and, for 2:4, {@value #COMPRESSED} (the
 * compressed form sparse tensor cores take). {@code NmExperiment} and the examples' {@code export}
 * command both write them through {@link #write}, so their names and settings are the same.
 *
 * <pre>{@code
 * List<String> written = ExportFiles.write(net, Path.of("out/round-05"), NmPattern.TWO_FOUR, FloatType.F16, "my run");
 * // [model.onnx, weights.safetensors, weights-2to4.safetensors]
 * }</pre>
 */
public final class ExportFiles {

    /** The ONNX model. */
    public static final String ONNX = "model.onnx";
    /** The weights, dense, with PyTorch's names. */
    public static final String WEIGHTS = "weights.safetensors";
    /** The weights with every 2:4 weight compressed. */
    public static final String COMPRESSED = "weights-2to4.safetensors";

    private ExportFiles() {}

    /**
     * Writes {@value #ONNX} and {@value #WEIGHTS} into {@code folder}, and {@value #COMPRESSED}
     * when {@code pattern} is 2:4, each atomically; returns the names written, in that order.
     *
     * @param pattern checked and recorded in each file, or {@code null} for none
     * @param dtype the float type of the safetensors files
     * @param source the {@code source} entry of each file's metadata
     * @throws org.lottery4j.sparsity.NmPatternException if the weights do not satisfy {@code pattern}
     *     (nothing is written then)
     * @throws IllegalArgumentException if the network has a layer the exporters do not take
     */
    public static List<String> write(Model network, Path folder, NmPattern pattern, FloatType dtype, String source)
            throws IOException {
        Objects.requireNonNull(dtype, "dtype");
        OnnxExporter.Builder onnx = OnnxExporter.builder().metadata("source", source);
        SafetensorsExporter.Builder weights = SafetensorsExporter.builder().dtype(dtype).metadata("source", source);
        if (pattern != null) {
            onnx.pattern(pattern);
            weights.pattern(pattern);
        }
        List<String> files = new ArrayList<>();
        onnx.build().export(network, folder.resolve(ONNX));
        files.add(ONNX);
        weights.build().export(network, folder.resolve(WEIGHTS));
        files.add(WEIGHTS);
        if (NmPattern.TWO_FOUR.equals(pattern)) {
            SafetensorsExporter.builder().dtype(dtype).compressed24().metadata("source", source).build()
                    .export(network, folder.resolve(COMPRESSED));
            files.add(COMPRESSED);
        }
        return files;
    }
}

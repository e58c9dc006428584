package org.lottery4j.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.SafetensorsChecksum;
import org.lottery4j.internal.SafetensorsWriter;
import org.lottery4j.network.LayerKind;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.sparsity.Compressed24;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPatternException;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.sparsity.TorchLayout;

/**
 * Writes a network's parameters as a safetensors file with PyTorch's names and layouts, so that
 * {@code model.load_state_dict(safetensors.torch.load_file(path))} loads them into the equivalent
 * PyTorch module whose submodules are named like the DL4J layers.
 *
 * <ul>
 *   <li>Dense and output layers: {@code <layer>.weight} {@code [out, in]} (DL4J's {@code [nIn, nOut]}
 *       transposed) and {@code <layer>.bias} {@code [out]}.
 *   <li>Convolution layers: {@code <layer>.weight} {@code [out, in, kH, kW]}, {@code <layer>.bias}.
 *   <li>Batch normalization: {@code weight}, {@code bias}, {@code running_mean},
 *       {@code running_var} (from DL4J's log10 standard deviation, its default, as (10^x)^2).
 *   <li>Other parameters (LSTM, layer-norm gains) have no PyTorch counterpart
 *       here: exporting fails naming them, unless {@link Builder#skipUnsupported()} leaves them out
 *       (recorded in the metadata under {@code left_out}).
 * </ul>
 *
 * <p>The file: 8 bytes of little-endian header length; the header, compact JSON with sorted keys,
 * padded with spaces to a multiple of 8 bytes; then the tensors back to back in name order,
 * little-endian, C order, all of the chosen {@link FloatType} (F16 and BF16 rounded to nearest
 * even). {@code __metadata__} holds {@code format=pt}, {@code sparsity_pattern} ({@code 2:4}, or
 * {@code none}), {@code sparsity_pattern_skipped} (weights whose {@code in} is not a multiple of
 * M, when any), {@code sparsity} (a JSON object: fraction of exact zeros of each weight, after
 * rounding), {@code producer=lottery4j}, {@code provenance.*} (library, DL4J, JVM, OS, backend)
 * and the caller's own entries. With a pattern, every weight is checked before anything is
 * written; writes are atomic, so a failure leaves no file (or the previous one).
 * {@link Builder#compressed24()} stores 2:4 weights in the {@link Compressed24} form instead.
 *
 * <pre>{@code
 * SafetensorsExporter.builder()
 *         .dtype(FloatType.F16)
 *         .pattern(NmPattern.TWO_FOUR)           // verified, and recorded in the metadata
 *         .metadata("source", "mnist-lenet round 7")
 *         .build()
 *         .export(net, Path.of("out/model.safetensors"));   // a MultiLayerNetwork or ComputationGraph
 * SafetensorsExporter.builder().compressed24().build()   // values + 2-bit positions per weight
 *         .export(net, Path.of("out/model-2of4.safetensors"));
 * }</pre>
 */
public final class SafetensorsExporter {

    static final String COMPRESSED_KEY = "compressed_2_4";
    private static final Set<String> RESERVED = Set.of("format", ExportMetadata.PATTERN_KEY, ExportMetadata.SKIPPED_KEY,
            "sparsity", "producer", "left_out", COMPRESSED_KEY, SafetensorsChecksum.KEY);
    private static final Map<String, String> BATCH_NORM = Map.of(
            "gamma", "weight", "beta", "bias", "mean", "running_mean", "var", "running_var");

    /**
     * What was written.
     *
     * @param file the file
     * @param tensors name and shape of each tensor, in file order
     * @param leftOut parameters ({@code layer/param}) left out by {@link Builder#skipUnsupported()}
     * @param pattern the N:M check of the weights, or {@code null} when no pattern was given
     */
    public record Summary(Path file, Map<String, long[]> tensors, List<String> leftOut, NmReport pattern) {
        public Summary {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            leftOut = List.copyOf(leftOut);
        }
    }

    /** A tensor in PyTorch's layout: float values, or the U16 index words of a compressed weight. */
    private record Tensor(String name, long[] shape, float[] values, short[] words, boolean weight) {
        Tensor(String name, long[] shape, float[] values, boolean weight) {
            this(name, shape, values, null, weight);
        }
    }

    private final FloatType dtype;
    private final NmPattern pattern;
    private final Map<String, String> metadata;
    private final boolean skipUnsupported;
    private final boolean compressed24;

    private SafetensorsExporter(Builder b) {
        this.dtype = b.dtype;
        this.pattern = b.compressed24 && b.pattern == null ? NmPattern.TWO_FOUR : b.pattern;
        this.metadata = Map.copyOf(b.metadata);
        this.skipUnsupported = b.skipUnsupported;
        this.compressed24 = b.compressed24;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of an export; F32, no pattern, no extra metadata, unsupported parameters an error. */
    public static final class Builder extends ExportBuilder<Builder> {
        private FloatType dtype = FloatType.F32;
        private boolean skipUnsupported;
        private boolean compressed24;

        private Builder() {
            super(RESERVED);
        }

        /** The type of every tensor in the file. */
        public Builder dtype(FloatType dtype) {
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            return this;
        }

        /** Leaves out parameters with no PyTorch counterpart instead of failing; they are listed in the metadata. */
        public Builder skipUnsupported() {
            this.skipUnsupported = true;
            return this;
        }

        /**
         * Writes every 2:4 weight in the compressed form instead of dense (see {@link Compressed24}):
         * {@code <layer>.weight_values} {@code [rows, K/2]} in the file's type and
         * {@code <layer>.weight_indices} U16 {@code [rows, ceil(K/16)]}, where a Linear weight
         * {@code [out, in]} has {@code rows = out, K = in} and a Conv weight {@code [out, in, kH, kW]}
         * is taken as {@code [out, kH, kW, in]} ({@code rows = out x kH x kW}, {@code K = in}). The
         * metadata entry {@code compressed_2_4} maps each compressed weight to its dense shape.
         * Implies {@code pattern(NmPattern.TWO_FOUR)}; weights skipped by the pattern stay dense.
         */
        public Builder compressed24() {
            this.compressed24 = true;
            return this;
        }

        /**
         * The exporter.
         *
         * @throws IllegalArgumentException for {@link #compressed24()} with a pattern other than 2:4
         */
        public SafetensorsExporter build() {
            if (compressed24 && pattern != null && !pattern.equals(NmPattern.TWO_FOUR)) {
                throw new IllegalArgumentException("compressed24() stores 2:4 weights, but the pattern is " + pattern);
            }
            return new SafetensorsExporter(this);
        }
    }

    /**
     * Writes every parameter of {@code network} ({@code MultiLayerNetwork} or
     * {@code ComputationGraph}) to {@code file}, atomically.
     *
     * @throws IllegalArgumentException naming a parameter with no PyTorch counterpart (without
     *     {@link Builder#skipUnsupported()}), or two parameters mapping to one name
     * @throws NmPatternException naming the weights that break the pattern, if one was given;
     *     nothing is written then
     * @throws IOException if the file cannot be written
     */
    public Summary export(Model network, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        NetworkView view = NetworkView.of(Objects.requireNonNull(network, "network"));
        List<Tensor> tensors = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (ParamInfo p : view.params()) {
            Tensor t = toTorch(view, p);
            if (t == null) {
                if (!skipUnsupported) {
                    throw new IllegalArgumentException("parameter " + p.key() + " (" + p.layerType() + " "
                            + Arrays.toString(p.shape()) + ") has no PyTorch counterpart in this exporter, which covers "
                            + "dense, output, Conv1d and Conv2d weights and biases and batch norm; "
                            + "use skipUnsupported() to leave such parameters out");
                }
                leftOut.add(p.key().toString());
            } else {
                tensors.add(t);
            }
        }
        tensors.sort((a, b) -> a.name().compareTo(b.name()));
        for (int i = 1; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(tensors.get(i - 1).name())) {
                throw new IllegalArgumentException("two parameters map to the tensor name " + tensors.get(i).name());
            }
        }
        NmReport report = pattern == null ? null : checkPattern(tensors);
        Map<String, Double> sparsity = new TreeMap<>();
        for (Tensor t : tensors) {
            if (t.weight()) {
                sparsity.put(t.name(), zeroFraction(t.values()));
            }
        }
        Map<String, long[]> compressedShapes = new TreeMap<>();
        if (compressed24) {
            tensors = compress(tensors, report, compressedShapes);
        }

        Map<String, long[]> written = new LinkedHashMap<>();
        List<SafetensorsWriter.Tensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            written.put(t.name(), t.shape());
            out.add(t.words() != null ? SafetensorsWriter.Tensor.u16(t.name(), t.shape(), t.words())
                    : new SafetensorsWriter.Tensor(t.name(), dtype.name(), t.shape(),
                            (long) t.values().length * dtype.bytes(), stream -> writeValues(stream, t.values())));
        }
        Map<String, String> meta = metadata(network, report, leftOut, sparsity);
        if (!compressedShapes.isEmpty()) {
            meta.put(COMPRESSED_KEY, SafetensorsWriter.json(compressedShapes));
        }
        SafetensorsWriter.write(file, meta, out);
        return new Summary(file, written, leftOut, report);
    }

    private NmReport checkPattern(List<Tensor> tensors) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (t.weight()) {
                shapes.put(t.name(), t.shape());
                values.put(t.name(), t.values());
            }
        }
        return ExportMetadata.requirePattern(pattern, shapes, values::get);
    }

    private Map<String, String> metadata(Model network, NmReport report, List<String> leftOut,
            Map<String, Double> sparsity) {
        Map<String, String> m = ExportMetadata.of(metadata, pattern, report, network);
        m.put("format", "pt");
        m.put("producer", "lottery4j");
        if (!leftOut.isEmpty()) {
            m.put("left_out", String.join(",", leftOut));
        }
        m.put("sparsity", SafetensorsWriter.json(sparsity));
        return m;
    }


    // Every checked 2:4 weight becomes <name>_values [rows, K/2] and <name>_indices U16 [rows, ceil(K/16)].
    private static List<Tensor> compress(List<Tensor> tensors, NmReport report, Map<String, long[]> shapes) {
        Set<String> checked = new HashSet<>();
        report.entries().forEach(e -> checked.add(e.name()));
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            if (!checked.contains(t.name())) {
                out.add(t);
                continue;
            }
            int rows = TorchLayout.rows(t.shape());
            int k = TorchLayout.k(t.shape());
            Compressed24 c = Compressed24.encode(TorchLayout.toMatrix(t.shape(), t.values()), rows, k);
            out.add(new Tensor(t.name() + "_values", new long[] {rows, k / 2}, c.values(), false));
            out.add(new Tensor(t.name() + "_indices", new long[] {rows, Compressed24.wordsPerRow(k)}, null,
                    c.indices(), false));
            shapes.put(t.name(), t.shape());
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }



    private double zeroFraction(float[] values) {
        if (values.length == 0) {
            return 0;
        }
        long zeros = 0;
        for (float v : values) {
            boolean zero = switch (dtype) {
                case F32 -> v == 0;
                case F16 -> (FloatType.toF16(v) & 0x7fff) == 0;
                case BF16 -> (FloatType.toBf16(v) & 0x7fff) == 0;
            };
            zeros += zero ? 1 : 0;
        }
        return (double) zeros / values.length;
    }

    private void writeValues(OutputStream out, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (buf.remaining() < 4) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            switch (dtype) {
                case F32 -> buf.putFloat(v);
                case F16 -> buf.putShort(FloatType.toF16(v));
                case BF16 -> buf.putShort(FloatType.toBf16(v));
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** The parameter in PyTorch's name and layout, or {@code null} if it has no counterpart. */
    private static Tensor toTorch(NetworkView view, ParamInfo p) {
        String layer = view.layerNames().get(p.layerIndex());
        String param = p.key().param();
        Optional<long[]> weight = TorchLayout.weightShape(p);
        if (weight.isPresent()) {
            return new Tensor(layer + ".weight", weight.get(), TorchLayout.weightValues(p, view.read(p)), true);
        }
        boolean hasTorchWeight = p.layerKind().isDenseMatrix() || p.layerKind() == LayerKind.CONVOLUTION
                || p.layerKind() == LayerKind.CONVOLUTION_1D;
        if (hasTorchWeight && param.equals("b")) {
            return new Tensor(layer + ".bias", new long[] {p.length()}, view.read(p), false);
        }
        if (p.layerKind() == LayerKind.NORMALIZATION && param.equals("log10stdev")) {
            return new Tensor(layer + ".running_var", new long[] {p.length()},
                    NetworkTranslator.varianceOfLog10Std(view.read(p)), false);
        }
        if (p.layerKind() == LayerKind.NORMALIZATION && BATCH_NORM.containsKey(param)) {
            return new Tensor(layer + "." + BATCH_NORM.get(param), new long[] {p.length()}, view.read(p), false);
        }
        return null;
    }
}

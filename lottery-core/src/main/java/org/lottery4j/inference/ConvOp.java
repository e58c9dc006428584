package org.lottery4j.inference;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D convolution (NCHW) that stores, for each output channel, only its non-zero taps: the
 * packed position {@code (c * kH + ky) * kW + kx} and the weight. Each kept tap adds the input
 * values it sees at every output position to its filter's output plane, so the work is
 * proportional to the taps kept and the same loop serves a dense layer. Where an ND4J CPU backend
 * is present, convolutions dense enough for the batch run ND4J's {@code conv2d} instead (oneDNN in
 * the onednn build), as {@link KernelRule} decides.
 */
final class ConvOp implements Op {

    private final String layer;
    private final int inChannels;
    private final int outChannels;
    private final Window window;
    private final int[] start;
    private final int[] taps;
    private final float[] values;
    private final float[] bias;
    private final boolean[] used; // taps some filter kept: only their input values are gathered
    private volatile INDArray dense; // [out, in, kH, kW], built on the first call that runs ND4J's conv2d

    ConvOp(String layer, int inChannels, int outChannels, Window window, int[] start, int[] taps, float[] values,
            float[] bias) {
        this.layer = layer;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.start = start;
        this.taps = taps;
        this.values = values;
        this.bias = bias;
        // weights per filter, exactly: each product of a long under 2^31 and an int fits a long
        long perChannel = Math.min((long) inChannels * window.kernel()[0], Integer.MAX_VALUE + 1L) * window.kernel()[1];
        if (inChannels < 1 || outChannels < 1 || outChannels == Integer.MAX_VALUE || start.length != outChannels + 1
                || bias.length != outChannels || taps.length != values.length || start[0] != 0
                || start[outChannels] != values.length) {
            throw Op.misfit(this, "inconsistent convolution: " + inChannels + " -> " + outChannels + " channels, "
                    + start.length + " channel starts, " + taps.length + " taps, " + values.length + " values, "
                    + bias.length + " biases");
        }
        if (perChannel > Integer.MAX_VALUE) {
            throw Op.misfit(this, "a filter of " + inChannels + " channels and kernel " + Arrays.toString(window.kernel())
                    + " has more than " + Integer.MAX_VALUE + " weights");
        }
        for (int o = 0; o < outChannels; o++) {
            if (start[o + 1] < start[o]) {
                throw Op.misfit(this, "inconsistent convolution: channel " + o + " ends before it starts");
            }
        }
        int maxTap = -1;
        for (int t : taps) {
            if (t < 0 || t >= perChannel) {
                throw Op.misfit(this, "inconsistent convolution: tap " + t + " outside the " + perChannel
                        + " weights of a filter");
            }
            maxTap = Math.max(maxTap, t);
        }
        // as long as the taps in use need: a filter's declared size costs nothing until a tap uses it
        this.used = new boolean[maxTap + 1];
        for (int t : taps) {
            used[t] = true;
        }
    }

    /** The non-zero weights of {@code w}, row-major {@code [out, in, kH, kW]}. */
    static ConvOp of(String layer, float[] w, int inChannels, int outChannels, Window window, float[] bias) {
        int perChannel = inChannels * window.kernel()[0] * window.kernel()[1];
        if ((long) perChannel * outChannels != w.length || bias.length != outChannels) {
            throw new IllegalArgumentException("layer '" + layer + "': " + w.length + " weights and " + bias.length
                    + " biases do not make a " + inChannels + " -> " + outChannels + " convolution with kernel "
                    + Arrays.toString(window.kernel()));
        }
        int[] start = new int[outChannels + 1];
        for (int o = 0; o < outChannels; o++) {
            int kept = 0;
            for (int t = 0; t < perChannel; t++) {
                kept += w[o * perChannel + t] != 0f ? 1 : 0;
            }
            start[o + 1] = start[o] + kept;
        }
        int[] taps = new int[start[outChannels]];
        float[] values = new float[taps.length];
        int p = 0;
        for (int o = 0; o < outChannels; o++) {
            for (int t = 0; t < perChannel; t++) {
                float v = w[o * perChannel + t];
                if (v != 0f) {
                    taps[p] = t;
                    values[p++] = v;
                }
            }
        }
        return new ConvOp(layer, inChannels, outChannels, window, start, taps, values, bias.clone());
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "conv";
    }

    @Override
    public int[] outDims(int[] in) {
        if (in.length != 3 || in[0] != inChannels) {
            throw Op.misfit(this, "takes " + inChannels + " channels [channels, height, width] but gets "
                    + Arrays.toString(in));
        }
        int[] g;
        try {
            g = window.geometry(in[1], in[2]);
        } catch (IllegalArgumentException e) {
            throw Op.misfit(this, e.getMessage());
        }
        if (g[0] < 1 || g[1] < 1) {
            throw Op.misfit(this, "input " + in[1] + "x" + in[2] + " is smaller than its window");
        }
        return new int[] {outChannels, g[0], g[1]};
    }

    @Override
    public String kernel(int[] in, int batch) {
        return kernel(in, batch, KernelRule.nd4j());
    }

    String kernel(int[] in, int batch, boolean nd4j) {
        // ND4J's conv2d pads top and bottom (left and right) alike, and refused dilated windows in the
        // tests (KernelTest): uneven explicit padding and dilation stay sparse
        int[] p = window.pads();
        boolean even = (window.same() || (p[0] == p[2] && p[1] == p[3]))
                && window.dilation()[0] == 1 && window.dilation()[1] == 1;
        int[] out = outDims(in);
        return KernelRule.conv(weights(), nonZeros(), batch, out[1] * out[2], nd4j && even);
    }

    @Override
    public Activations apply(Activations input, ForkJoinPool pool) {
        return apply(input, pool, kernel(input.dims, input.batch));
    }

    /** This step with the given kernel: {@link #apply(Activations, ForkJoinPool)} runs the one the rule picks. */
    Activations apply(Activations input, ForkJoinPool pool, String kernel) {
        return switch (kernel) {
            case KernelRule.SPARSE -> applySparse(input);
            case KernelRule.DENSE_ND4J -> applyNd4j(input);
            default -> throw new IllegalArgumentException("no convolution kernel " + kernel);
        };
    }

    private INDArray dense() {
        INDArray d = dense;
        if (d == null) {
            synchronized (this) { // one off-heap copy, however many threads ask first
                d = dense;
                if (d == null) {
                    int kH = window.kernel()[0];
                    int kW = window.kernel()[1];
                    int perChannel = inChannels * kH * kW;
                    float[] w = new float[outChannels * perChannel];
                    for (int o = 0; o < outChannels; o++) {
                        for (int p = start[o]; p < start[o + 1]; p++) {
                            w[o * perChannel + taps[p]] = values[p];
                        }
                    }
                    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                        d = Nd4j.create(w, new long[] {outChannels, inChannels, kH, kW}, 'c');
                    }
                    dense = d;
                }
            }
        }
        return d;
    }

    // ND4J's conv2d on the dense filters, NCHW in and out, bias added in the same op.
    private Activations applyNd4j(Activations input) {
        Activations x = input.exampleMajor();
        int[] g = window.geometry(x.dims[1], x.dims[2]);
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(window.kernel()[0]).kW(window.kernel()[1])
                .sH(window.stride()[0]).sW(window.stride()[1])
                .dH(window.dilation()[0]).dW(window.dilation()[1])
                .pH(window.same() ? 0 : window.pads()[0]).pW(window.same() ? 0 : window.pads()[1])
                .paddingMode(window.same() ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX)
                .build();
        float[] out;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray in = Nd4j.create(x.data, new long[] {x.batch, inChannels, x.dims[1], x.dims[2]}, 'c');
            INDArray b = Nd4j.create(bias, new long[] {outChannels}, 'c');
            out = Nd4j.cnn().conv2d(in, dense(), b, config).dup('c').data().asFloat();
        }
        return new Activations(out, x.batch, new int[] {outChannels, g[0], g[1]}, false);
    }

    // Per example: each filter tap's input values at every output position (im2col) go into one
    // array per tap, filled only for taps some filter kept; then each kept weight adds its tap's
    // array to its filter's sums, the loop HotSpot vectorizes (see SparseLinear.applyBatch).
    private Activations applySparse(Activations input) {
        int[] g = window.geometry(input.dims[1], input.dims[2]);
        return input.batch >= BATCHED_FROM_BATCH && g[0] * g[1] <= BATCHED_UP_TO_PLANE ? applySparseBatched(input)
                : applySparseByExample(input);
    }

    // Where the batch as the inner loop pays: its cost is per kept weight and output position, the
    // im2col's per tap in use and position, so it wins only on small planes and large batches. 3x3
    // convolutions at 5% and 10% kept, by example / batched, microseconds (KernelRuleProbe sparse-conv):
    // 64 -> 64 on 8x8, batch 64: 2,611 / 1,429 and 3,211 / 2,353; batch 32: 1,264 / 980 and 1,637 / 1,618;
    // 32 -> 32 on 16x16, batch 64: 2,617 / 1,964 and 3,217 / 2,868; 16 -> 16 on 32x32, batch 64: 2,729 /
    // 3,035; 64 -> 64 on 28x28, batch 64: 17,258 / 18,424; at batch 8 it lost 1.7-6x everywhere.
    static final int BATCHED_FROM_BATCH = 64;
    static final int BATCHED_UP_TO_PLANE = 256;

    // The batch as the inner loop: activations as one array per value, the batch contiguous (as the
    // fully connected kernel takes them), and each output position of each filter sums its kept
    // weights times the input rows under them, four at a time, no im2col. The taps are the same and
    // in the same order as applySparseByExample's, a tap in the padding reading a row of zeros, so an
    // example's sums are the same bit for bit in both.
    Activations applySparseBatched(Activations input) {
        int batch = input.batch;
        float[][] rows = input.featureRows();
        int h = input.dims[1];
        int w = input.dims[2];
        int[] g = window.geometry(h, w);
        int outH = g[0];
        int outW = g[1];
        int kH = window.kernel()[0];
        int kW = window.kernel()[1];
        int dH = window.dilation()[0];
        int dW = window.dilation()[1];
        int sH = window.stride()[0];
        int sW = window.stride()[1];
        int n = values.length;
        int[] dy = new int[n];
        int[] dx = new int[n];
        int[] offset = new int[n]; // of the tap's input value from the window's corner
        for (int p = 0; p < n; p++) {
            int t = taps[p];
            int c = t / (kH * kW);
            dy[p] = t / kW % kH * dH;
            dx[p] = t % kW * dW;
            offset[p] = (c * h + dy[p]) * w + dx[p];
        }
        float[] zero = new float[batch];
        float[] acc = new float[batch];
        float[][] r = new float[4][];
        int plane = outH * outW;
        float[] out = new float[outChannels * plane * batch];
        for (int o = 0; o < outChannels; o++) {
            int first = start[o];
            int end = start[o + 1];
            for (int oy = 0; oy < outH; oy++) {
                int y0 = oy * sH - g[2];
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = ox * sW - g[3];
                    boolean inside = y0 >= 0 && x0 >= 0 && y0 + (kH - 1) * dH < h && x0 + (kW - 1) * dW < w;
                    int corner = y0 * w + x0;
                    Arrays.fill(acc, bias[o]);
                    int p = first;
                    for (; p + 3 < end; p += 4) {
                        for (int k = 0; k < 4; k++) {
                            int y = y0 + dy[p + k];
                            int x = x0 + dx[p + k];
                            r[k] = inside || (y >= 0 && y < h && x >= 0 && x < w) ? rows[corner + offset[p + k]] : zero;
                        }
                        float v0 = values[p];
                        float v1 = values[p + 1];
                        float v2 = values[p + 2];
                        float v3 = values[p + 3];
                        float[] r0 = r[0];
                        float[] r1 = r[1];
                        float[] r2 = r[2];
                        float[] r3 = r[3];
                        for (int b = 0; b < batch; b++) {
                            acc[b] += v0 * r0[b] + v1 * r1[b] + v2 * r2[b] + v3 * r3[b];
                        }
                    }
                    for (; p < end; p++) {
                        int y = y0 + dy[p];
                        int x = x0 + dx[p];
                        float[] r0 = inside || (y >= 0 && y < h && x >= 0 && x < w) ? rows[corner + offset[p]] : zero;
                        float v = values[p];
                        for (int b = 0; b < batch; b++) {
                            acc[b] += v * r0[b];
                        }
                    }
                    System.arraycopy(acc, 0, out, ((o * outH + oy) * outW + ox) * batch, batch);
                }
            }
        }
        return new Activations(out, batch, new int[] {outChannels, outH, outW}, true);
    }

    // The im2col arrays of the taps in use, kept per thread for the next call on inputs of the same
    // size when they are small: a call then writes only the positions it wrote before (those in the
    // padding stay 0), and a 64-channel 3x3 layer on 28x28 saves allocating and zeroing 1.8 MB.
    private static final long CACHED_COLUMNS = 4L << 20; // bytes, per layer and thread
    private final ThreadLocal<Columns> columns = new ThreadLocal<>();

    private record Columns(int h, int w, float[][] arrays) {}

    private float[][] columns(int h, int w, int plane) {
        Columns cached = columns.get();
        if (cached != null && cached.h() == h && cached.w() == w) {
            return cached.arrays();
        }
        float[][] cols = new float[used.length][];
        long bytes = 0;
        for (int t = 0; t < used.length; t++) {
            cols[t] = used[t] ? new float[plane] : null; // positions in the padding stay 0 for every example
            bytes += used[t] ? 4L * plane : 0;
        }
        if (bytes <= CACHED_COLUMNS) {
            columns.set(new Columns(h, w, cols));
        }
        return cols;
    }

    Activations applySparseByExample(Activations input) {
        Activations x = input.exampleMajor();
        int h = x.dims[1];
        int w = x.dims[2];
        int[] g = window.geometry(h, w);
        int outH = g[0];
        int outW = g[1];
        int kH = window.kernel()[0];
        int kW = window.kernel()[1];
        int sH = window.stride()[0];
        int sW = window.stride()[1];
        int plane = outH * outW;
        float[][] cols = columns(h, w, plane);
        float[] acc = new float[plane];
        float[] out = new float[x.batch * outChannels * plane];
        for (int b = 0; b < x.batch; b++) {
            for (int t = 0; t < used.length; t++) {
                if (!used[t]) {
                    continue;
                }
                int c = t / (kH * kW);
                int offY = t / kW % kH * window.dilation()[0] - g[2];
                int offX = t % kW * window.dilation()[1] - g[3];
                int base = (b * inChannels + c) * h * w;
                int oy1 = Window.end(offY, sH, h, outH);
                int ox0 = Window.first(offX, sW);
                int ox1 = Window.end(offX, sW, w, outW);
                float[] col = cols[t];
                for (int oy = Window.first(offY, sH); oy < oy1; oy++) {
                    int in = base + (oy * sH + offY) * w + offX;
                    if (sW == 1 && ox1 > ox0) { // a run of the input row: one block copy
                        System.arraycopy(x.data, in + ox0, col, oy * outW + ox0, ox1 - ox0);
                        continue;
                    }
                    for (int ox = ox0; ox < ox1; ox++) {
                        col[oy * outW + ox] = x.data[in + ox * sW];
                    }
                }
            }
            for (int o = 0; o < outChannels; o++) {
                Arrays.fill(acc, bias[o]);
                int p = start[o];
                int end = start[o + 1];
                for (; p + 3 < end; p += 4) {
                    float v0 = values[p];
                    float v1 = values[p + 1];
                    float v2 = values[p + 2];
                    float v3 = values[p + 3];
                    float[] c0 = cols[taps[p]];
                    float[] c1 = cols[taps[p + 1]];
                    float[] c2 = cols[taps[p + 2]];
                    float[] c3 = cols[taps[p + 3]];
                    for (int i = 0; i < plane; i++) {
                        acc[i] += v0 * c0[i] + v1 * c1[i] + v2 * c2[i] + v3 * c3[i];
                    }
                }
                for (; p < end; p++) {
                    float v = values[p];
                    float[] c = cols[taps[p]];
                    for (int i = 0; i < plane; i++) {
                        acc[i] += v * c[i];
                    }
                }
                System.arraycopy(acc, 0, out, (b * outChannels + o) * plane, plane);
            }
        }
        return new Activations(out, x.batch, new int[] {outChannels, outH, outW}, false);
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new HashMap<>(windowAttributes(window));
        a.put("inputs", inChannels);
        a.put("outputs", outChannels);
        return a;
    }

    static Map<String, Object> windowAttributes(Window window) {
        Map<String, Object> a = new HashMap<>();
        a.put("kernel", window.kernel());
        a.put("stride", window.stride());
        a.put("dilation", window.dilation());
        a.put("padding", window.same() ? "same" : window.pads());
        return a;
    }

    @Override
    public Map<String, Object> tensors() {
        return Map.of("start", start, "taps", taps, "values", values, "bias", bias);
    }

    @Override
    public long weights() {
        return (long) inChannels * outChannels * window.kernel()[0] * window.kernel()[1];
    }

    @Override
    public long nonZeros() {
        return values.length;
    }
}

package org.lottery4j.inference;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * A 2-D convolution (NCHW) that stores, for each output channel, only its non-zero taps: the
 * packed position {@code (c * kH + ky) * kW + kx} and the weight. Each kept tap adds the input
 * values it sees at every output position to its filter's output plane, so the work is
 * proportional to the taps kept and the same loop serves a dense layer.
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

    // Per example: each filter tap's input values at every output position (im2col) go into one
    // array per tap, filled only for taps some filter kept; then each kept weight adds its tap's
    // array to its filter's sums, the loop HotSpot vectorizes (see SparseLinear.applyBatch).
    @Override
    public Activations apply(Activations input, ForkJoinPool pool) {
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
        float[][] cols = new float[used.length][];
        for (int t = 0; t < used.length; t++) {
            cols[t] = used[t] ? new float[plane] : null; // positions in the padding stay 0 for every example
        }
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

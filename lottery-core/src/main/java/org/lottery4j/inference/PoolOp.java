package org.lottery4j.inference;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** Max or average pooling over each channel (NCHW); padding never wins a max and, unless asked, is not counted in an average. */
final class PoolOp implements Op {

    private final String layer;
    private final boolean max;
    private final Window window;
    private final boolean countPadding;

    PoolOp(String layer, boolean max, Window window, boolean countPadding) {
        this.layer = layer;
        this.max = max;
        this.window = window;
        this.countPadding = countPadding;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return max ? "maxpool" : "avgpool";
    }

    @Override
    public int[] outDims(int[] in) {
        if (in.length != 3) {
            throw Op.misfit(this, "takes [channels, height, width] but gets " + Arrays.toString(in));
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
        return new int[] {in[0], g[0], g[1]};
    }

    @Override
    public Activations apply(Activations input, ForkJoinPool pool) {
        Activations x = input.exampleMajor();
        int channels = x.dims[0];
        int h = x.dims[1];
        int w = x.dims[2];
        int[] g = window.geometry(h, w);
        int outH = g[0];
        int outW = g[1];
        int kH = window.kernel()[0];
        int kW = window.kernel()[1];
        float[] out = new float[x.batch * channels * outH * outW];
        int o = 0;
        for (int plane = 0; plane < x.batch * channels; plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    int count = 0;
                    for (int ky = 0; ky < kH; ky++) {
                        int iy = oy * window.stride()[0] + ky * window.dilation()[0] - g[2];
                        for (int kx = 0; kx < kW; kx++) {
                            int ix = ox * window.stride()[1] + kx * window.dilation()[1] - g[3];
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            float v = x.data[base + iy * w + ix];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    out[o++] = max ? acc : acc / (countPadding ? (float) ((long) kH * kW) : Math.max(count, 1));
                }
            }
        }
        return new Activations(out, x.batch, new int[] {channels, outH, outW}, false);
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new HashMap<>(ConvOp.windowAttributes(window));
        if (!max) {
            a.put("count_padding", countPadding);
        }
        return a;
    }
}

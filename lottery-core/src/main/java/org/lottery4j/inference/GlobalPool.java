package org.lottery4j.inference;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** Global pooling (DL4J's {@code GlobalPoolingLayer}): each channel's average, maximum or sum over its whole plane, as [channels, 1, 1]. */
final class GlobalPool implements Op {

    enum Type {
        AVG, MAX, SUM;

        String setting() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String layer;
    private final Type type;

    GlobalPool(String layer, Type type) {
        this.layer = layer;
        this.type = type;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "globalpool";
    }

    @Override
    public int[] outDims(int[] in) {
        if (in.length != 3) {
            throw Op.misfit(this, "takes [channels, height, width] but gets " + Arrays.toString(in));
        }
        return new int[] {in[0], 1, 1};
    }

    @Override
    public Activations apply(Activations input, ForkJoinPool pool) {
        Activations x = input.exampleMajor();
        int channels = x.dims[0];
        int plane = x.dims[1] * x.dims[2];
        float[] out = new float[x.batch * channels];
        for (int e = 0; e < x.batch * channels; e++) {
            int at = e * plane;
            if (type == Type.MAX) {
                float m = x.data[at];
                for (int i = 1; i < plane; i++) {
                    m = Math.max(m, x.data[at + i]);
                }
                out[e] = m;
            } else {
                float s = 0f;
                for (int i = 0; i < plane; i++) {
                    s += x.data[at + i];
                }
                out[e] = type == Type.AVG ? s / plane : s;
            }
        }
        return new Activations(out, x.batch, outDims(x.dims), false);
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("type", type.setting());
    }
}

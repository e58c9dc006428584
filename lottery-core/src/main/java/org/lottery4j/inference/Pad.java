package org.lottery4j.inference;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** Zero padding around each channel's plane (DL4J's {@code ZeroPaddingLayer}): {@code [top, left, bottom, right]} rows and columns of zeros. */
final class Pad implements Op {

    private final String layer;
    private final int[] pads;

    Pad(String layer, int[] pads) {
        this.layer = layer;
        this.pads = pads.clone();
        if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw Op.misfit(this, "padding must be [top, left, bottom, right], each at least 0, got " + Arrays.toString(pads));
        }
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "pad";
    }

    @Override
    public int[] outDims(int[] in) {
        if (in.length != 3) {
            throw Op.misfit(this, "takes [channels, height, width] but gets " + Arrays.toString(in));
        }
        long h = (long) in[1] + pads[0] + pads[2];
        long w = (long) in[2] + pads[1] + pads[3];
        if (h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
            throw Op.misfit(this, "padding " + Arrays.toString(pads) + " makes " + Arrays.toString(in) + " too large");
        }
        int[] out = {in[0], (int) h, (int) w};
        try {
            Activations.features(out);
        } catch (IllegalArgumentException e) {
            throw Op.misfit(this, e.getMessage());
        }
        return out;
    }

    @Override
    public Activations apply(Activations input, ForkJoinPool pool) {
        Activations x = input.exampleMajor();
        int[] dims = outDims(x.dims);
        int h = x.dims[1];
        int w = x.dims[2];
        int outW = dims[2];
        int outPlane = dims[1] * outW;
        float[] out = new float[x.batch * x.dims[0] * outPlane];
        for (int e = 0; e < x.batch * x.dims[0]; e++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(x.data, (e * h + y) * w, out, e * outPlane + (y + pads[0]) * outW + pads[1], w);
            }
        }
        return new Activations(out, x.batch, dims, false);
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("padding", pads.clone());
    }
}

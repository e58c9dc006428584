package org.lottery4j.inference;

import java.util.concurrent.ForkJoinPool;

/** Softmax over each example's features, computed in double from the largest value down, as DL4J does. */
final class Softmax implements Op {

    private final String layer;

    Softmax(String layer) {
        this.layer = layer;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "softmax";
    }

    @Override
    public int[] outDims(int[] in) {
        if (in.length != 1) {
            throw Op.misfit(this, "softmax takes [features] per example but gets " + java.util.Arrays.toString(in));
        }
        return in;
    }

    @Override
    public Activations apply(Activations input, ForkJoinPool pool) {
        Activations x = input.exampleMajor();
        int n = x.features();
        float[] out = new float[x.data.length];
        for (int b = 0; b < x.batch; b++) {
            int at = b * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x.data[at + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(x.data[at + i] - max);
            }
            for (int i = 0; i < n; i++) {
                out[at + i] = (float) (Math.exp(x.data[at + i] - max) / sum);
            }
        }
        return new Activations(out, x.batch, x.dims, false);
    }
}

package org.lottery4j.inference;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * Batch normalization at inference, folded into {@code y = x * scale + shift} per channel (per
 * feature for 2-D activations), with {@code scale = gamma / sqrt(var + eps)} and
 * {@code shift = beta - mean * scale} computed in double.
 */
final class ChannelAffine implements Op {

    private final String layer;
    private final float[] scale;
    private final float[] shift;

    ChannelAffine(String layer, float[] scale, float[] shift) {
        this.layer = layer;
        this.scale = scale;
        this.shift = shift;
        if (scale.length != shift.length || scale.length == 0) {
            throw Op.misfit(this, scale.length + " scales and " + shift.length + " shifts");
        }
    }

    static ChannelAffine batchNorm(String layer, float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
        int n = gamma.length;
        if (beta.length != n || mean.length != n || var.length != n) {
            throw new IllegalArgumentException("layer '" + layer + "': batch norm with " + n + " gammas, " + beta.length
                    + " betas, " + mean.length + " means and " + var.length + " variances");
        }
        float[] scale = new float[n];
        float[] shift = new float[n];
        for (int c = 0; c < n; c++) {
            double s = gamma[c] / Math.sqrt((double) var[c] + eps);
            scale[c] = (float) s;
            shift[c] = (float) (beta[c] - mean[c] * s);
        }
        return new ChannelAffine(layer, scale, shift);
    }

    float[] scale() {
        return scale;
    }

    float[] shift() {
        return shift;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "batchnorm";
    }

    @Override
    public int[] outDims(int[] in) {
        if ((in.length != 1 && in.length != 3) || in[0] != scale.length) {
            throw Op.misfit(this, "normalizes " + scale.length + " channels but gets " + Arrays.toString(in));
        }
        return in;
    }

    @Override
    public Activations apply(Activations x, ForkJoinPool pool) {
        float[] out = new float[x.data.length];
        int perChannel = x.features() / scale.length; // 1 for 2-D activations, height * width for 4-D
        // batch-major data holds feature f at [f * batch, (f + 1) * batch): a run of batch values
        int run = x.batchInner ? x.batch : 1;
        int runsPerExample = x.batchInner ? 1 : x.batch;
        int features = x.features();
        for (int e = 0; e < runsPerExample; e++) {
            for (int f = 0; f < features; f++) {
                int c = f / perChannel;
                int at = x.batchInner ? f * run : e * features + f;
                for (int i = 0; i < run; i++) {
                    out[at + i] = x.data[at + i] * scale[c] + shift[c];
                }
            }
        }
        return new Activations(out, x.batch, x.dims, x.batchInner);
    }

    @Override
    public Map<String, Object> tensors() {
        return Map.of("scale", scale, "shift", shift);
    }
}

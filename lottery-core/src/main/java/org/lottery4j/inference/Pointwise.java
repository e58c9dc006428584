package org.lottery4j.inference;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * A function of each value alone: the activations relu, leaky relu, sigmoid and tanh, and a
 * constant factor ({@code scale}, DL4J's {@code ScaleVertex}) or addend ({@code shift},
 * {@code ShiftVertex}). The layout does not matter.
 */
final class Pointwise implements Op {

    enum Function {
        RELU, LEAKYRELU, SIGMOID, TANH, SCALE, SHIFT;

        String kind() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String layer;
    private final Function function;
    private final float alpha; // leaky relu's slope, or the constant of scale and shift

    Pointwise(String layer, Function function, float alpha) {
        this.layer = layer;
        this.function = function;
        this.alpha = alpha;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return function.kind();
    }

    @Override
    public int[] outDims(int[] in) {
        return in;
    }

    @Override
    public Activations apply(Activations x, ForkJoinPool pool) {
        float[] in = x.data;
        float[] out = new float[in.length];
        switch (function) {
            case RELU -> {
                for (int i = 0; i < in.length; i++) {
                    out[i] = in[i] > 0f ? in[i] : 0f;
                }
            }
            case LEAKYRELU -> {
                for (int i = 0; i < in.length; i++) {
                    out[i] = in[i] > 0f ? in[i] : alpha * in[i];
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < in.length; i++) {
                    out[i] = (float) (1 / (1 + Math.exp(-in[i])));
                }
            }
            case TANH -> {
                for (int i = 0; i < in.length; i++) {
                    out[i] = (float) Math.tanh(in[i]);
                }
            }
            case SCALE -> {
                for (int i = 0; i < in.length; i++) {
                    out[i] = in[i] * alpha;
                }
            }
            case SHIFT -> {
                for (int i = 0; i < in.length; i++) {
                    out[i] = in[i] + alpha;
                }
            }
        }
        return new Activations(out, x.batch, x.dims, x.batchInner);
    }

    @Override
    public Map<String, Object> attributes() {
        return switch (function) {
            case LEAKYRELU -> Map.of("alpha", alpha);
            case SCALE, SHIFT -> Map.of("value", alpha);
            default -> Map.of();
        };
    }
}

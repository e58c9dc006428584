package org.lottery4j.inference;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * A new shape for each example, its values in the same order: flattening {@code [c, h, w]} to
 * {@code [c * h * w]} (DL4J's CnnToFeedForward) or the reverse (FeedForwardToCnn). Nothing moves,
 * in either layout.
 */
final class Reshape implements Op {

    private final String layer;
    private final int[] dims;

    Reshape(String layer, int[] dims) {
        this.layer = layer;
        this.dims = dims.clone();
        if (dims.length == 0 || Arrays.stream(dims).anyMatch(d -> d < 1)) {
            throw Op.misfit(this, "cannot reshape to " + Arrays.toString(dims));
        }
        if (!isFlatten()) {
            try {
                Activations.features(dims);
            } catch (IllegalArgumentException e) {
                throw Op.misfit(this, "cannot reshape to " + Arrays.toString(dims) + ": " + e.getMessage());
            }
        }
    }

    /** Flattening: the shape is known only from the input. */
    static Reshape flatten(String layer) {
        return new Reshape(layer, new int[] {Integer.MAX_VALUE});
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "reshape";
    }

    @Override
    public int[] outDims(int[] in) {
        if (isFlatten()) {
            return new int[] {Activations.features(in)};
        }
        if (Activations.features(in) != Activations.features(dims)) {
            throw Op.misfit(this, "cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(dims));
        }
        return dims.clone();
    }

    private boolean isFlatten() {
        return dims.length == 1 && dims[0] == Integer.MAX_VALUE;
    }

    @Override
    public Activations apply(Activations x, ForkJoinPool pool) {
        return x.reshaped(outDims(x.dims));
    }

    @Override
    public Map<String, Object> attributes() {
        return isFlatten() ? Map.of("flatten", true) : Map.of("shape", dims.clone());
    }
}

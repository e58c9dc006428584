package org.lottery4j.inference;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** Channels (or features) {@code from} to {@code to - 1} of each example (DL4J's {@code SubsetVertex}). */
final class Slice implements Op {

    private final String layer;
    private final int from;
    private final int to;

    Slice(String layer, int from, int to) {
        this.layer = layer;
        this.from = from;
        this.to = to;
        if (from < 0 || to <= from) {
            throw Op.misfit(this, "takes channels 'from' (at least 0) to 'to' (past 'from'), got " + from + " to " + to);
        }
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "slice";
    }

    @Override
    public int[] outDims(int[] in) {
        if (to > in[0]) {
            throw Op.misfit(this, "takes channels " + from + " to " + (to - 1) + " of " + Arrays.toString(in));
        }
        int[] out = in.clone();
        out[0] = to - from;
        return out;
    }

    @Override
    public Activations apply(Activations input, ForkJoinPool pool) {
        Activations x = input.exampleMajor();
        int[] dims = outDims(x.dims);
        int per = x.features() / x.dims[0]; // values per channel
        int n = Activations.features(dims);
        float[] out = new float[x.batch * n];
        for (int b = 0; b < x.batch; b++) {
            System.arraycopy(x.data, b * x.features() + from * per, out, b * n, n);
        }
        return new Activations(out, x.batch, dims, false);
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("from", from, "to", to);
    }
}

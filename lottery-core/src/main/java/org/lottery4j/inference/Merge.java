package org.lottery4j.inference;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;

/**
 * A step that joins the outputs of several earlier steps: element by element (a residual
 * connection's {@code add}, {@code sub}, {@code mul}, {@code average}, {@code max}) or one after
 * the other along the channels (or features) ({@code concat}), as DL4J's {@code ElementWiseVertex}
 * and {@code MergeVertex} do.
 */
final class Merge implements Op {

    enum Kind {
        ADD, SUB, MUL, AVERAGE, MAX, CONCAT;

        String kind() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String kind) {
            for (Kind k : values()) {
                if (k.kind().equals(kind)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final String layer;
    private final Kind kind;

    Merge(String layer, Kind kind) {
        this.layer = layer;
        this.kind = kind;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return kind.kind();
    }

    @Override
    public boolean joins() {
        return true;
    }

    @Override
    public int[] outDims(int[] in) {
        throw new IllegalStateException(kind() + " takes several inputs");
    }

    @Override
    public Activations apply(Activations x, ForkJoinPool pool) {
        throw new IllegalStateException(kind() + " takes several inputs");
    }

    @Override
    public int[] outDims(List<int[]> in) {
        if (kind == Kind.SUB ? in.size() != 2 : in.size() < 2) {
            throw Op.misfit(this, "joins " + (kind == Kind.SUB ? "2 inputs" : "at least 2 inputs") + ", got " + in.size());
        }
        int[] first = in.get(0);
        if (kind != Kind.CONCAT) {
            for (int[] d : in) {
                if (!Arrays.equals(d, first)) {
                    throw Op.misfit(this, "joins values of one shape element by element, but gets "
                            + in.stream().map(Arrays::toString).toList());
                }
            }
            return first.clone();
        }
        long along = 0;
        for (int[] d : in) {
            if (d.length != first.length || !Arrays.equals(d, 1, d.length, first, 1, first.length)) {
                throw Op.misfit(this, "joins along the first dimension values whose other dimensions agree, but gets "
                        + in.stream().map(Arrays::toString).toList());
            }
            along += d[0];
        }
        int[] out = first.clone();
        if (along > Integer.MAX_VALUE) {
            throw Op.misfit(this, "would have " + along + " channels");
        }
        out[0] = (int) along;
        Activations.features(out); // refuses more values per example than an array holds
        return out;
    }

    @Override
    public Activations apply(List<Activations> in, ForkJoinPool pool) {
        int batch = in.get(0).batch;
        int[] dims = outDims(in.stream().map(a -> a.dims).toList());
        if (kind == Kind.CONCAT) {
            int features = Activations.features(dims);
            float[] out = new float[batch * features];
            int at = 0;
            for (Activations a : in) {
                Activations x = a.exampleMajor();
                int n = x.features();
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(x.data, b * n, out, b * features + at, n);
                }
                at += n;
            }
            return new Activations(out, batch, dims, false);
        }
        // element by element, any layout will do as long as all are in the same one
        boolean inner = in.stream().allMatch(a -> a.batchInner);
        Activations base = inner ? in.get(0) : in.get(0).exampleMajor();
        float[] out = base.data.clone();
        for (int k = 1; k < in.size(); k++) {
            float[] x = inner ? in.get(k).data : in.get(k).exampleMajor().data;
            switch (kind) {
                case ADD, AVERAGE -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] += x[i];
                    }
                }
                case SUB -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] -= x[i];
                    }
                }
                case MUL -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] *= x[i];
                    }
                }
                default -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Math.max(out[i], x[i]);
                    }
                }
            }
        }
        if (kind == Kind.AVERAGE) {
            float n = in.size();
            for (int i = 0; i < out.length; i++) {
                out[i] /= n;
            }
        }
        return new Activations(out, batch, dims, inner);
    }
}

package org.lottery4j.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * A dense or output layer's product and bias, its kept weights in a {@link SparseLinear}; layers
 * dense enough for the batch run a dense kernel instead ({@link KernelRule}).
 */
final class LinearOp implements Op {

    // Below this much work per call, handing it to other threads costs more than it saves
    // (SparseInferenceBenchmark: LeNet's first layer at batch 64 and 90% pruned, 1.5M multiply-adds,
    // ran 0.9x as fast on two threads).
    static final long PARALLEL_WORK = 4L << 20;

    /** Computes outputs {@code from} to {@code to - 1}: the whole layer, or one thread's part. */
    private interface OutputRange {
        void compute(int from, int to);
    }

    private final String layer;
    private final SparseLinear linear;
    private final DenseLinear dense;

    LinearOp(String layer, SparseLinear linear) {
        this.layer = layer;
        this.linear = linear;
        this.dense = new DenseLinear(linear);
    }

    SparseLinear linear() {
        return linear;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String kind() {
        return "linear";
    }

    @Override
    public int[] outDims(int[] in) {
        if (in.length != 1 || in[0] != linear.nIn()) {
            throw Op.misfit(this, "takes " + linear.nIn() + " features per example but gets "
                    + java.util.Arrays.toString(in) + (in.length == 1 ? "" : "; flatten it first"));
        }
        return new int[] {linear.nOut()};
    }

    @Override
    public String kernel(int[] in, int batch) {
        return kernel(batch, KernelRule.nd4j());
    }

    String kernel(int batch, boolean nd4j) {
        return KernelRule.linear(weights(), nonZeros(), batch, nd4j);
    }

    @Override
    public Activations apply(Activations x, ForkJoinPool pool) {
        return apply(x, pool, kernel(x.batch, KernelRule.nd4j()));
    }

    /** This step with the given kernel: {@link #apply(Activations, ForkJoinPool)} runs the one the rule picks. */
    Activations apply(Activations x, ForkJoinPool pool, String kernel) {
        return switch (kernel) {
            case KernelRule.SPARSE -> applySparse(x, pool);
            case KernelRule.DENSE_ND4J -> dense.applyNd4j(x);
            case KernelRule.DENSE_JAVA -> dense.applyJava(x);
            default -> throw new IllegalArgumentException("no kernel " + kernel);
        };
    }

    private Activations applySparse(Activations x, ForkJoinPool pool) {
        int batch = x.batch;
        float[] y = new float[batch * linear.nOut()];
        float[][] rows = batch == 1 ? null : x.featureRows();
        OutputRange outputs = (from, to) -> {
            if (rows == null) {
                linear.applyOne(x.data, y, from, to);
            } else {
                linear.applyBatch(rows, batch, y, from, to);
            }
        };
        // a multiply-add of the batch-1 gather costs about 4 of the vectorized batch loop (0.5 against 0.12 ns)
        long work = (long) (batch == 1 ? 4 : batch) * linear.nonZeros();
        if (pool == null || work < PARALLEL_WORK) {
            outputs.compute(0, linear.nOut());
        } else {
            // outputs split in equal parts, one per thread: each part writes its own rows of y
            int parts = pool.getParallelism();
            List<RecursiveAction> tasks = new ArrayList<>();
            for (int t = 0; t < parts; t++) {
                int from = (int) ((long) linear.nOut() * t / parts);
                int to = (int) ((long) linear.nOut() * (t + 1) / parts);
                tasks.add(new RecursiveAction() {
                    @Override
                    protected void compute() {
                        outputs.compute(from, to);
                    }
                });
            }
            pool.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    invokeAll(tasks);
                }
            });
        }
        return new Activations(y, batch, new int[] {linear.nOut()}, true);
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("inputs", linear.nIn(), "outputs", linear.nOut());
    }

    @Override
    public Map<String, Object> tensors() {
        return Map.of("start", linear.start(), "rows", linear.rows(), "values", linear.values(), "bias", linear.bias());
    }

    @Override
    public long weights() {
        return (long) linear.nIn() * linear.nOut();
    }

    @Override
    public long nonZeros() {
        return linear.nonZeros();
    }
}

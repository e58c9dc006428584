package org.lottery4j.inference;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** One step of a {@link SparseModel}, from one layer of the network (a layer may give two: its product, then its activation). */
interface Op {

    /** The network's layer this step comes from. */
    String layer();

    /** What the step computes, as the file names it: {@code linear}, {@code conv}, {@code relu}... */
    String kind();

    /**
     * The dimensions of one example after this step, given those before.
     *
     * @throws IllegalArgumentException naming the layer if the input does not fit it
     */
    int[] outDims(int[] in);

    /**
     * The kernel this step runs for {@code batch} examples of {@code in} dimensions each:
     * {@code sparse}, {@code dense-nd4j} or {@code dense-java} for layers with weights
     * ({@link KernelRule}), {@code java} for the others.
     */
    default String kernel(int[] in, int batch) {
        return "java";
    }

    /** This step on a batch; {@code pool} is {@code null} for one thread. */
    Activations apply(Activations x, ForkJoinPool pool);

    /** Whether the step joins the values of several earlier steps (a residual add, a concatenation). */
    default boolean joins() {
        return false;
    }

    /**
     * The dimensions of one example after this step, given those of each input: one input, unless
     * the step {@link #joins}.
     *
     * @throws IllegalArgumentException naming the layer if the inputs do not fit it
     */
    default int[] outDims(List<int[]> in) {
        if (in.size() != 1) {
            throw misfit(this, "takes one input, got " + in.size());
        }
        return outDims(in.get(0));
    }

    /** This step on its inputs' values: one, unless the step {@link #joins}. */
    default Activations apply(List<Activations> in, ForkJoinPool pool) {
        return apply(in.get(0), pool);
    }

    /** The step's settings for the file, besides its kind and layer (numbers, strings, int arrays). */
    default Map<String, Object> attributes() {
        return Map.of();
    }

    /** The step's arrays for the file ({@code float[]}, {@code int[]} or {@code char[]}), by field name. */
    default Map<String, Object> tensors() {
        return Map.of();
    }

    /** Weights the network's layer has (kept or not); 0 for steps without weights. */
    default long weights() {
        return 0;
    }

    /** Weights stored (not zero). */
    default long nonZeros() {
        return 0;
    }

    static IllegalArgumentException misfit(Op op, String problem) {
        return new IllegalArgumentException("layer '" + op.layer() + "' (" + op.kind() + "): " + problem);
    }
}

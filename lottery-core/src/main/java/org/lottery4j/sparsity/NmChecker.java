package org.lottery4j.sparsity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.prune.Pruned;
import org.lottery4j.prune.PruningScope;

/**
 * Checks that weights satisfy an N:M pattern: in every group of M consecutive weights along the
 * reduction dimension, at most N are non-zero (exactly {@code != 0.0}, no tolerance). Groups lie
 * as {@link NmPruner} makes them. To check an exported safetensors file, see
 * {@code org.lottery4j.export.SafetensorsFile#checkPattern}.
 *
 * <pre>{@code
 * NmChecker checker = new NmChecker(NmPattern.TWO_FOUR);
 * NmReport report = checker.check(NetworkView.of(net));          // the network's current weights
 * NmReport.Entry e = checker.checkMatrix("w", values, rows, k);   // a row-major [rows, k] matrix
 * }</pre>
 */
public final class NmChecker {

    private final NmPattern pattern;

    public NmChecker(NmPattern pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
    }

    public NmPattern pattern() {
        return pattern;
    }

    /**
     * Checks the weights of the network's dense, output and convolution layers (every parameter
     * that lottery4j prunes by default); other prunable weights (LSTM) are listed as skipped, as
     * are layers whose reduction dimension is not a multiple of M.
     */
    public NmReport check(NetworkView view) {
        List<NmReport.Entry> entries = new ArrayList<>();
        List<Pruned.Skipped> skipped = new ArrayList<>();
        for (ParamInfo p : view.params()) {
            if (!PruningScope.isPrunableByDefault(p)) {
                continue;
            }
            String[] why = new String[1];
            GroupLayout g = GroupLayout.of(p, why);
            if (g == null || g.k() % pattern.m() != 0) {
                skipped.add(new Pruned.Skipped(p.key().toString(),
                        g == null ? why[0] : NmPruner.notMultiple(p, g.k(), pattern)));
                continue;
            }
            entries.add(new NmReport.Entry(p.key().toString(), g.groups(pattern.m()),
                    NmKernels.countViolations(pattern, view.read(p), g)));
        }
        return new NmReport(pattern, entries, skipped);
    }

    /**
     * Checks a row-major matrix {@code [rows, k]} whose rows are the groups' direction (a PyTorch
     * Linear weight {@code [out, in]}, or a DL4J dense W read in its flat 'f' order).
     *
     * @throws IllegalArgumentException if the size does not match, or {@code k} is not a multiple of M
     */
    public NmReport.Entry checkMatrix(String name, float[] values, int rows, int k) {
        GroupLayout g = GroupLayout.matrix(rows, k);
        requireLength(name, values, (long) rows * k, "[" + rows + ", " + k + "]");
        if (k % pattern.m() != 0) {
            throw new IllegalArgumentException(name + ": reduction dimension " + k + " is not a multiple of "
                    + pattern.m() + ", so " + pattern + " groups do not tile it");
        }
        return new NmReport.Entry(name, g.groups(pattern.m()), NmKernels.countViolations(pattern, values, g));
    }

    /**
     * Checks tensors in PyTorch's layout, one at a time: Linear weights {@code [out, in]} and Conv
     * weights {@code [out, in, kH, kW]} (C order), grouped along {@code in}. Tensors of other ranks
     * (biases, normalization) are not weights and are left out silently; weights whose {@code in}
     * is not a multiple of M are listed as skipped.
     *
     * @param shapes tensor name to shape, in report order
     * @param values the values of a named tensor, in C order (called once per checked tensor)
     * @throws IllegalArgumentException if a tensor has fewer or more values than its shape says
     */
    public NmReport checkTorch(Map<String, long[]> shapes, Function<String, float[]> values) {
        List<NmReport.Entry> entries = new ArrayList<>();
        List<Pruned.Skipped> skipped = new ArrayList<>();
        for (Map.Entry<String, long[]> t : shapes.entrySet()) {
            String name = t.getKey();
            GroupLayout g = GroupLayout.ofTorch(t.getValue());
            if (g == null) {
                continue;
            }
            if (g.k() % pattern.m() != 0) {
                skipped.add(new Pruned.Skipped(name, "reduction dimension in=" + g.k() + " of shape "
                        + Arrays.toString(t.getValue()) + " is not a multiple of " + pattern.m()));
                continue;
            }
            float[] v = values.apply(name);
            requireLength(name, v, (long) g.rows() * g.k(), Arrays.toString(t.getValue()));
            entries.add(new NmReport.Entry(name, g.groups(pattern.m()), NmKernels.countViolations(pattern, v, g)));
        }
        return new NmReport(pattern, entries, skipped);
    }

    private static void requireLength(String name, float[] values, long expected, String shape) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + ": a tensor of shape " + shape + " has " + expected
                    + " elements, got " + values.length + " values");
        }
    }
}

package org.lottery4j.sparsity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.Pruned;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.prune.PruningStrategy;

/**
 * Computes N:M masks: in every group of M consecutive weights along a layer's reduction dimension,
 * keep the N of largest magnitude. Like every pruning method it only computes masks; it never
 * changes the network.
 *
 * <ul>
 *   <li>Dense and output W {@code [nIn, nOut]}: groups along {@code nIn} for each output unit.
 *   <li>Convolution W {@code [nOut, nIn, kH, kW]}: groups along the input channels for each output
 *       channel and kernel position, as NVIDIA's ASP does.
 *   <li>It composes with a ticket: within a group only the weights the current mask keeps compete,
 *       pruned weights stay pruned, and a group keeps exactly N weights when the ticket kept at
 *       least N there (all of them otherwise). Ties go to the lower element index.
 *   <li>Parameters whose reduction dimension is not a multiple of M, and prunable weights with no
 *       matrix-multiply layout (LSTM), are left as they were and listed in
 *       {@link Pruned#skipped()} with the reason, never half-done.
 * </ul>
 *
 * <pre>{@code
 * Pruned r = new NmPruner(NmPattern.TWO_FOUR).prune(ticket.view(), ticket.masks(), 0);
 * r.skipped().forEach(s -> System.out.println(s.name() + ": " + s.reason()));
 * ticket.applyMasks(r.masks());         // the ticket's masks with 2:4 on top, enforced from now on
 * }</pre>
 */
public final class NmPruner implements PruningStrategy {

    private final NmPattern pattern;
    private final PruningScope scope;

    /** Applies {@code pattern} to every weight lottery4j prunes by default. */
    public NmPruner(NmPattern pattern) {
        this(pattern, PruningScope.layerwise());
    }

    /** Applies {@code pattern} to the parameters of {@code scope} (its fractions and ranking are ignored). */
    public NmPruner(NmPattern pattern, PruningScope scope) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    public NmPattern pattern() {
        return pattern;
    }

    public PruningScope scope() {
        return scope;
    }

    /** Every weight in scope, all kept: where an N:M search starts. */
    @Override
    public MaskSet initialMasks(NetworkView view) {
        return MaskSet.allKept(view, scope.resolve(view).stream().map(t -> t.param().key()).toList());
    }

    /** {@code N:M SCOPE}, such as {@code 2:4 layerwise}. */
    @Override
    public String describe() {
        return pattern + " " + scope.describe();
    }

    /**
     * N:M masks on top of {@code current}: parameters in scope get N:M within what {@code current}
     * keeps; parameters of {@code current} outside the scope, and skipped ones, keep their mask.
     * The pattern fixes the sparsity, so {@code fraction} is ignored.
     *
     * @throws IllegalArgumentException if the masks do not fit the network, or a kept weight in
     *     scope is NaN or infinite
     */
    @Override
    public Pruned prune(NetworkView view, MaskSet current, double fraction) {
        current.checkFits(view);
        Map<ParamKey, Mask> next = new LinkedHashMap<>(current.asMap());
        List<Pruned.Skipped> skipped = new ArrayList<>();
        for (PruningScope.Target t : scope.resolve(view)) {
            ParamInfo p = t.param();
            String[] why = new String[1];
            GroupLayout g = GroupLayout.of(p, why);
            if (g == null || g.k() % pattern.m() != 0) {
                skipped.add(new Pruned.Skipped(p.key().toString(), g == null ? why[0] : notMultiple(p, g.k(), pattern)));
                continue;
            }
            Mask previous = current.get(p.key()) != null ? current.get(p.key()) : Mask.allKept(p.shape());
            next.put(p.key(), select(pattern, view.read(p), previous, g, p.key().toString()));
        }
        return new Pruned(MaskSet.of(next), skipped);
    }

    /**
     * N:M selection on a row-major matrix {@code [rows, k]}, groups along each row (the layout of a
     * PyTorch Linear weight {@code [out, in]}, and of a DL4J dense W in its flat 'f' order). This is
     * the streaming kernel behind {@link #prune}: one pass over the weights, no allocation per element.
     *
     * @param previous mask of shape {@code [rows, k]} (any shape with that many elements); its pruned
     *     weights stay pruned
     * @throws IllegalArgumentException if sizes do not match, {@code k} is not a multiple of M, or a
     *     kept weight is NaN or infinite
     */
    public static Mask select(NmPattern pattern, float[] weights, int rows, int k, Mask previous) {
        GroupLayout g = GroupLayout.matrix(rows, k);
        if (weights.length != (long) rows * k || previous.length() != (long) rows * k) {
            throw new IllegalArgumentException("a [" + rows + ", " + k + "] matrix has " + (long) rows * k
                    + " elements, got " + weights.length + " weights and a mask of " + previous.length());
        }
        if (k % pattern.m() != 0) {
            throw new IllegalArgumentException("reduction dimension " + k + " is not a multiple of " + pattern.m()
                    + ", so " + pattern + " groups do not tile it");
        }
        return select(pattern, weights, previous, g, "matrix");
    }

    private static Mask select(NmPattern pattern, float[] weights, Mask previous, GroupLayout g, String name) {
        long[] bits = previous.toWords();
        int bad = NmKernels.select(pattern, weights, bits, g);
        if (bad >= 0) {
            throw new IllegalArgumentException(name + " holds a non-finite weight (" + weights[bad] + ") at element "
                    + bad + ": weights must be finite to be ranked (did training diverge?)");
        }
        return Mask.fromWords(previous.shape(), bits);
    }

    static String notMultiple(ParamInfo p, int k, NmPattern pattern) {
        return "layer " + p.key().layer() + " (" + p.layerType() + ", " + p.key().param() + " "
                + Arrays.toString(p.shape()) + "): reduction dimension nIn=" + k + " is not a multiple of "
                + pattern.m() + ", so " + pattern + " groups do not tile it";
    }
}

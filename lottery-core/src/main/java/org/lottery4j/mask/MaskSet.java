package org.lottery4j.mask;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The masks of every prunable parameter of a network: an immutable map from {@link ParamKey} to
 * {@link Mask}. Parameters without a mask (biases, normalization, excluded layers) are never pruned.
 *
 * <pre>{@code
 * MaskSet masks = MaskSet.allKept(view, List.of(ParamKey.of("layer0", "W")));
 * SparsityReport report = masks.sparsity();
 * INDArray flat = masks.toFlat(net);   // 1 = kept, 0 = pruned, aligned with net.params()
 * }</pre>
 */
public final class MaskSet {

    private final Map<ParamKey, Mask> masks;

    private MaskSet(Map<ParamKey, Mask> masks) {
        this.masks = Collections.unmodifiableMap(masks);
    }

    /** A mask set from a map; iteration follows the map's order. */
    public static MaskSet of(Map<ParamKey, Mask> masks) {
        Map<ParamKey, Mask> copy = new LinkedHashMap<>();
        masks.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v, "mask of " + k)));
        return new MaskSet(copy);
    }

    /** Masks that keep every element of these parameters of {@code view}. */
    public static MaskSet allKept(NetworkView view, List<ParamKey> keys) {
        Map<ParamKey, Mask> out = new LinkedHashMap<>();
        for (ParamKey key : keys) {
            ParamInfo p = view.param(key).orElseThrow(() -> new IllegalArgumentException(
                    "the network has no parameter " + key + "; its parameters are " + view.params()));
            out.put(key, Mask.allKept(p.shape()));
        }
        return new MaskSet(out);
    }

    /** The mask of {@code key}, or {@code null} if that parameter is not masked. */
    public Mask get(ParamKey key) {
        return masks.get(key);
    }

    /** The masked parameters, in order. */
    public Set<ParamKey> keys() {
        return masks.keySet();
    }

    /** The masks as an unmodifiable map. */
    public Map<ParamKey, Mask> asMap() {
        return masks;
    }

    /** A copy with the mask of {@code key} replaced. */
    public MaskSet with(ParamKey key, Mask mask) {
        Map<ParamKey, Mask> copy = new LinkedHashMap<>(masks);
        copy.put(key, mask);
        return new MaskSet(copy);
    }

    /** Counts of pruned and total elements, per parameter, per layer and overall. */
    public SparsityReport sparsity() {
        return SparsityReport.of(this);
    }

    /**
     * Checks that every mask names a parameter of {@code view} with the same shape.
     *
     * @throws IllegalArgumentException naming the first parameter that does not fit
     */
    public void checkFits(NetworkView view) {
        for (Map.Entry<ParamKey, Mask> e : masks.entrySet()) {
            ParamInfo p = view.param(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "masks do not fit this network (masks from another architecture?): the network has no parameter "
                            + e.getKey() + "; its layers are " + view.layerNames()));
            if (!Arrays.equals(p.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("masks do not fit this network (masks from another architecture?): "
                        + "mask of " + e.getKey() + " has shape " + Arrays.toString(e.getValue().shape())
                        + " but the parameter has shape " + Arrays.toString(p.shape()));
            }
        }
    }

    /**
     * The normalized Hamming distance to {@code other}: the share of all elements of the masks whose
     * flag differs, in [0, 1] (You et al., 2020, measure how far an early-bird ticket's mask still
     * moves with it). Two empty sets are at distance 0.
     *
     * @throws IllegalArgumentException naming a parameter that one set has and the other lacks, or whose shapes differ
     */
    public double distance(MaskSet other) {
        if (!masks.keySet().equals(other.masks.keySet())) {
            throw new IllegalArgumentException("the mask sets cover different parameters: " + masks.keySet()
                    + " vs " + other.masks.keySet());
        }
        long different = 0;
        long total = 0;
        for (Map.Entry<ParamKey, Mask> e : masks.entrySet()) {
            try {
                different += e.getValue().countDifferent(other.masks.get(e.getKey()));
            } catch (IllegalArgumentException shapes) {
                throw new IllegalArgumentException(e.getKey() + ": " + shapes.getMessage(), shapes);
            }
            total += e.getValue().length();
        }
        return total == 0 ? 0 : (double) different / total;
    }

    /**
     * Checks that {@code next} only prunes more: same parameters, and nothing pruned here is kept there.
     *
     * @throws IllegalArgumentException naming the parameter whose mask would grow
     */
    public void checkShrinksTo(MaskSet next) {
        for (Map.Entry<ParamKey, Mask> e : masks.entrySet()) {
            Mask after = next.get(e.getKey());
            if (after == null) {
                throw new IllegalArgumentException("the new masks drop the mask of " + e.getKey()
                        + ": masks only ever shrink during a search");
            }
            if (!e.getValue().contains(after)) {
                throw new IllegalArgumentException("the new mask of " + e.getKey() + " revives "
                        + e.getValue().countRevivedBy(after) + " pruned weights: masks only ever shrink during a search");
            }
        }
    }

    /**
     * A flat array aligned with {@code model}'s {@code params()}: 0 where a weight is pruned, 1 everywhere
     * else, in the parameters' data type, so enforcing the masks is one element-wise multiply. (A byte
     * mask would take a quarter of the memory, but ND4J 1.0.0-M2.1 multiplies mixed types several
     * times slower, which would cost more than the rest of a training step on large networks.)
     */
    public INDArray toFlat(Model model) {
        NetworkAdapter network = NetworkAdapter.of(model);
        NetworkView view = network.view();
        checkFits(view);
        long n = view.numParams();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("networks over 2^31 parameters are not supported");
        }
        byte[] flat = new byte[(int) n];
        Arrays.fill(flat, (byte) 1);
        for (Map.Entry<ParamKey, Mask> e : masks.entrySet()) {
            ParamInfo p = view.param(e.getKey()).orElseThrow();
            e.getValue().writeTo(flat, (int) p.offset());
        }
        INDArray params = network.flatParams();
        return Nd4j.createFromArray(flat).castTo(params.dataType()).reshape(params.shape());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskSet m && masks.equals(m.masks);
    }

    @Override
    public int hashCode() {
        return masks.hashCode();
    }

    @Override
    public String toString() {
        return "MaskSet" + sparsity();
    }
}

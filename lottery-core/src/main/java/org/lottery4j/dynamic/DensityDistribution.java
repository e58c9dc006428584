package org.lottery4j.dynamic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.PruningScope;

/**
 * How an overall density is shared among a network's prunable weights (those of
 * {@link PruningScope#isPrunableByDefault}) when sparse training starts from random masks.
 *
 * <ul>
 *   <li>{@link #UNIFORM}: every parameter at the same density.
 *   <li>{@link #ERK} (Erdős–Rényi-Kernel, Evci et al. 2020): the density of a parameter is
 *       proportional to the sum of its dimensions over their product, {@code (nIn + nOut + kH +
 *       kW) / (nIn nOut kH kW)} for a convolution, {@code (nIn + nOut) / (nIn nOut)} for a dense
 *       layer, so small layers stay denser. As in RigL's code, a parameter whose density would
 *       pass 1 is made dense and the others are scaled again, until none passes 1.
 * </ul>
 *
 * <p>Kept counts are whole numbers whose sum is exactly {@code Math.round(density x total)} over
 * the prunable weights: each parameter gets the floor of its real-valued share, and the
 * remaining units go one each to the parameters with the largest fractional parts (ties to the
 * earlier parameter in the flat {@code params()} order). A parameter's count is thus the floor
 * or the ceiling of its share.
 *
 * <pre>{@code
 * Map<ParamKey, Long> counts = DensityDistribution.ERK.keptCounts(view, 0.1);
 * MaskSet initial = DensityDistribution.parse("erk").randomMasks(view, 0.1, 42);
 * }</pre>
 */
public enum DensityDistribution {

    /** The same density for every prunable parameter. */
    UNIFORM,
    /** Erdős–Rényi-Kernel: denser where a parameter has few elements for the sum of its dimensions. */
    ERK;

    /**
     * How many weights each prunable parameter of {@code view} keeps at overall {@code density},
     * in flat order.
     *
     * @throws IllegalArgumentException unless {@code 0 < density <= 1}, or if the network has no
     *     prunable weights
     */
    public Map<ParamKey, Long> keptCounts(NetworkView view, double density) {
        List<ParamInfo> params = prunable(view);
        long[] counts = keptCounts(params, density);
        Map<ParamKey, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            out.put(params.get(i).key(), counts[i]);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Random masks of the prunable parameters of {@code view} keeping exactly
     * {@link #keptCounts} weights each, uniformly at random; the same {@code seed} gives the same
     * masks (each parameter's draw depends on the seed and the parameter's name alone).
     */
    public MaskSet randomMasks(NetworkView view, double density, long seed) {
        List<ParamInfo> params = prunable(view);
        long[] counts = keptCounts(params, density);
        Map<ParamKey, Mask> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            ParamInfo p = params.get(i);
            int n = Math.toIntExact(p.length());
            int[] order = MaskChange.firstShuffled(identity(n), (int) counts[i],
                    new Random(MaskChange.mix(seed, MaskChange.hash(p.key().toString()))));
            boolean[] kept = new boolean[n];
            for (int j = 0; j < counts[i]; j++) {
                kept[order[j]] = true;
            }
            out.put(p.key(), Mask.of(p.shape(), kept));
        }
        return MaskSet.of(out);
    }

    /** {@code uniform} or {@code erk}. */
    public String describe() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code uniform} or {@code erk}, in any case, with spaces around.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static DensityDistribution parse(String text) {
        String t = text == null ? "" : text.strip();
        for (DensityDistribution d : values()) {
            if (d.describe().equalsIgnoreCase(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("not a density distribution: '" + text + "'; expected uniform or erk");
    }

    private static List<ParamInfo> prunable(NetworkView view) {
        List<ParamInfo> params = new ArrayList<>();
        for (PruningScope.Target t : PruningScope.layerwise().resolve(view)) {
            params.add(t.param());
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException("the network has no prunable weights: " + view.params());
        }
        return params;
    }

    long[] keptCounts(List<ParamInfo> params, double density) {
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("density must be in (0, 1], got " + density);
        }
        int m = params.size();
        long[] n = new long[m];
        long total = 0;
        for (int i = 0; i < m; i++) {
            n[i] = params.get(i).length();
            total += n[i];
        }
        double[] share = this == UNIFORM ? uniform(n, density) : erk(params, n, density);
        return largestRemainder(share, n, Math.round(density * total));
    }

    private static double[] uniform(long[] n, double density) {
        double[] share = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            share[i] = density * n[i];
        }
        return share;
    }

    /** RigL's {@code get_sparsities_erdos_renyi} with power 1: the real-valued kept count of each parameter. */
    private static double[] erk(List<ParamInfo> params, long[] n, double density) {
        int m = n.length;
        double[] raw = new double[m];
        for (int i = 0; i < m; i++) {
            long sum = 0;
            for (long d : params.get(i).shape()) {
                sum += d;
            }
            raw[i] = n[i] == 0 ? 0 : (double) sum / n[i];
        }
        boolean[] dense = new boolean[m];
        double eps = 0;
        while (true) {
            // the kept weights left for the scaled parameters once the dense ones take all of theirs
            double rhs = 0;
            double divisor = 0;
            double maxRaw = -1;
            for (int i = 0; i < m; i++) {
                if (dense[i]) {
                    rhs -= (1 - density) * n[i];
                } else {
                    rhs += density * n[i];
                    divisor += raw[i] * n[i];
                    maxRaw = Math.max(maxRaw, raw[i]);
                }
            }
            if (maxRaw < 0) {
                break; // every parameter dense (density 1)
            }
            eps = rhs / divisor;
            if (maxRaw * eps <= 1) {
                break;
            }
            for (int i = 0; i < m; i++) {
                if (!dense[i] && raw[i] == maxRaw) {
                    dense[i] = true;
                }
            }
        }
        double[] share = new double[m];
        for (int i = 0; i < m; i++) {
            share[i] = dense[i] ? n[i] : eps * raw[i] * n[i];
        }
        return share;
    }

    /** Floors, then one more each to the largest fractional parts until the counts sum to {@code target}. */
    private static long[] largestRemainder(double[] share, long[] n, long target) {
        int m = share.length;
        long[] counts = new long[m];
        long sum = 0;
        for (int i = 0; i < m; i++) {
            counts[i] = Math.max(0, Math.min(n[i], (long) Math.floor(share[i])));
            sum += counts[i];
        }
        List<Integer> byFraction = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            byFraction.add(i);
        }
        byFraction.sort((a, b) -> {
            int c = Double.compare(share[b] - Math.floor(share[b]), share[a] - Math.floor(share[a]));
            return c != 0 ? c : Integer.compare(a, b);
        });
        // the shares sum to density x total, so one pass hands out what is left (the loop guards rounding)
        while (sum < target) {
            long before = sum;
            for (int i : byFraction) {
                if (sum < target && counts[i] < n[i]) {
                    counts[i]++;
                    sum++;
                }
            }
            if (sum == before) {
                break;
            }
        }
        return counts;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}

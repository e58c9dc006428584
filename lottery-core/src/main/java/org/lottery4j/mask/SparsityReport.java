package org.lottery4j.mask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much of each masked parameter, each layer and the whole network is pruned. Only masked
 * (prunable) parameters are counted: "weights remaining" in the lottery-ticket papers' sense.
 *
 * <pre>{@code
 * SparsityReport r = masks.sparsity();
 * System.out.printf("%.1f%% of weights remain%n", 100 * r.fractionRemaining());
 * r.byLayer().get("layer0").pruned();
 * }</pre>
 *
 * @param params one entry per masked parameter, in mask order
 */
public record SparsityReport(List<Entry> params) {

    /**
     * Counts for one parameter, one layer or the whole network.
     *
     * @param name {@code layer/param}, the layer name, or {@code total}
     * @param total number of elements
     * @param pruned number of pruned elements
     */
    public record Entry(String name, long total, long pruned) {
        /** Number of elements kept. */
        public long remaining() {
            return total - pruned;
        }

        /** Fraction of elements kept, in [0, 1]; 1 when there are none. */
        public double fractionRemaining() {
            return total == 0 ? 1.0 : (double) remaining() / total;
        }
    }

    public SparsityReport {
        params = List.copyOf(params);
    }

    static SparsityReport of(MaskSet masks) {
        List<Entry> out = new ArrayList<>();
        masks.asMap().forEach((k, m) -> out.add(new Entry(k.toString(), m.length(), m.countPruned())));
        return new SparsityReport(out);
    }

    /** Counts summed per layer, in layer order. */
    public Map<String, Entry> byLayer() {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : params) {
            String layer = e.name().substring(0, e.name().lastIndexOf('/'));
            out.merge(layer, new Entry(layer, e.total(), e.pruned()),
                    (a, b) -> new Entry(layer, a.total() + b.total(), a.pruned() + b.pruned()));
        }
        return out;
    }

    /** Overall counts. */
    public Entry overall() {
        long total = 0;
        long pruned = 0;
        for (Entry e : params) {
            total += e.total();
            pruned += e.pruned();
        }
        return new Entry("total", total, pruned);
    }

    /** Number of masked elements. */
    public long total() {
        return overall().total();
    }

    /** Number of pruned elements. */
    public long pruned() {
        return overall().pruned();
    }

    /** Fraction of masked elements that remain, in [0, 1]. */
    public double fractionRemaining() {
        return overall().fractionRemaining();
    }

    /** A small table: one line per parameter and a total line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        List<Entry> rows = new ArrayList<>(params);
        rows.add(overall());
        for (Entry e : rows) {
            sb.append(String.format(Locale.ROOT, "%n  %-24s %10d / %10d remain (%6.2f%%)",
                    e.name(), e.remaining(), e.total(), 100 * e.fractionRemaining()));
        }
        return sb.toString();
    }
}

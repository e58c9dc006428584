package org.lottery4j.prune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.lottery4j.network.LayerKind;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;

/**
 * Which parameters are pruned, at which rate, and whether their weights are ranked per layer or
 * together. Immutable: every {@code with}/{@code exclude} call returns a new scope.
 *
 * <p>By default the weights of dense, output, convolution (every kind), recurrent and attention
 * layers are pruned ({@link #isPrunableByDefault}); biases, batch-norm parameters, layer-norm
 * gains and embedding tables never are.
 * Layers are named as in the network ({@code layer0, layer1, ...} for an unnamed
 * MultiLayerNetwork) or by index.
 *
 * <ul>
 *   <li>{@link #layerwise()}: every parameter loses the same fraction of its surviving weights.
 *   <li>{@link #global()}: one ranking across all pruned parameters (one magnitude threshold), so
 *       layers with smaller weights lose more. Layers given their own fraction are pruned
 *       layerwise at that fraction, outside the global ranking.
 * </ul>
 *
 * <pre>{@code
 * // the original paper's LeNet: hidden layers at the round's rate, the output layer at half of it
 * PruningScope scope = PruningScope.layerwise().withLayerFraction("layer2", 0.1);
 * PruningScope convOnly = PruningScope.global().exclude("dense").exclude("output");
 * }</pre>
 */
public final class PruningScope {

    /** How scores are ranked. */
    public enum Ranking {
        /** Each parameter ranked on its own. */
        LAYERWISE,
        /** All parameters ranked together. */
        GLOBAL
    }

    /** A layer named by name or by index. */
    private record LayerRef(String name, int index) {
        static LayerRef of(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("layer name must not be empty");
            }
            if (name.startsWith("#") || name.chars().anyMatch(c -> "[]{}=,".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("layer name '" + name
                        + "' cannot be used in a pruning scope: it starts with # or contains one of []{}=,");
            }
            return new LayerRef(name, -1);
        }

        static LayerRef parse(String text) {
            String t = text.trim();
            if (t.startsWith("#")) {
                try {
                    return of(Integer.parseInt(t.substring(1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a layer index: '" + t + "'");
                }
            }
            return of(t);
        }

        static LayerRef of(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("layer index must be >= 0, got " + index);
            }
            return new LayerRef(null, index);
        }

        int resolve(List<String> layerNames) {
            if (name == null) {
                if (index >= layerNames.size()) {
                    throw new IllegalArgumentException("layer index " + index + " is out of range: the network has "
                            + layerNames.size() + " layers " + layerNames);
                }
                return index;
            }
            int i = layerNames.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("unknown layer '" + name + "' in pruning scope; the network's layers are "
                        + layerNames);
            }
            return i;
        }

        @Override
        public String toString() {
            return name != null ? name : "#" + index;
        }
    }

    /**
     * One parameter to prune.
     *
     * @param param the parameter
     * @param ownFraction its own fraction, or {@code NaN} to use the round's fraction
     */
    public record Target(ParamInfo param, double ownFraction) {
        /** Whether the layer has its own fraction. */
        public boolean hasOwnFraction() {
            return !Double.isNaN(ownFraction);
        }
    }

    private final Ranking ranking;
    private final Set<LayerRef> excluded;
    private final Map<LayerRef, Double> layerFractions;

    private PruningScope(Ranking ranking, Set<LayerRef> excluded, Map<LayerRef, Double> layerFractions) {
        this.ranking = ranking;
        this.excluded = Collections.unmodifiableSet(excluded);
        this.layerFractions = Collections.unmodifiableMap(layerFractions);
    }

    /** Every default-prunable parameter ranked on its own. */
    public static PruningScope layerwise() {
        return new PruningScope(Ranking.LAYERWISE, new LinkedHashSet<>(), new LinkedHashMap<>());
    }

    /** Every default-prunable parameter ranked together (one threshold). */
    public static PruningScope global() {
        return new PruningScope(Ranking.GLOBAL, new LinkedHashSet<>(), new LinkedHashMap<>());
    }

    /** How scores are ranked. */
    public Ranking ranking() {
        return ranking;
    }

    /** A copy that never prunes the named layer. */
    public PruningScope exclude(String layerName) {
        return excluding(LayerRef.of(layerName));
    }

    /** A copy that never prunes the layer at this index. */
    public PruningScope exclude(int layerIndex) {
        return excluding(LayerRef.of(layerIndex));
    }

    /** A copy that prunes the named layer at its own fraction of survivors each time. */
    public PruningScope withLayerFraction(String layerName, double fraction) {
        return withFraction(LayerRef.of(layerName), fraction);
    }

    /** A copy that prunes the layer at this index at its own fraction of survivors each time. */
    public PruningScope withLayerFraction(int layerIndex, double fraction) {
        return withFraction(LayerRef.of(layerIndex), fraction);
    }

    private PruningScope excluding(LayerRef ref) {
        Set<LayerRef> ex = new LinkedHashSet<>(excluded);
        ex.add(ref);
        Map<LayerRef, Double> fr = new LinkedHashMap<>(layerFractions);
        fr.remove(ref);
        return new PruningScope(ranking, ex, fr);
    }

    private PruningScope withFraction(LayerRef ref, double fraction) {
        Fractions.check(fraction, " for layer '" + ref + "'");
        Map<LayerRef, Double> fr = new LinkedHashMap<>(layerFractions);
        fr.put(ref, fraction);
        Set<LayerRef> ex = new LinkedHashSet<>(excluded);
        ex.remove(ref);
        return new PruningScope(ranking, ex, fr);
    }

    /**
     * The parameters of {@code view} this scope prunes, in flat order.
     *
     * @throws IllegalArgumentException for a layer the network does not have (the message lists the
     *     network's layers), or a named layer that has no prunable weights
     */
    public List<Target> resolve(NetworkView view) {
        List<String> names = view.layerNames();
        Set<Integer> excludedIdx = new LinkedHashSet<>();
        for (LayerRef ref : excluded) {
            excludedIdx.add(requirePrunable(view, ref, ref.resolve(names)));
        }
        Map<Integer, Double> fractions = new LinkedHashMap<>();
        for (Map.Entry<LayerRef, Double> e : layerFractions.entrySet()) {
            fractions.put(requirePrunable(view, e.getKey(), e.getKey().resolve(names)), e.getValue());
        }
        List<Target> out = new ArrayList<>();
        for (ParamInfo p : view.params()) {
            if (isPrunableByDefault(p) && !excludedIdx.contains(p.layerIndex())) {
                out.add(new Target(p, fractions.getOrDefault(p.layerIndex(), Double.NaN)));
            }
        }
        return out;
    }

    private static int requirePrunable(NetworkView view, LayerRef ref, int index) {
        boolean any = view.params().stream().anyMatch(p -> p.layerIndex() == index && isPrunableByDefault(p));
        if (!any) {
            String type = view.params().stream().filter(p -> p.layerIndex() == index)
                    .map(ParamInfo::layerType).findFirst().orElse("a layer without parameters");
            throw new IllegalArgumentException("layer '" + ref + "' (" + type + ") has no prunable weights; layers with "
                    + "prunable weights are " + view.params().stream().filter(PruningScope::isPrunableByDefault)
                            .map(p -> view.layerNames().get(p.layerIndex())).distinct().toList());
        }
        return index;
    }

    /**
     * The one rule for which parameters lottery4j prunes unless told otherwise: the weights (as
     * DL4J's {@code ParamInitializer.isWeightParam} names them) of dense, output, convolution (2-D,
     * 1-D, 3-D, deconvolution, depthwise, separable: both its depthwise and pointwise kernels),
     * recurrent (input and recurrent weights; also inside {@code Bidirectional}) and attention
     * (query, key, value and output projections) layers. Never biases, batch-norm parameters,
     * layer-norm gains, embedding tables (each row is one input's only representation) or the
     * parameters of layers lottery4j does not know ({@link LayerKind#OTHER}).
     */
    public static boolean isPrunableByDefault(ParamInfo p) {
        return p.weight() && PRUNABLE_KINDS.contains(p.layerKind());
    }

    private static final Set<LayerKind> PRUNABLE_KINDS = java.util.EnumSet.of(LayerKind.DENSE, LayerKind.OUTPUT,
            LayerKind.CONVOLUTION, LayerKind.CONVOLUTION_1D, LayerKind.CONVOLUTION_3D, LayerKind.DECONVOLUTION,
            LayerKind.DEPTHWISE_CONVOLUTION, LayerKind.SEPARABLE_CONVOLUTION, LayerKind.RECURRENT, LayerKind.ATTENTION);

    /** A canonical description, such as {@code global exclude=[layer0] fractions={layer2=0.1}}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(ranking.name().toLowerCase());
        if (!excluded.isEmpty()) {
            sb.append(" exclude=").append(excluded.stream().map(LayerRef::toString).sorted().toList());
        }
        if (!layerFractions.isEmpty()) {
            sb.append(" fractions=").append(layerFractions.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(", ", "{", "}")));
        }
        return sb.toString();
    }

    // keywords in any case, any whitespace between the parts; layer names are matched as written
    private static final java.util.regex.Pattern DESCRIPTION = java.util.regex.Pattern.compile(
            "\\s*(layerwise|global)(?:\\s+exclude\\s*=\\s*\\[([^\\]]*)\\])?"
                    + "(?:\\s+fractions\\s*=\\s*\\{([^}]*)\\})?\\s*",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * Reads what {@link #describe()} writes, with keywords in any case and any spacing; layer
     * indices are written {@code #3}.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static PruningScope parse(String text) {
        java.util.regex.Matcher m = DESCRIPTION.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a pruning scope: '" + text
                    + "'; expected layerwise or global, then optionally exclude=[a, #2] and fractions={b=0.1}");
        }
        PruningScope scope = m.group(1).equalsIgnoreCase("global") ? global() : layerwise();
        if (m.group(2) != null && !m.group(2).isBlank()) {
            for (String ref : m.group(2).split(",")) {
                scope = scope.excluding(LayerRef.parse(ref));
            }
        }
        if (m.group(3) != null && !m.group(3).isBlank()) {
            for (String pair : m.group(3).split(",")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("not a layer fraction: '" + pair.trim() + "' in '" + text + "'");
                }
                double f;
                try {
                    f = Double.parseDouble(pair.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number: '" + pair.substring(eq + 1).trim() + "' in '" + text + "'");
                }
                scope = scope.withFraction(LayerRef.parse(pair.substring(0, eq)), f);
            }
        }
        return scope;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PruningScope s && s.ranking == ranking && s.excluded.equals(excluded)
                && s.layerFractions.equals(layerFractions);
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}

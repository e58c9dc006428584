package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.network.TestNetworks;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Magnitude pruning reads the weights where they lie in the network (no copy, no score array);
 * it must remove exactly what a stable sort of |w| would on every selection path (the sampled
 * bracket over 2^20 survivors at 55%; its fallback at 20%, where ties at 0 crowd the cut-off;
 * radix below 2^20), layerwise and global, with ties, -0.0, weights already pruned, and a network
 * in DOUBLE (which takes the copying path).
 */
class InPlaceMagnitudeTest {

    private static final ParamKey BIG = ParamKey.of("big", "W"); // 1024 x 1024 = 2^20
    private static final ParamKey OUT = ParamKey.of("out", "W"); // 1024 x 40

    private static NetworkView network(DataType type, int seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.base(1).dataType(type).list()
                .layer(new DenseLayer.Builder().name("big").nIn(1024).nOut(1024).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(1024).nOut(40).build())
                .build());
        net.init();
        // ties (few distinct magnitudes, both signs), -0.0 against 0.0, and spread-out values
        Random random = new Random(seed);
        float[] values = new float[(int) net.numParams()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (random.nextInt(4)) {
                case 0 -> (random.nextInt(41) - 20) * 0.01f;
                case 1 -> random.nextBoolean() ? -0.0f : 0.0f;
                default -> (float) random.nextGaussian();
            };
        }
        net.params().assign(Nd4j.createFromArray(values).reshape(net.params().shape()).castTo(type));
        return NetworkView.of(net);
    }

    /** The masks a stable sort by |w| gives: survivors in parameter order, then element order. */
    private static MaskSet bySort(NetworkView view, MaskSet current, List<ParamKey> ranked, double fraction) {
        List<long[]> survivors = new ArrayList<>(); // {parameter, element}
        List<float[]> weights = new ArrayList<>();
        List<boolean[]> kept = new ArrayList<>();
        for (int s = 0; s < ranked.size(); s++) {
            ParamInfo p = view.param(ranked.get(s)).orElseThrow();
            weights.add(view.read(p));
            kept.add(current.get(p.key()).toBooleans());
            for (int i = 0; i < kept.get(s).length; i++) {
                if (kept.get(s)[i]) {
                    survivors.add(new long[] {s, i});
                }
            }
        }
        survivors.sort(Comparator.comparingDouble(w -> Math.abs(weights.get((int) w[0])[(int) w[1]])));
        long toRemove = Math.round(fraction * survivors.size());
        for (int r = 0; r < toRemove; r++) {
            kept.get((int) survivors.get(r)[0])[(int) survivors.get(r)[1]] = false;
        }
        java.util.Map<ParamKey, Mask> out = new java.util.LinkedHashMap<>(current.asMap());
        for (int s = 0; s < ranked.size(); s++) {
            out.put(ranked.get(s), Mask.of(view.param(ranked.get(s)).orElseThrow().shape(), kept.get(s)));
        }
        return MaskSet.of(out);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"global FLOAT", "layerwise FLOAT", "global DOUBLE", "global FLOAT, already sparse"})
    void removesWhatAStableSortByMagnitudeWould(String kind) {
        NetworkView view = network(kind.contains("DOUBLE") ? DataType.DOUBLE : DataType.FLOAT, kind.hashCode());
        boolean global = kind.startsWith("global");
        Pruner pruner = new Pruner(PruningMethod.magnitude(), global ? PruningScope.global() : PruningScope.layerwise());
        MaskSet current = pruner.initialMasks(view);
        if (kind.contains("sparse")) { // a third of the weights pruned at random before
            Random random = new Random(3);
            java.util.Map<ParamKey, Mask> sparse = new java.util.LinkedHashMap<>();
            for (ParamKey key : current.keys()) {
                boolean[] k = new boolean[(int) current.get(key).length()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = random.nextInt(3) > 0;
                }
                sparse.put(key, Mask.of(current.get(key).shape(), k));
            }
            current = MaskSet.of(sparse);
        }
        for (double fraction : new double[] {0.2, 0.55}) {
            MaskSet expected = current;
            for (List<ParamKey> ranked : global ? List.of(List.of(BIG, OUT)) : List.of(List.of(BIG), List.of(OUT))) {
                expected = bySort(view, expected, ranked, fraction);
            }
            MaskSet actual = pruner.prune(view, current, fraction).masks();
            for (ParamKey key : List.of(BIG, OUT)) {
                assertThat(actual.get(key).toBooleans()).as("%s %s at %s", kind, key, fraction)
                        .isEqualTo(expected.get(key).toBooleans());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void aNonFiniteWeightIsNamedOnEitherPath(float bad) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            NetworkView view = network(type, 1);
            ParamInfo p = view.param(OUT).orElseThrow();
            NetworkAdapter.segment(TestNetworks.adapter(view).flatParams(), p).putScalar(4097, bad);
            Pruner pruner = new Pruner(PruningMethod.magnitude(), PruningScope.global());
            assertThatThrownBy(() -> pruner.prune(view, pruner.initialMasks(view), 0.2).masks())
                    .as("%s %s", type, bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("parameter out/W holds a non-finite weight (" + bad + ") at element 4097: "
                            + "weights must be finite to be ranked (did training diverge?)");
        }
    }
}

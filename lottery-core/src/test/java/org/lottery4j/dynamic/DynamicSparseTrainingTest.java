package org.lottery4j.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.hparams.Step;
import org.lottery4j.internal.MaskEnforcer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.testing.Nets;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.training.Batches;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class DynamicSparseTrainingTest {

    private static final DataSet TRAIN = Nets.dataSet(200, 5);
    private static final LongFunction<DataSet> BATCHES = DynamicSparseTraining.sampledBatches(TRAIN, 20, 9);

    private static MultiLayerNetwork mlp(long seed) {
        return (MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, seed);
    }

    // --- the schedule and the invariants, through the TrainingLoop ---

    @ParameterizedTest
    @EnumSource(Regrowth.class)
    void keepsEveryCountAndZeroChangingMasksOnlyAtUpdateStepsByTheCosineSchedule(Regrowth regrowth) {
        MultiLayerNetwork net = mlp(11);
        NetworkAdapter network = NetworkAdapter.of(net);
        DynamicSparseTraining dst = DynamicSparseTraining.builder(regrowth).every(5).densities(DensityDistribution.ERK)
                .seed(3).build();
        MaskSet initial = dst.initialMasks(net, 0.4);
        dst.attach(net, initial, 40, BATCHES);
        assertThat(dst.endStep()).isEqualTo(30); // round(0.75 x 40)
        List<MaskSet> masks = new ArrayList<>(List.of(initial));
        TrainingLoop.builder(net).batches(Batches.shuffled(TRAIN, 20, 4)).iterations(40)
                .onStep(dst::afterStep)
                .onStep(t -> {
                    MaskSet now = dst.masks();
                    masks.add(now);
                    now.asMap().forEach((key, m) -> {
                        assertThat(m.countKept()).as("%s kept after step %d", key, t)
                                .isEqualTo(initial.get(key).countKept());
                        float[] w = network.read(network.param(key).orElseThrow());
                        for (int i = 0; i < w.length; i++) {
                            if (!m.isKept(i)) {
                                assertThat(Float.floatToRawIntBits(w[i])).as("%s[%d] after step %d", key, i, t).isZero();
                            }
                        }
                    });
                })
                .build().run();

        List<Long> changedAt = new ArrayList<>();
        for (int t = 1; t <= 40; t++) {
            if (!masks.get(t).equals(masks.get(t - 1))) {
                changedAt.add((long) t);
            }
        }
        assertThat(changedAt).containsExactly(5L, 10L, 15L, 20L, 25L);
        assertThat(dst.updates()).extracting(DynamicSparseTraining.Update::step).containsExactly(5L, 10L, 15L, 20L, 25L);
        for (DynamicSparseTraining.Update u : dst.updates()) {
            double f = 0.3 / 2 * (1 + Math.cos(Math.PI * u.step() / 30));
            assertThat(u.dropFraction()).isEqualTo(f);
            MaskSet before = masks.get((int) u.step() - 1);
            MaskSet after = masks.get((int) u.step());
            for (ParamKey key : initial.keys()) {
                Mask b = before.get(key);
                long k = b.countKept();
                int expected = (int) Math.min(Math.round(f * k), b.length() - k);
                assertThat(u.dropped().get(key)).as("%s dropped at %d", key, u.step()).isEqualTo(expected);
                assertThat(u.grown().get(key)).isEqualTo(expected);
                assertThat(countKeptOnlyIn(b, after.get(key))).isEqualTo(expected); // dropped
                assertThat(countKeptOnlyIn(after.get(key), b)).isEqualTo(expected); // grown
            }
        }
        assertThat(dst.updates().get(0).dropped().get(ParamKey.of("dense0", "W"))).isPositive();
    }

    private static long countKeptOnlyIn(Mask a, Mask b) {
        long c = 0;
        for (int i = 0; i < a.length(); i++) {
            if (a.isKept(i) && !b.isKept(i)) {
                c++;
            }
        }
        return c;
    }

    @Test
    void changesNothingOffTheUpdateStepsNorFromTheEndStepOn() {
        MultiLayerNetwork net = mlp(2);
        DynamicSparseTraining dst = DynamicSparseTraining.builder(Regrowth.SET).every(10).stopAt(0.5).build();
        MaskSet initial = dst.initialMasks(net, 0.5);
        dst.attach(net, initial, 100, BATCHES);
        net.fit(TRAIN);
        float[] params = Nets.params(net);
        for (long t : new long[] {0, 1, 9, 11, 50, 60, 99, 100}) {
            dst.afterStep(t);
        }
        assertThat(dst.masks()).isSameAs(initial);
        assertThat(dst.updates()).isEmpty();
        assertThat(Nets.bits(Nets.params(net))).containsExactly(Nets.bits(params));
        assertThat(dst.updatesAt(40)).isTrue();
        assertThat(dst.updatesAt(50)).isFalse();
    }

    // --- RigL's growth, against a gradient the test computes another way ---

    @Test
    void rigLGrowsThePreviouslyPrunedWithTheLargestDenseGradientAndResetsTheirState() {
        MultiLayerNetwork net = mlp(4);
        NetworkAdapter network = NetworkAdapter.of(net);
        DynamicSparseTraining dst = DynamicSparseTraining.builder(Regrowth.RIGL).every(5).stopAt(1).seed(1).build();
        dst.attach(net, dst.initialMasks(net, 0.3), 20, BATCHES);
        LongFunction<DataSet> trainBatches = DynamicSparseTraining.sampledBatches(TRAIN, 20, 77);
        int updates = 0;
        for (long t = 1; t <= 19; t++) {
            net.fit(trainBatches.apply(t));
            if (!dst.updatesAt(t)) {
                continue;
            }
            MaskSet old = dst.masks();
            Map<ParamKey, float[]> gradient = independentGradient(net, BATCHES.apply(t));
            fillUpdaterState(network, 0.5f); // stale moments everywhere: grown weights must lose theirs
            float[] paramsBefore = Nets.params(net);
            int iterations = net.getIterationCount();

            dst.afterStep(t);
            updates++;

            MaskSet next = dst.masks();
            float[] params = Nets.params(net);
            float[][] state = updaterState(network);
            assertThat(net.getIterationCount()).isEqualTo(iterations);
            for (ParamInfo p : network.params()) {
                Mask before = old.get(p.key());
                Mask after = next.get(p.key());
                for (int i = 0; i < p.length(); i++) {
                    int at = (int) p.offset() + i;
                    boolean keptAfter = after == null || after.isKept(i);
                    boolean keptBefore = before == null || before.isKept(i);
                    if (keptAfter && keptBefore) { // a survivor, or not masked: the update leaves it as it was
                        assertThat(Float.floatToRawIntBits(params[at])).isEqualTo(Float.floatToRawIntBits(paramsBefore[at]));
                        assertThat(state[0][at]).isEqualTo(0.5f);
                        assertThat(state[1][at]).isEqualTo(0.5f);
                    } else { // dropped, grown or still pruned: weight and moments exactly 0
                        assertThat(Float.floatToRawIntBits(params[at])).as("%s[%d]", p.key(), i).isZero();
                        assertThat(Float.floatToRawIntBits(state[0][at])).as("M of %s[%d]", p.key(), i).isZero();
                        assertThat(Float.floatToRawIntBits(state[1][at])).as("V of %s[%d]", p.key(), i).isZero();
                    }
                }
                if (before != null) {
                    int grown = dst.updates().get(updates - 1).grown().get(p.key());
                    assertThat(grownPositions(before, after)).as("%s grown at %d", p.key(), t)
                            .containsExactlyElementsOf(largestAmongPruned(gradient.get(p.key()), before, grown));
                }
            }
        }
        assertThat(updates).isEqualTo(3); // 5, 10, 15
    }

    /** The gradient from DL4J's calculateGradients, a path apart from computeGradientAndScore, by parameter. */
    private static Map<ParamKey, float[]> independentGradient(MultiLayerNetwork net, DataSet batch) {
        Pair<Gradient, INDArray> pair = net.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null);
        Map<ParamKey, float[]> out = new LinkedHashMap<>();
        for (ParamInfo p : NetworkAdapter.of(net).params()) {
            INDArray g = pair.getFirst().getGradientFor(p.layerIndex() + "_" + p.key().param());
            out.put(p.key(), Nd4j.toFlattened(p.order(), g).toFloatVector());
        }
        return out;
    }

    private static List<Integer> grownPositions(Mask before, Mask after) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < before.length(); i++) {
            if (!before.isKept(i) && after.isKept(i)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The {@code count} pruned positions of largest |g|, ties to the lower index, ascending. */
    private static List<Integer> largestAmongPruned(float[] g, Mask mask, int count) {
        List<Integer> pruned = new ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            if (!mask.isKept(i)) {
                pruned.add(i);
            }
        }
        pruned.sort((a, b) -> {
            int c = Float.compare(Math.abs(g[b]), Math.abs(g[a]));
            return c != 0 ? c : Integer.compare(a, b);
        });
        return pruned.subList(0, count).stream().sorted().toList();
    }

    private static void fillUpdaterState(NetworkAdapter network, float value) {
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) network.updater()).getUpdaterBlocks()) {
            stateOf(block).values().forEach(s -> s.assign(value));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> stateOf(UpdaterBlock block) {
        return (Map<String, INDArray>) block.getGradientUpdater().getState();
    }

    /** Adam's M and V, aligned with the flat parameters. */
    private static float[][] updaterState(NetworkAdapter network) {
        float[][] out = new float[2][(int) network.numParams()];
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) network.updater()).getUpdaterBlocks()) {
            Map<String, INDArray> state = stateOf(block);
            float[] m = state.get("M").toFloatVector();
            float[] v = state.get("V").toFloatVector();
            System.arraycopy(m, 0, out[0], (int) block.getParamOffsetStart(), m.length);
            System.arraycopy(v, 0, out[1], (int) block.getParamOffsetStart(), v.length);
        }
        return out;
    }

    // --- the dense gradient ---

    @Test
    void theDenseGradientLeavesWeightsStateAndIterationCountAsTheyWere() {
        MultiLayerNetwork net = Nets.convNet(6); // with batch norm, whose statistics a training pass must not move
        NetworkAdapter network = NetworkAdapter.of(net);
        MaskSet masks = DensityDistribution.UNIFORM.randomMasks(network.view(), 0.2, 1);
        MaskEnforcer.attach(network, masks);
        DataSet images = images(16);
        net.fit(images);
        int[] params = Nets.bits(net.params());
        int[] state = Nets.bits(network.updaterState());
        int iterations = net.getIterationCount();

        INDArray gradient = DenseGradient.of(network, images);

        assertThat(Nets.bits(net.params())).containsExactly(params);
        assertThat(Nets.bits(network.updaterState())).containsExactly(state);
        assertThat(net.getIterationCount()).isEqualTo(iterations);
        ParamInfo conv = network.param(ParamKey.of("layer0", "W")).orElseThrow();
        float[] g = NetworkAdapter.segment(gradient, conv).toFloatVector();
        Mask mask = masks.get(conv.key());
        long nonZeroPruned = 0;
        for (int i = 0; i < g.length; i++) {
            nonZeroPruned += !mask.isKept(i) && g[i] != 0 ? 1 : 0;
        }
        assertThat(nonZeroPruned).as("pruned weights with a gradient").isGreaterThan(mask.countPruned() / 2);
        net.fit(images); // the enforcer still zeroes the training gradient
        float[] trained = NetworkAdapter.segment(network.flatGradients(), conv).toFloatVector();
        for (int i = 0; i < trained.length; i++) {
            if (!mask.isKept(i)) {
                assertThat(trained[i]).isZero();
            }
        }
    }

    private static DataSet images(int n) {
        java.util.Random random = new java.util.Random(3);
        float[][][][] x = new float[n][2][8][8];
        float[][] y = new float[n][Nets.CLASSES];
        for (int e = 0; e < n; e++) {
            for (float[][] channel : x[e]) {
                for (float[] row : channel) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (float) random.nextGaussian();
                    }
                }
            }
            y[e][random.nextInt(Nets.CLASSES)] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    @Test
    void aGraphGetsTheSameDenseGradientAsTheSameMultiLayerNetwork() {
        MultiLayerNetwork net = mlp(8);
        ComputationGraph graph = (ComputationGraph) Nets.mlp(Nets.Kind.GRAPH, 8);
        graph.setParams(net.params().dup());
        DataSet batch = BATCHES.apply(1);
        INDArray fromNet = DenseGradient.of(NetworkAdapter.of(net), batch);
        INDArray fromGraph = DenseGradient.of(NetworkAdapter.of(graph), batch);
        assertThat(fromGraph.toFloatVector()).containsExactly(fromNet.toFloatVector());
    }

    // --- resuming, and learning ---

    @ParameterizedTest
    @EnumSource(Regrowth.class)
    void aRunResumedAtAnUpdateBoundaryFromItsWeightsStateAndMasksRepeatsTheMasks(Regrowth regrowth) {
        DynamicSparseTraining.Builder settings = DynamicSparseTraining.builder(regrowth).every(5).seed(12);
        LongFunction<DataSet> trainBatches = DynamicSparseTraining.sampledBatches(TRAIN, 20, 31);
        MultiLayerNetwork straight = mlp(9);
        DynamicSparseTraining a = settings.build();
        a.attach(straight, a.initialMasks(straight, 0.3), 40, BATCHES);
        for (long t = 1; t <= 40; t++) {
            straight.fit(trainBatches.apply(t));
            a.afterStep(t);
        }

        MultiLayerNetwork first = mlp(9);
        DynamicSparseTraining b = settings.build();
        b.attach(first, b.initialMasks(first, 0.3), 40, BATCHES);
        for (long t = 1; t <= 15; t++) {
            first.fit(trainBatches.apply(t));
            b.afterStep(t);
        }
        MultiLayerNetwork resumed = mlp(100); // other initial weights: all comes from the checkpoint
        resumed.setParams(first.params().dup());
        resumed.getUpdater().getStateViewArray().assign(first.getUpdater().getStateViewArray());
        NetworkAdapter.of(resumed).setCounters(first.getIterationCount(), first.getEpochCount());
        DynamicSparseTraining c = settings.build();
        c.attach(resumed, b.masks(), 40, BATCHES);
        for (long t = 16; t <= 40; t++) {
            resumed.fit(trainBatches.apply(t));
            c.afterStep(t);
        }

        assertThat(a.updates()).hasSize(5);
        assertThat(c.masks()).isEqualTo(a.masks());
        assertThat(Nets.bits(Nets.params(resumed))).containsExactly(Nets.bits(Nets.params(straight)));
    }

    @Test
    void rigLTrainsATinyMlpAtItsDensityAndItLearns() {
        MultiLayerNetwork net = mlp(21);
        DataSet train = Nets.dataSet(400, 6);
        DynamicSparseTraining dst = DynamicSparseTraining.builder(Regrowth.RIGL).every(20)
                .densities(DensityDistribution.ERK).seed(5).build();
        MaskSet initial = dst.initialMasks(net, 0.3);
        dst.attach(net, initial, 300, DynamicSparseTraining.sampledBatches(train, 40, 5));
        double before = net.score(train);
        TrainingLoop.builder(net).batches(Batches.shuffled(train, 40, 1)).budget(Step.ofIterations(300))
                .onStep(dst::afterStep).build().run();
        double after = net.score(train);

        assertThat(dst.updates()).hasSize(11); // 20, 40, ..., 220 (T = 225)
        assertThat(after).isLessThan(0.5 * before);
        initial.asMap().forEach((key, m) -> assertThat(dst.masks().get(key).countKept()).isEqualTo(m.countKept()));
        assertThat(dst.masks()).isNotEqualTo(initial);
    }

    // --- attaching ---

    @Test
    void refusesRigLWithoutBatchesANetworkWithMasksAndUseBeforeAttaching() {
        MultiLayerNetwork net = mlp(1);
        DynamicSparseTraining rigl = DynamicSparseTraining.builder(Regrowth.RIGL).build();
        MaskSet masks = rigl.initialMasks(net, 0.5);
        assertThatThrownBy(() -> rigl.afterStep(100))
                .hasMessage("attach the dynamic sparse training to a network first");
        assertThatThrownBy(() -> rigl.attach(net, masks, 1000))
                .hasMessage("RigL grows by the gradient on a batch: attach it with "
                        + "attach(network, masks, totalSteps, gradientBatches)");
        DynamicSparseTraining set = DynamicSparseTraining.builder(Regrowth.SET).build();
        assertThatThrownBy(() -> set.attach(net, masks, 0)).hasMessage("total steps must be at least 1, got 0");
        set.attach(net, masks, 1000);
        assertThatThrownBy(() -> set.attach(net, masks, 1000))
                .hasMessage("this dynamic sparse training is attached to a network already");
        set.detach(); // the network is free for another
        assertThat(NetworkAdapter.of(net).listeners()).noneMatch(l -> l instanceof MaskEnforcer);
        DynamicSparseTraining.builder(Regrowth.SET).build().attach(net, masks, 10);
        assertThatThrownBy(() -> DynamicSparseTraining.sampledBatches(TRAIN, 0, 1))
                .hasMessage("batch size must be at least 1, got 0");

        MultiLayerNetwork ticketNet = mlp(1);
        try (LotteryTicket ticket = LotteryTicket.builder(ticketNet).build()) {
            assertThatThrownBy(() -> DynamicSparseTraining.builder(Regrowth.SET).build().attach(ticketNet, masks, 10))
                    .hasMessageStartingWith("the network already has masks enforced (a LotteryTicket?)");
        }
    }

    // --- the text form ---

    @Test
    void describesItsSettingCanonicallyAndParsesItBack() {
        assertThat(DynamicSparseTraining.builder(Regrowth.RIGL).build().describe())
                .isEqualTo("rigl(every=100, drop=0.3, stop=0.75, densities=uniform)");
        DynamicSparseTraining set = DynamicSparseTraining.builder(Regrowth.SET).every(50).dropFraction(0.5).stopAt(1)
                .densities(DensityDistribution.ERK).seed(9).build();
        assertThat(set.describe()).isEqualTo("set(every=50, drop=0.5, stop=1, densities=erk)");
        for (String text : List.of(set.describe(), "rigl(every=100, drop=0.3, stop=0.75, densities=erk)",
                "rigl(every=7, drop=0.125, stop=0.5, densities=uniform)")) {
            assertThat(DynamicSparseTraining.parse(text).build().describe()).isEqualTo(text);
        }
        assertThat(DynamicSparseTraining.parse("  RigL ( Every = 100 ,DROP=0.30, stop = .75 , densities = ERK ) ")
                .build().describe()).isEqualTo("rigl(every=100, drop=0.3, stop=0.75, densities=erk)");
        assertThat(DynamicSparseTraining.parse("SET").build().describe())
                .isEqualTo("set(every=100, drop=0.3, stop=0.75, densities=uniform)");
        assertThat(DynamicSparseTraining.parse("set(stop=0.5)").build().describe())
                .isEqualTo("set(every=100, drop=0.3, stop=0.5, densities=uniform)");
    }

    @Test
    void parseErrorsNameTheBadPart() {
        assertThatThrownBy(() -> DynamicSparseTraining.parse("snip(every=5)"))
                .hasMessage("not a dynamic sparse training setting: 'snip(every=5)'; expected set(...) or rigl(...), "
                        + "such as rigl(every=100, drop=0.3, stop=0.75, densities=erk)");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(evry=5)"))
                .hasMessage("unknown setting 'evry' in 'rigl(evry=5)'; the settings are every, drop, stop, densities");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(every=ten)"))
                .hasMessage("every: 'ten' is not a whole number in 'rigl(every=ten)'");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(every=0)"))
                .hasMessage("every: the steps between updates must be at least 1, got 0 in 'rigl(every=0)'");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(drop=1.5)"))
                .hasMessage("drop: the drop fraction must be in [0, 1], got 1.5 in 'rigl(drop=1.5)'");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(stop=0)"))
                .hasMessage("stop: the fraction of steps with updates must be in (0, 1], got 0.0 in 'rigl(stop=0)'");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(densities=er)"))
                .hasMessage("not a density distribution: 'er'; expected uniform or erk in 'rigl(densities=er)'");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(every=5, every=6)"))
                .hasMessage("setting 'every' given twice in 'rigl(every=5, every=6)'");
        assertThatThrownBy(() -> DynamicSparseTraining.parse("rigl(every)"))
                .hasMessage("not a setting: 'every' in 'rigl(every)'; expected name=value");
    }
}

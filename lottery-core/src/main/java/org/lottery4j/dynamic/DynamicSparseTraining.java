package org.lottery4j.dynamic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.lottery4j.internal.MaskEnforcer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Dynamic sparse training (SET, Mocanu et al. 2018; RigL, Evci et al. 2020) as a step callback of
 * the {@code TrainingLoop}: the network trains sparse from its first step, and every
 * {@code every} steps each masked parameter drops its kept weights of smallest magnitude and
 * grows as many of the weights that were pruned before the update, at random ({@link
 * Regrowth#SET}) or by largest magnitude of the dense gradient ({@link Regrowth#RIGL}). Every
 * parameter keeps exactly as many weights after each update as before.
 *
 * <p>The update at step {@code t} (steps done) drops {@code min(round(f(t) k), n - k)} of a
 * parameter's {@code k} kept weights out of {@code n}, where {@code f(t) = drop / 2 (1 + cos(pi t
 * / T))} and {@code T = round(stop x totalSteps)}; updates happen at the multiples of {@code every}
 * below {@code T}, none after. Grown weights start at exactly 0 with their optimizer state
 * (Adam moments, momentum) zeroed; dropped weights become exactly 0 and lose their state. Between
 * updates the masks are enforced as a {@code LotteryTicket}'s are: pruned weights stay exactly 0.
 * Unlike RigL's and JaxPruner's code, which may grow a weight back at the update that drops it,
 * only weights pruned before the update are grown, so each update changes exactly twice the
 * dropped count of positions. Ties go to the lower element index.
 *
 * <p>RigL's dense gradient is computed on the batch {@code gradientBatches.apply(t)} with the
 * network's own {@code computeGradientAndScore}, which leaves the weights, the updater state and
 * DL4J's iteration counter as they were ({@link #sampledBatches} draws such batches as a function
 * of a seed and the step). SET draws from a generator seeded by {@code (seed, t, parameter name)}.
 * So an update is a function of the seed, the step, the weights and the masks: a run resumed at
 * an update boundary from the saved weights, updater state and {@link #masks()} (with absolute
 * step numbers, see {@link #afterStep}) repeats the masks of a run straight through. The record of
 * {@link #updates()} is not restored.
 *
 * <pre>{@code
 * DynamicSparseTraining dst = DynamicSparseTraining.builder(Regrowth.RIGL)
 *         .every(100).dropFraction(0.3).stopAt(0.75).densities(DensityDistribution.ERK).seed(42).build();
 * long steps = 3000;
 * dst.attach(net, dst.initialMasks(net, 0.1), steps, DynamicSparseTraining.sampledBatches(train, 64, 42));
 * TrainingLoop.builder(net).batches(Batches.shuffled(train, 64, 42)).iterations(steps)
 *         .onStep(dst::afterStep).build().run();
 * MaskSet finalMasks = dst.masks();                   // 10% of the prunable weights, as at the start
 * List<DynamicSparseTraining.Update> log = dst.updates();
 * dst.describe();                                     // rigl(every=100, drop=0.3, stop=0.75, densities=erk)
 * }</pre>
 */
public final class DynamicSparseTraining {

    /**
     * What one mask update did.
     *
     * @param step the steps done when it happened
     * @param dropFraction {@code f(step)}, the fraction of each parameter's kept weights dropped
     * @param dropped how many weights each masked parameter dropped, in mask order
     * @param grown how many it grew (always as many as it dropped)
     */
    public record Update(long step, double dropFraction, Map<ParamKey, Integer> dropped, Map<ParamKey, Integer> grown) {
        public Update {
            dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
            grown = Collections.unmodifiableMap(new LinkedHashMap<>(grown));
        }
    }

    private static final int DEFAULT_EVERY = 100;
    private static final double DEFAULT_DROP = 0.3;
    private static final double DEFAULT_STOP = 0.75;

    private final Regrowth regrowth;
    private final int every;
    private final double drop;
    private final double stop;
    private final DensityDistribution densities;
    private final long seed;

    private NetworkAdapter network;
    private MaskEnforcer enforcer;
    private LongFunction<DataSet> gradientBatches;
    private long endStep;
    private final List<Update> updates = new ArrayList<>();

    private DynamicSparseTraining(Builder b) {
        this.regrowth = b.regrowth;
        this.every = b.every;
        this.drop = b.drop;
        this.stop = b.stop;
        this.densities = b.densities;
        this.seed = b.seed;
    }

    /**
     * Settings that grow weights by {@code regrowth}: by default every 100 steps, drop fraction
     * 0.3 annealed to 0 by a cosine, no updates from 75% of the steps on, uniform densities, seed 0.
     */
    public static Builder builder(Regrowth regrowth) {
        return new Builder(Objects.requireNonNull(regrowth, "regrowth"));
    }

    /**
     * The random initial masks of {@link DensityDistribution#randomMasks} for this setting's
     * densities and seed, at overall {@code density} of the prunable weights.
     */
    public MaskSet initialMasks(Model network, double density) {
        return densities.randomMasks(NetworkAdapter.of(network).view(), density, seed);
    }

    /**
     * Starts SET on {@code network}: enforces {@code masks} from now on (zeroing the pruned
     * weights and their optimizer state at once) and plans the updates over {@code totalSteps}.
     *
     * @throws IllegalArgumentException for RigL, which needs gradient batches, or masks that do
     *     not fit the network
     * @throws IllegalStateException if this object or the network already enforces masks
     */
    public void attach(Model network, MaskSet masks, long totalSteps) {
        if (regrowth == Regrowth.RIGL) {
            throw new IllegalArgumentException("RigL grows by the gradient on a batch: attach it with "
                    + "attach(network, masks, totalSteps, gradientBatches)");
        }
        attach(network, masks, totalSteps, null);
    }

    /**
     * Starts training on {@code network} as {@link #attach(Model, MaskSet, long)} does;
     * {@code gradientBatches} gives, for an update at step {@code t}, the batch RigL computes the
     * dense gradient on (SET does not use it). For a run that resumes, it should depend on
     * {@code t} alone, as {@link #sampledBatches}'s do.
     */
    public void attach(Model network, MaskSet masks, long totalSteps, LongFunction<DataSet> gradientBatches) {
        if (this.network != null) {
            throw new IllegalStateException("this dynamic sparse training is attached to a network already");
        }
        Objects.requireNonNull(masks, "masks");
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total steps must be at least 1, got " + totalSteps);
        }
        if (regrowth == Regrowth.RIGL) {
            Objects.requireNonNull(gradientBatches, "gradientBatches (RigL computes its gradient on them)");
        }
        NetworkAdapter adapter = NetworkAdapter.of(network);
        masks.checkFits(adapter.view());
        for (TrainingListener l : listeners(adapter)) {
            if (l instanceof MaskEnforcer) {
                // two enforcers would each zero the other's grown weights
                throw new IllegalStateException("the network already has masks enforced (a LotteryTicket?): "
                        + "dynamic sparse training enforces its own masks; attach it to a network without");
            }
        }
        this.network = adapter;
        this.gradientBatches = gradientBatches;
        this.endStep = Math.round(stop * totalSteps);
        this.enforcer = MaskEnforcer.attach(adapter, masks);
    }

    private static List<TrainingListener> listeners(NetworkAdapter adapter) {
        return adapter.listeners() == null ? List.of() : List.copyOf(adapter.listeners());
    }

    /**
     * The step callback: updates the masks if {@code step} (the steps done, counted from the
     * start of training also when a run resumes) is an update step, else does nothing. Give it to
     * {@code TrainingLoop.Builder.onStep}; a resumed loop counts from 0, so pass {@code it ->
     * dst.afterStep(done + it)}.
     *
     * @throws IllegalStateException before {@link #attach}
     */
    public void afterStep(long step) {
        requireAttached();
        if (!updatesAt(step)) {
            return;
        }
        double f = dropFraction(step);
        INDArray gradient = null;
        if (regrowth == Regrowth.RIGL) {
            DataSet batch = Objects.requireNonNull(gradientBatches.apply(step),
                    "the gradient batches gave no batch for step " + step);
            gradient = DenseGradient.of(network, batch);
        }
        Map<ParamKey, Mask> next = new LinkedHashMap<>();
        Map<ParamKey, Mask> reset = new LinkedHashMap<>(); // next, less the grown weights
        Map<ParamKey, Integer> dropped = new LinkedHashMap<>();
        Map<ParamKey, Integer> grown = new LinkedHashMap<>();
        boolean anyGrown = false;
        for (Map.Entry<ParamKey, Mask> e : enforcer.masks().asMap().entrySet()) {
            ParamKey key = e.getKey();
            Mask mask = e.getValue();
            ParamInfo p = network.param(key).orElseThrow();
            long kept = mask.countKept();
            int count = (int) Math.min(Math.round(f * kept), mask.length() - kept);
            float[] g = gradient == null ? null : NetworkAdapter.segment(gradient, p).toFloatVector();
            Random random = regrowth == Regrowth.SET ? new Random(MaskChange.mix(MaskChange.mix(seed, step),
                    MaskChange.hash(key.toString()))) : null;
            MaskChange change = MaskChange.of(mask, network.read(p), g, count, random);
            next.put(key, change.mask());
            reset.put(key, change.mask().withPruned(Arrays.stream(change.grown()).asLongStream().toArray()));
            dropped.put(key, change.dropped().length);
            grown.put(key, change.grown().length);
            anyGrown |= change.grown().length > 0;
        }
        if (anyGrown) {
            // grown weights were pruned, so 0 with no state already; zeroing both again says so
            // whatever touched them, as RigL's reset_momentum does
            INDArray flat = MaskSet.of(reset).toFlat(network.model());
            network.flatParams().muli(flat);
            network.maskUpdaterState(flat);
        }
        enforcer.update(MaskSet.of(next)); // zeroes the dropped weights and their state
        updates.add(new Update(step, f, dropped, grown));
    }

    /** Whether the masks change after {@code step} steps: a multiple of {@code every} below the end step. */
    public boolean updatesAt(long step) {
        requireAttached();
        return step > 0 && step % every == 0 && step < endStep;
    }

    /** {@code drop / 2 (1 + cos(pi step / T))}, the fraction an update at {@code step} drops. */
    public double dropFraction(long step) {
        requireAttached();
        return drop / 2 * (1 + Math.cos(Math.PI * step / endStep));
    }

    /** {@code T = round(stop x totalSteps)}: no update happens at or after it. */
    public long endStep() {
        requireAttached();
        return endStep;
    }

    /** The masks being enforced now. */
    public MaskSet masks() {
        requireAttached();
        return enforcer.masks();
    }

    /** Every update so far, in order. */
    public List<Update> updates() {
        return List.copyOf(updates);
    }

    /** Stops enforcing the masks; the weights keep their current values. */
    public void detach() {
        requireAttached();
        enforcer.detach();
    }

    private void requireAttached() {
        if (network == null) {
            throw new IllegalStateException("attach the dynamic sparse training to a network first");
        }
    }

    /**
     * Batches of {@code batchSize} examples of {@code train} (all of them if it has fewer), drawn
     * without replacement by a generator seeded by {@code (seed, step)}: the same batch for the
     * same step in every run, resumed or not.
     */
    public static LongFunction<DataSet> sampledBatches(DataSet train, int batchSize, long seed) {
        Objects.requireNonNull(train, "train");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        int n = train.numExamples();
        if (n < 1) {
            throw new IllegalArgumentException("the training data has no examples");
        }
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        int size = Math.min(batchSize, n);
        return step -> {
            int[] chosen = MaskChange.firstShuffled(all, size, new Random(MaskChange.mix(seed, step)));
            Arrays.sort(chosen);
            return train.get(chosen);
        };
    }

    /**
     * The canonical text of the setting, such as {@code rigl(every=100, drop=0.3, stop=0.75,
     * densities=erk)}; the seed is not part of it (it comes with the run).
     */
    public String describe() {
        return regrowth.name().toLowerCase(Locale.ROOT) + "(every=" + every + ", drop=" + number(drop) + ", stop="
                + number(stop) + ", densities=" + densities.describe() + ")";
    }

    private static String number(double x) {
        return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    private static final Pattern TEXT = Pattern.compile("\\s*(set|rigl)\\s*(?:\\(([^()]*)\\))?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SETTING = Pattern.compile("\\s*(\\w+)\\s*=\\s*(.*?)\\s*");

    /**
     * Reads what {@link #describe()} writes, in any case and spacing, into a builder whose seed
     * is still to be set; settings left out keep their defaults ({@code set} alone is SET with
     * every default).
     *
     * @throws IllegalArgumentException naming the setting or value that is wrong, and the text
     */
    public static Builder parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a dynamic sparse training setting: '" + text
                    + "'; expected set(...) or rigl(...), such as rigl(every=100, drop=0.3, stop=0.75, densities=erk)");
        }
        Builder b = builder(Regrowth.valueOf(m.group(1).toUpperCase(Locale.ROOT)));
        if (m.group(2) == null || m.group(2).isBlank()) {
            return b;
        }
        List<String> seen = new ArrayList<>();
        for (String part : m.group(2).split(",", -1)) {
            Matcher s = SETTING.matcher(part);
            if (!s.matches()) {
                throw new IllegalArgumentException("not a setting: '" + part.strip() + "' in '" + text
                        + "'; expected name=value");
            }
            String name = s.group(1).toLowerCase(Locale.ROOT);
            String value = s.group(2);
            if (seen.contains(name)) {
                throw new IllegalArgumentException("setting '" + name + "' given twice in '" + text + "'");
            }
            seen.add(name);
            if (!List.of("every", "drop", "stop", "densities").contains(name)) {
                throw new IllegalArgumentException("unknown setting '" + s.group(1) + "' in '" + text
                        + "'; the settings are every, drop, stop, densities");
            }
            try {
                switch (name) {
                    case "every" -> b.every(wholeNumber(name, value));
                    case "drop" -> b.dropFraction(number(name, value));
                    case "stop" -> b.stopAt(number(name, value));
                    default -> b.densities(DensityDistribution.parse(value));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " in '" + text + "'", e);
            }
        }
        return b;
    }

    private static int wholeNumber(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number");
        }
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a number");
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Named settings of a {@link DynamicSparseTraining}, each checked as it is set. */
    public static final class Builder {
        private final Regrowth regrowth;
        private int every = DEFAULT_EVERY;
        private double drop = DEFAULT_DROP;
        private double stop = DEFAULT_STOP;
        private DensityDistribution densities = DensityDistribution.UNIFORM;
        private long seed;

        private Builder(Regrowth regrowth) {
            this.regrowth = regrowth;
        }

        /** Updates the masks every {@code steps} steps (default 100). */
        public Builder every(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("every: the steps between updates must be at least 1, got " + steps);
            }
            this.every = steps;
            return this;
        }

        /** The fraction of kept weights the first update drops, annealed to 0 by a cosine (default 0.3). */
        public Builder dropFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("drop: the drop fraction must be in [0, 1], got " + fraction);
            }
            this.drop = fraction;
            return this;
        }

        /** The fraction of the training's steps after which the masks stay as they are (default 0.75). */
        public Builder stopAt(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("stop: the fraction of steps with updates must be in (0, 1], got "
                        + fraction);
            }
            this.stop = fraction;
            return this;
        }

        /** How {@link DynamicSparseTraining#initialMasks} spreads the density over layers (default uniform). */
        public Builder densities(DensityDistribution densities) {
            this.densities = Objects.requireNonNull(densities, "densities");
            return this;
        }

        /** The seed of the initial masks and of SET's draws (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public DynamicSparseTraining build() {
            return new DynamicSparseTraining(this);
        }
    }
}

package org.lottery4j.ticket;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.MaskEnforcer;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.internal.Rewinder;
import org.lottery4j.io.Provenance;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.Pruned;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;

/**
 * A lottery-ticket search on a DL4J network: masks kept at zero through every {@code fit}, the
 * rewind weights recorded as the network trains, and the prune and rewind steps of iterative
 * magnitude pruning. Works with {@code MultiLayerNetwork} and {@code ComputationGraph}.
 *
 * <pre>{@code
 * MultiLayerNetwork net = new MultiLayerNetwork(conf);
 * net.init();
 * LotteryTicket ticket = LotteryTicket.builder(net)
 *         .method(PruningMethod.magnitude())
 *         .scope(PruningScope.layerwise().withLayerFraction("output", 0.1))
 *         .rewindTo(RewindPoint.init())
 *         .build();                          // records the weights at initialization
 * for (int round = 0; round < 5; round++) {
 *     net.fit(train);                        // pruned weights stay exactly 0.0
 *     ticket.prune(0.2);                     // 20% of the surviving weights
 *     ticket.rewind();                       // survivors back to their initial values
 * }
 * ticket.save(Path.of("ticket.zip"));
 * }</pre>
 */
public final class LotteryTicket implements AutoCloseable {

    private final NetworkAdapter network;
    private final PruningStrategy strategy;
    private final RewindPoint rewindPoint;
    private final RewindSnapshots snapshots;
    private final MaskEnforcer enforcer;
    private final Map<String, String> hyperparameters;
    private int round;

    private LotteryTicket(Builder b, NetworkAdapter network, MaskSet masks, RewindSnapshots snapshots) {
        this.network = network;
        this.strategy = b.strategy();
        this.rewindPoint = b.rewindPoint;
        this.snapshots = snapshots;
        this.round = b.round;
        this.hyperparameters = Map.copyOf(b.hyperparameters);
        this.enforcer = MaskEnforcer.attach(network, masks);
    }

    /** Starts a search on an initialized network. */
    public static Builder builder(Model network) {
        return new Builder(network);
    }

    /**
     * Reads a ticket written by {@link #save}: its network with the masks enforced, its rewind
     * snapshots, its round and the method, scope and rewind point it was made with.
     *
     * @throws TicketFormatException naming the file and what is wrong with it
     */
    public static LotteryTicket load(Path file) throws IOException {
        return TicketFile.read(file, null);
    }

    /**
     * Reads a ticket that will prune further with {@code strategy}: for tickets made with a strategy
     * or method of your own, which lottery4j cannot rebuild from the name the file records. The
     * name must be the one {@code strategy} describes itself by.
     *
     * @throws TicketFormatException naming the file and what is wrong with it, or the two names
     *     when the file was pruned with another strategy
     */
    public static LotteryTicket load(Path file, PruningStrategy strategy) throws IOException {
        return TicketFile.read(file, Objects.requireNonNull(strategy, "strategy"));
    }

    /** The network; train it with its own {@code fit} methods. */
    public Model network() {
        return network.model();
    }

    /** A read-only view of the network: its layers, parameter layout and current values. */
    public NetworkView view() {
        return network.view();
    }

    /** The adapter the ticket trains through: for lottery4j's own packages (ticket files, experiments). */
    NetworkAdapter adapter() {
        return network;
    }

    /** The current masks. */
    public MaskSet masks() {
        return enforcer.masks();
    }

    /** How much of each layer, and of the whole network, is pruned. */
    public SparsityReport sparsity() {
        return masks().sparsity();
    }

    /** How many times the network was pruned. */
    public int round() {
        return round;
    }

    /** How {@link #prune} chooses weights: a method over a scope ({@link Pruner}), N:M, or your own. */
    public PruningStrategy strategy() {
        return strategy;
    }

    /** Where {@link #rewind()} takes the weights. */
    public RewindPoint rewindPoint() {
        return rewindPoint;
    }

    /** The recorded weights. */
    public RewindSnapshots snapshots() {
        return snapshots;
    }

    /**
     * Removes {@code fraction} of the surviving weights in scope and zeroes them in the network.
     *
     * @return the new masks, and the parameters in scope the strategy left as they were (an N:M
     *     pattern that does not tile a layer), with the reason
     * @throws IllegalArgumentException for a fraction outside [0, 1) or non-finite weights, or a
     *     strategy whose masks do not fit the network or would revive pruned weights
     */
    public Pruned prune(double fraction) {
        Pruned next = strategy.prune(network.view(), masks(), fraction);
        applyMasks(next.masks());
        return next;
    }

    /**
     * Applies masks computed elsewhere (another method, a loaded ticket). Counts as a pruning round.
     *
     * @throws IllegalArgumentException if they do not fit the network or would revive pruned weights
     */
    public void applyMasks(MaskSet next) {
        next.checkFits(network.view());
        masks().checkShrinksTo(next);
        enforcer.update(next);
        round++;
    }

    /**
     * Restores the surviving weights (and all other parameters) to the rewind point, zeroes the
     * pruned ones, clears the updater state and the iteration and epoch counters, and sets the
     * learning-rate schedule's position as {@link RewindPoint} documents.
     */
    public void rewind() {
        Rewinder.rewind(network, rewindPoint, snapshots, enforcer);
    }

    /** {@link #prune} then {@link #rewind}: one step of iterative magnitude pruning. */
    public Pruned pruneAndRewind(double fraction) {
        Pruned next = prune(fraction);
        rewind();
        return next;
    }

    /** The metadata {@link #save} writes. */
    public TicketMetadata metadata() {
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("network", network.seed());
        return new TicketMetadata(round, SavedStrategies.method(strategy), SavedStrategies.scope(strategy),
                rewindPoint.describe(), seeds, hyperparameters, Provenance.current(), Instant.now().toString());
    }

    /**
     * Writes the network, masks, rewind snapshots and metadata to one file, atomically: an
     * interrupted save leaves the previous file (or none), never a partial one.
     */
    public void save(Path file) throws IOException {
        TicketFile.write(this, file);
    }

    /** Stops enforcing masks and recording snapshots; the network keeps its weights. */
    @Override
    public void close() {
        enforcer.detach();
        snapshots.detach(network.model());
    }

    @Override
    public String toString() {
        return "LotteryTicket[round " + round + ", " + strategy.describe() + ", rewind " + rewindPoint.describe() + "]"
                + sparsity();
    }

    /**
     * Configures a {@link LotteryTicket}. Defaults: magnitude pruning, layerwise scope, rewind to
     * initialization.
     *
     * <pre>{@code
     * LotteryTicket t = LotteryTicket.builder(graph).scope(PruningScope.global()).build();
     * }</pre>
     */
    public static final class Builder {
        private final Model network;
        private PruningMethod method = PruningMethod.magnitude();
        private PruningScope scope = PruningScope.layerwise();
        private PruningStrategy strategy;
        private RewindPoint rewindPoint = RewindPoint.init();
        private MaskSet masks;
        private RewindSnapshots snapshots;
        private int round;
        private Map<String, String> hyperparameters = Map.of();

        private Builder(Model network) {
            this.network = Objects.requireNonNull(network, "network");
        }

        /**
         * Prunes with any strategy instead of a method over a scope: N:M ({@code NmPruner}) or
         * your own. Replaces {@link #method} and {@link #scope}.
         */
        public Builder strategy(PruningStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        PruningStrategy strategy() {
            return strategy != null ? strategy : new Pruner(method, scope);
        }

        /** How weights are chosen. */
        public Builder method(PruningMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            this.strategy = null;
            return this;
        }

        /** Which weights are pruned, at which rates, ranked per layer or together. */
        public Builder scope(PruningScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            this.strategy = null;
            return this;
        }

        /** Where {@link LotteryTicket#rewind()} takes the weights. */
        public Builder rewindTo(RewindPoint point) {
            this.rewindPoint = Objects.requireNonNull(point, "point");
            return this;
        }

        /** Starts from existing masks instead of keeping every weight. */
        public Builder masks(MaskSet masks) {
            this.masks = Objects.requireNonNull(masks, "masks");
            return this;
        }

        /** Settings saved verbatim with the ticket, such as the learning rate. */
        public Builder hyperparameters(Map<String, String> hyperparameters) {
            this.hyperparameters = Map.copyOf(hyperparameters);
            return this;
        }

        /**
         * Rewinds with snapshots recorded elsewhere (a loaded ticket, another arm of an experiment)
         * instead of recording them from this network.
         */
        public Builder snapshots(RewindSnapshots snapshots) {
            this.snapshots = snapshots;
            return this;
        }

        Builder round(int round) {
            this.round = round;
            return this;
        }

        /**
         * Attaches mask enforcement and snapshot recording to the network.
         *
         * @throws IllegalStateException if the network is not initialized, or has already trained
         *     past the iteration it must rewind to
         * @throws IllegalArgumentException if the masks or scope do not fit the network
         */
        public LotteryTicket build() {
            NetworkAdapter view = NetworkAdapter.of(network);
            scope.resolve(view.view()); // unknown layers fail here, not at the first prune
            MaskSet start = masks != null ? masks : strategy().initialMasks(view.view());
            start.checkFits(view.view());
            RewindSnapshots recorded = snapshots;
            int k = rewindPoint.snapshotIteration().orElse(-1);
            if (recorded == null) {
                if (k >= 0 && view.iterationCount() > k) {
                    throw new IllegalStateException("cannot rewind to " + rewindPoint.describe()
                            + ": the network has already trained " + view.iterationCount()
                            + " iterations; build the ticket right after init(), or rewind to fine-tune");
                }
                recorded = k >= 0 ? RewindSnapshots.record(view.model(), k) : RewindSnapshots.of(Map.of());
            } else if (k >= 0 && recorded.at(k).isEmpty()) {
                recorded.recordAlso(view.model(), k);
            }
            return new LotteryTicket(this, view, start, recorded);
        }
    }
}

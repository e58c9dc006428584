package org.lottery4j.hparams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.rewind.RewindPoint;

/**
 * How an experiment prunes: method, fraction per round, scope (with per-layer rates), number of
 * rounds and rewind point. Method, scope and rewind point are parsed values; they enter the
 * canonical form and {@code hparams.json} as their {@code describe()} text, so two spellings of
 * one scope name one experiment.
 *
 * <pre>{@code
 * PruningHparams p = PruningHparams.builder()
 *         .method(PruningMethod.magnitude()).fraction(0.2)
 *         .scope("layerwise fractions={output=0.1}")     // or a PruningScope
 *         .rounds(12).rewind(RewindPoint.init())
 *         .build();
 * }</pre>
 *
 * @param method how weights are chosen; default {@code magnitude}
 * @param fraction fraction of surviving weights removed per round, in [0, 1); default 0.2
 * @param scope which weights, at which rates; default {@code layerwise}
 * @param rounds pruning rounds after the dense round 0; default 1
 * @param rewind where survivors go after pruning, and where the learning-rate schedule resumes; default {@code init}
 * @param strategy a {@link PruningStrategy} of your own (or {@code NmPruner}) used instead of
 *     {@code method} over {@code scope}; default none. It enters the canonical form as
 *     {@code pruning.strategy=} its {@code describe()}, so give it a stable, unique description
 * @param schedule which network each round's masks are drawn from ({@link PruningSchedule}):
 *     {@code iterative} (the default, and what {@code null} reads as), {@code one-shot},
 *     {@code at-init} or {@code early-bird(...)}
 * @param onlyRounds the pruned rounds to train, such as {@code 7,13}, or {@code all} (the default, and
 *     what {@code null} reads as). Rounds of a schedule other than {@code iterative} do not depend on
 *     each other, so a study that compares methods at a few sparsities trains only those (and the
 *     dense round 0); iterative pruning needs every round and refuses a list
 */
public record PruningHparams(
        @JsonSerialize(using = Hparams.CanonicalText.class) @JsonDeserialize(using = Hparams.MethodFromText.class)
        PruningMethod method,
        double fraction,
        @JsonSerialize(using = Hparams.CanonicalText.class) @JsonDeserialize(using = Hparams.ScopeFromText.class)
        PruningScope scope,
        int rounds,
        @JsonSerialize(using = Hparams.CanonicalText.class) @JsonDeserialize(using = Hparams.RewindFromText.class)
        RewindPoint rewind,
        @JsonSerialize(using = Hparams.CanonicalText.class) @JsonInclude(JsonInclude.Include.NON_NULL)
        PruningStrategy strategy,
        @JsonSerialize(using = Hparams.CanonicalText.class) @JsonDeserialize(using = Hparams.ScheduleFromText.class)
        PruningSchedule schedule,
        String onlyRounds) {

    /** The text of {@link #onlyRounds()} that trains every round. */
    public static final String ALL_ROUNDS = "all";

    /** The default of every field; a field at its default stays out of the canonical form. */
    public static final PruningHparams DEFAULTS =
            new PruningHparams(PruningMethod.magnitude(), 0.2, PruningScope.layerwise(), 1, RewindPoint.init(), null,
                    PruningSchedule.iterative(), ALL_ROUNDS);

    public PruningHparams {
        Hparams.require(method != null, "pruning.method must be set");
        Hparams.require(fraction >= 0 && fraction < 1, "pruning.fraction must be in [0, 1), got " + fraction);
        Hparams.require(scope != null, "pruning.scope must be set");
        Hparams.require(rounds >= 0, "pruning.rounds must be >= 0, got " + rounds);
        Hparams.require(rewind != null, "pruning.rewind must be set");
        schedule = schedule == null ? PruningSchedule.iterative() : schedule;
        onlyRounds = canonicalRounds(onlyRounds, rounds);
        Hparams.require(onlyRounds.equals(ALL_ROUNDS) || !(schedule instanceof PruningSchedule.Iterative),
                "pruning.onlyRounds: iterative pruning trains every round (each prunes the one before); give "
                        + "pruning.onlyRounds only with a schedule whose rounds stand alone (one-shot, at-init, early-bird)");
        Hparams.require(schedule.drawsFromTrainedNetwork() || rewind.equals(RewindPoint.init()),
                "pruning.rewind must be init when pruning.schedule is at-init (an untrained network has no later "
                        + "weights to rewind to), got " + rewind.describe());
    }

    /** Without a strategy of your own: {@code method} over {@code scope}. */
    public PruningHparams(PruningMethod method, double fraction, PruningScope scope, int rounds, RewindPoint rewind) {
        this(method, fraction, scope, rounds, rewind, null, PruningSchedule.iterative(), ALL_ROUNDS);
    }

    /** With a strategy of your own, pruned iteratively. */
    public PruningHparams(PruningMethod method, double fraction, PruningScope scope, int rounds, RewindPoint rewind,
            PruningStrategy strategy) {
        this(method, fraction, scope, rounds, rewind, strategy, PruningSchedule.iterative(), ALL_ROUNDS);
    }

    /**
     * {@code all}, or the distinct rounds of a list such as {@code "13, 7"} in order ({@code 7,13}),
     * each in [1, rounds].
     */
    private static String canonicalRounds(String text, int rounds) {
        if (text == null || text.strip().equalsIgnoreCase(ALL_ROUNDS)) {
            return ALL_ROUNDS;
        }
        java.util.TreeSet<Integer> list = new java.util.TreeSet<>();
        for (String part : text.replaceAll("[\\[\\]\\s]", "").split(",", -1)) {
            int r;
            try {
                r = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pruning.onlyRounds: '" + text
                        + "' is not all or a list of rounds such as 7,13");
            }
            Hparams.require(r >= 1 && r <= rounds, "pruning.onlyRounds: round " + r + " is not one of the pruned rounds 1 to "
                    + rounds + " (pruning.rounds)");
            list.add(r);
        }
        return String.join(",", list.stream().map(String::valueOf).toList());
    }

    /** Whether round {@code round} trains: the dense round 0 always does, the others as {@link #onlyRounds()} says. */
    public boolean trains(int round) {
        return round == 0 || onlyRounds.equals(ALL_ROUNDS)
                || java.util.Arrays.asList(onlyRounds.split(",")).contains(Integer.toString(round));
    }

    /** What prunes each round: the strategy of your own, else {@code method} over {@code scope}. */
    public PruningStrategy pruningStrategy() {
        return strategy != null ? strategy : new Pruner(method, scope);
    }

    /** A builder at the defaults. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Equal when every field has the same canonical text (methods need not implement {@code equals}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof PruningHparams p && p.method.describe().equals(method.describe()) && p.fraction == fraction
                && p.scope.equals(scope) && p.rounds == rounds && p.rewind.equals(rewind)
                && Hparams.text(p.strategy).equals(Hparams.text(strategy)) && p.schedule.equals(schedule)
                && p.onlyRounds.equals(onlyRounds);
    }

    @Override
    public int hashCode() {
        return method.describe().hashCode() * 31 + scope.hashCode() + 17 * rounds + rewind.hashCode();
    }

    static PruningMethod parseMethod(String text) {
        return Hparams.parseLenient("pruning.method", text, PruningMethod::parse);
    }

    static PruningScope parseScope(String text) {
        return Hparams.parseField("pruning.scope", text, PruningScope::parse);
    }

    static RewindPoint parseRewind(String text) {
        return Hparams.parseField("pruning.rewind", text, RewindPoint::parse);
    }

    static PruningSchedule parseSchedule(String text) {
        return Hparams.parseField("pruning.schedule", text, PruningSchedule::parse);
    }

    /** Named setters for {@link PruningHparams}; text forms are parsed at once, {@link #build()} validates. */
    public static final class Builder {
        private PruningMethod method;
        private double fraction;
        private PruningScope scope;
        private int rounds;
        private RewindPoint rewind;
        private PruningStrategy strategy;
        private PruningSchedule schedule;
        private String onlyRounds;

        private Builder(PruningHparams from) {
            method = from.method;
            fraction = from.fraction;
            scope = from.scope;
            rounds = from.rounds;
            rewind = from.rewind;
            strategy = from.strategy;
            schedule = from.schedule;
            onlyRounds = from.onlyRounds;
        }

        /** {@code "all"} or rounds such as {@code "7,13"}: see {@link PruningHparams#onlyRounds()}. */
        public Builder onlyRounds(String onlyRounds) {
            this.onlyRounds = onlyRounds;
            return this;
        }

        public Builder schedule(PruningSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Such as {@code "at-init"} or {@code "early-bird(every=1ep, distance=0.1, window=5)"}. */
        public Builder schedule(String schedule) {
            return schedule(parseSchedule(schedule));
        }

        /** Prunes with a strategy of your own instead of a method over a scope; {@code null} for none. */
        public Builder strategy(PruningStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder method(PruningMethod method) {
            this.method = method;
            return this;
        }

        /** Such as {@code "magnitude"} or {@code "random(seed=3)"}, in any case and spacing. */
        public Builder method(String method) {
            return method(parseMethod(method));
        }

        public Builder fraction(double fraction) {
            this.fraction = fraction;
            return this;
        }

        public Builder scope(PruningScope scope) {
            this.scope = scope;
            return this;
        }

        /** Such as {@code "layerwise fractions={output=0.1}"}, in any spacing. */
        public Builder scope(String scope) {
            return scope(parseScope(scope));
        }

        public Builder rounds(int rounds) {
            this.rounds = rounds;
            return this;
        }

        public Builder rewind(RewindPoint rewind) {
            this.rewind = rewind;
            return this;
        }

        /** Such as {@code "init"}, {@code "iteration:500"} or {@code "lr-rewind"}. */
        public Builder rewind(String rewind) {
            return rewind(parseRewind(rewind));
        }

        /** @throws IllegalArgumentException naming the first bad field */
        public PruningHparams build() {
            return new PruningHparams(method, fraction, scope, rounds, rewind, strategy, schedule, onlyRounds);
        }
    }
}

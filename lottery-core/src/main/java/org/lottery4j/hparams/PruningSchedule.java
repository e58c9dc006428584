package org.lottery4j.hparams;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which network each pruned round of an experiment draws its masks from, and so how much training
 * a ticket costs. Round {@code r} always keeps the weights that {@code r} pruning steps of
 * {@code pruning.fraction} keep (exactly the counts of iterative pruning's round {@code r}), and
 * round 0 always trains the dense network, the reference every schedule is compared with.
 *
 * <table>
 *   <caption>Where round r's masks come from</caption>
 *   <tr><th>schedule</th><th>masks drawn from</th><th>trainings to reach round r</th></tr>
 *   <tr><td>{@code iterative} (default)</td><td>round r-1's trained ticket, one step: iterative magnitude
 *       pruning (Frankle and Carbin, 2019)</td><td>r + 1</td></tr>
 *   <tr><td>{@code one-shot}</td><td>round 0's trained dense network, r steps at once</td><td>2</td></tr>
 *   <tr><td>{@code at-init}</td><td>the untrained network, r steps at once: pruning at initialization
 *       (SNIP, GraSP, SynFlow, random); dynamic sparse training starts here too</td><td>1</td></tr>
 *   <tr><td>{@code early-bird(every=1ep, distance=0.1, window=5)}</td><td>round 0's dense network at the
 *       first evaluation of its masks where the last {@code window} normalized Hamming distances between
 *       consecutive masks at round r's sparsity were all at most {@code distance} (You et al., 2020);
 *       the end of dense training if that never happened</td><td>part of one, plus one</td></tr>
 * </table>
 *
 * <p>After drawing its masks a round rewinds as {@code pruning.rewind} says and trains.
 *
 * <pre>{@code
 * PruningSchedule s = PruningSchedule.parse("early-bird(every=200it, distance=0.1, window=5)");
 * PruningSchedule.parse("At-Init");              // any case and spacing
 * s.describe();                                  // early-bird(every=200it,distance=0.1,window=5)
 * }</pre>
 */
public sealed interface PruningSchedule {

    /** Round r prunes round r-1's trained ticket: iterative magnitude pruning. */
    record Iterative() implements PruningSchedule {
        @Override
        public String describe() {
            return "iterative";
        }
    }

    /** Round r prunes round 0's trained network r steps at once. */
    record OneShot() implements PruningSchedule {
        @Override
        public String describe() {
            return "one-shot";
        }
    }

    /** Round r prunes the untrained network r steps at once: pruning at initialization. */
    record AtInit() implements PruningSchedule {
        @Override
        public String describe() {
            return "at-init";
        }
    }

    /**
     * Round r prunes round 0's dense network as it was when its masks at round r's sparsity stopped
     * changing.
     *
     * @param every how often the masks are drawn while the dense network trains
     * @param distance the largest normalized Hamming distance between consecutive masks that counts as settled, in [0, 1]
     * @param window how many consecutive distances must be settled, at least 1
     */
    record EarlyBird(Step every, double distance, int window) implements PruningSchedule {
        /** The paper's settings: every epoch, distance 0.1, the last 5. */
        public static final EarlyBird DEFAULTS = new EarlyBird(Step.ofEpochs(1), 0.1, 5);

        public EarlyBird {
            Hparams.require(every != null, "early-bird: every must be set");
            Hparams.require(distance >= 0 && distance <= 1, "early-bird: distance must be in [0, 1], got " + distance);
            Hparams.require(window >= 1, "early-bird: window must be >= 1, got " + window);
        }

        @Override
        public String describe() {
            return "early-bird(every=" + every + ",distance=" + distance + ",window=" + window + ")";
        }
    }

    /** The default: iterative pruning. */
    static PruningSchedule iterative() {
        return new Iterative();
    }

    static PruningSchedule oneShot() {
        return new OneShot();
    }

    static PruningSchedule atInit() {
        return new AtInit();
    }

    /** Early-bird tickets with the paper's settings ({@link EarlyBird#DEFAULTS}). */
    static PruningSchedule earlyBird() {
        return EarlyBird.DEFAULTS;
    }

    /** Whether round r's masks come from a network trained before it (all but {@code at-init}). */
    default boolean drawsFromTrainedNetwork() {
        return !(this instanceof AtInit);
    }

    /** The canonical text, which {@link #parse} reads back. */
    String describe();

    /**
     * Reads {@code iterative}, {@code one-shot}, {@code at-init}, {@code early-bird} or
     * {@code early-bird(every=STEP, distance=D, window=N)} (any of the three settings, in any order;
     * the others keep the paper's values), in any case and spacing.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static PruningSchedule parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        int open = t.indexOf('(');
        String name = open < 0 ? t : t.substring(0, open);
        // words of the name joined by a hyphen however they are separated; no spaces in the settings
        t = name.strip().replaceAll("[\\s_]+", "-") + (open < 0 ? "" : t.substring(open).replaceAll("\\s+", ""));
        switch (t) {
            case "iterative":
                return iterative();
            case "one-shot":
            case "oneshot":
                return oneShot();
            case "at-init":
                return atInit();
            case "early-bird":
                return earlyBird();
            default:
                break;
        }
        Matcher m = Pattern.compile("early-bird\\((.*)\\)").matcher(t);
        if (m.matches()) {
            EarlyBird d = EarlyBird.DEFAULTS;
            Step every = d.every();
            double distance = d.distance();
            int window = d.window();
            for (String part : m.group(1).split(",", -1)) {
                String[] kv = part.split("=", -1);
                if (kv.length != 2) {
                    throw bad(text, "'" + part + "' is not setting=value");
                }
                try {
                    switch (kv[0]) {
                        case "every" -> every = Step.parse(kv[1]);
                        case "distance" -> distance = Double.parseDouble(kv[1]);
                        case "window" -> window = Integer.parseInt(kv[1]);
                        default -> throw bad(text, "unknown setting '" + kv[0] + "' (every, distance, window)");
                    }
                } catch (NumberFormatException e) {
                    throw bad(text, "'" + kv[1] + "' is not a number for " + kv[0]);
                }
            }
            try {
                return new EarlyBird(every, distance, window);
            } catch (IllegalArgumentException e) {
                throw bad(text, e.getMessage());
            }
        }
        throw bad(text, "expected iterative, one-shot, at-init or early-bird(every=1ep, distance=0.1, window=5)");
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("not a pruning schedule: '" + text + "': " + why);
    }
}

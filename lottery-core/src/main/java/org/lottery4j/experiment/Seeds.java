package org.lottery4j.experiment;

import java.nio.charset.StandardCharsets;

/**
 * Every seed an experiment derives from its training seed, in one place. An arm's seeds depend on
 * the training seed, its round and its name alone, never on the order arms train in or on how many
 * train at once, so a resumed or parallel run gives the results of one run straight through. The
 * rules are those of lottery4j 0.1.0, kept so that existing results stay reproducible.
 *
 * <ul>
 *   <li>{@link #arm}: an arm's data order ({@code Batches.shuffled}, which adds the epoch) and
 *       ND4J's random generator;
 *   <li>{@link #augmentation}: the stream an arm's batch augmentation draws from, apart from the
 *       data order so that augmenting leaves the order as it was;
 *   <li>{@link #control}: a control arm's random re-initialization and random masks;
 *   <li>{@link #pruningData}: the training examples a data-driven pruning method (SNIP, GraSP)
 *       scores from, the same in every round.
 * </ul>
 */
final class Seeds {

    private Seeds() {}

    /** A polynomial hash of {@code "<round>/<arm>"}'s UTF-8 bytes over the training seed. */
    static long arm(long trainingSeed, int round, String arm) {
        long h = trainingSeed;
        for (byte b : (round + "/" + arm).getBytes(StandardCharsets.UTF_8)) {
            h = h * 1_000_003 + b;
        }
        return h;
    }

    /** The stream of an arm's batch augmentation. */
    static long augmentation(long trainingSeed, int round, String arm) {
        return arm(trainingSeed, round, arm + "/augment");
    }

    /** The batch SNIP and GraSP score from: the same in every round and arm. */
    static long pruningData(long trainingSeed) {
        return arm(trainingSeed, 0, "pruning-data");
    }

    /** A control arm's re-initialization and random masks: the same for every control of a round. */
    static long control(long trainingSeed, int round) {
        return trainingSeed * 7919 + round;
    }
}

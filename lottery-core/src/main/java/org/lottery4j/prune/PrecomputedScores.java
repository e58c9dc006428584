package org.lottery4j.prune;

import java.util.Map;
import org.lottery4j.network.ParamKey;

/**
 * What a method that scores from more than the weights returns from {@code prepare}: every
 * parameter's scores, computed once for this step, handed out a chunk at a time.
 */
final class PrecomputedScores implements PruningMethod {

    private final String description;
    private final Map<ParamKey, float[]> scores;

    PrecomputedScores(String description, Map<ParamKey, float[]> scores) {
        this.description = description;
        this.scores = Map.copyOf(scores);
    }

    @Override
    public void score(ParamKey param, int from, float[] weights, float[] out, int count) {
        float[] all = scores.get(param);
        if (all == null) {
            throw new IllegalArgumentException(description + " was prepared for a network without parameter " + param
                    + ": prepare it again for this network");
        }
        System.arraycopy(all, from, out, 0, count);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return describe();
    }
}

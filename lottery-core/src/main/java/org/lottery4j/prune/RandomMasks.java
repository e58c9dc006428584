package org.lottery4j.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamKey;

/**
 * Random masks with exactly the per-parameter sparsity of other masks: the random-pruning control
 * of the lottery-ticket experiments.
 *
 * <pre>{@code
 * MaskSet control = RandomMasks.matching(ticket.masks(), 7);
 * boolean same = control.get(key).countPruned() == ticket.masks().get(key).countPruned();   // true for every key
 * }</pre>
 */
public final class RandomMasks {

    private RandomMasks() {}

    /** For each parameter of {@code template}, a uniformly random mask pruning as many weights. */
    public static MaskSet matching(MaskSet template, long seed) {
        PruningMethod random = PruningMethod.random(seed);
        Map<ParamKey, Mask> out = new LinkedHashMap<>();
        template.asMap().forEach((key, mask) -> {
            int n = (int) mask.length();
            if (n > 0 && mask.countKept() == 0) {
                out.put(key, mask); // everything pruned: nothing random left to choose
                return;
            }
            // fraction x n rounds back to exactly countPruned(): it is within an ulp of an integer
            double fraction = n == 0 ? 0 : (double) mask.countPruned() / n;
            float[] scores = new float[n];
            random.score(key, 0, new float[n], scores, n);
            Mask next = LowestImportance.prune(new float[][] {scores}, new Mask[] {Mask.allKept(mask.shape())}, fraction)[0];
            out.put(key, next);
        });
        return MaskSet.of(out);
    }
}

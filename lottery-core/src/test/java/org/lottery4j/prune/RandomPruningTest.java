package org.lottery4j.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lottery4j.network.ParamKey;

class RandomPruningTest {

    @Test
    void elementIsScoreIsTheIthNumberOfSplittableRandomsStream() {
        for (long seed : new long[] {0, 42, -7, Long.MAX_VALUE}) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 10_000; i++) {
                assertThat(RandomPruning.nth(seed, i)).isEqualTo(random.nextDouble());
            }
        }
    }

    @Test
    void chunksScoreAsTheWholeParameterDoes() {
        PruningMethod random = PruningMethod.random(9);
        ParamKey key = ParamKey.of("layer0", "W");
        float[] whole = new float[1000];
        random.score(key, 0, new float[1000], whole, 1000);
        float[] chunk = new float[100];
        random.score(key, 700, new float[100], chunk, 100);
        assertThat(chunk).containsExactly(java.util.Arrays.copyOfRange(whole, 700, 800));
    }
}

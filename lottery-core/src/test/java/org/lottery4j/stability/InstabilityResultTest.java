package org.lottery4j.stability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.Json;

class InstabilityResultTest {

    private static final List<Double> ALPHAS = List.of(0.0, 0.25, 0.5, 0.75, 1.0);
    private static final List<Double> LOSSES = List.of(0.3, 0.4, 0.9, 0.5, 0.2);

    @Test
    void instabilityIsTheHighestErrorLessTheMeanOfTheEnds() {
        InstabilityResult r = InstabilityResult.of(ALPHAS, List.of(0.10, 0.15, 0.30, 0.12, 0.08), LOSSES);

        assertThat(r.instability()).isEqualTo(0.30 - (0.10 + 0.08) / 2); // 0.21
        assertThat(r.isStable()).isFalse();
        assertThat(r.isStable(0.2)).isFalse();
        assertThat(r.isStable(0.21)).isTrue();
    }

    @Test
    void aPathNoWorseThanItsEndsIsStable() {
        // the highest error is an end: the barrier is half the ends' difference
        InstabilityResult r = InstabilityResult.of(List.of(0.0, 0.5, 1.0), List.of(0.10, 0.105, 0.11), List.of(1.0, 1.0, 1.0));
        assertThat(r.instability()).isEqualTo(0.11 - (0.10 + 0.11) / 2);
        assertThat(r.isStable()).isTrue();
        assertThat(InstabilityResult.DEFAULT_THRESHOLD).isEqualTo(0.02);
    }

    @Test
    void jsonRoundTrip() throws Exception {
        InstabilityResult r = InstabilityResult.of(ALPHAS, List.of(0.1, 0.15, 0.3, 0.12, 0.08), LOSSES);
        String json = Json.writer().writeValueAsString(r);

        assertThat(Json.reader().forType(InstabilityResult.class).<InstabilityResult>readValue(json)).isEqualTo(r);
        assertThat(json).contains("\"alphas\"", "\"errors\"", "\"losses\"", "\"instability\"");
    }

    @Test
    void anInstabilityThatDoesNotFollowFromTheErrorsIsRefused() {
        assertThatThrownBy(() -> new InstabilityResult(List.of(0.0, 1.0), List.of(0.1, 0.3), List.of(1.0, 1.0), 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instability 0.5 does not follow from the errors [0.1, 0.3]: their barrier is 0.09999999999999998");
        assertThatThrownBy(() -> InstabilityResult.of(List.of(0.0), List.of(0.1), List.of(1.0)))
                .hasMessage("a path needs at least 2 points with one error and one loss each, got 1 alphas, 1 errors and 1 losses");
    }
}

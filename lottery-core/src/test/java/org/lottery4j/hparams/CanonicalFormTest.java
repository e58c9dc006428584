package org.lottery4j.hparams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lottery4j.io.Sha256;

class CanonicalFormTest {

    @Test
    void linesAreSortedByKeyWhateverTheMapsOrderAndHashedToTenHexDigits() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grokking.seed", "1");
        fields.put("grokking.p", "97");
        fields.put("doubleDescent.epochs", "300");
        String canonical = CanonicalForm.of(fields);
        assertThat(canonical).isEqualTo("doubleDescent.epochs=300\ngrokking.p=97\ngrokking.seed=1");
        assertThat(CanonicalForm.hash(canonical))
                .isEqualTo(Sha256.hex(canonical.getBytes(StandardCharsets.UTF_8)).substring(0, 10)).hasSize(10);
        assertThat(CanonicalForm.describe("Run x", fields)).isEqualTo(String.format(
                "Run x%n  %-30s 1%n  %-30s 97%n  %-30s 300", "grokking.seed", "grokking.p", "doubleDescent.epochs"));
    }

    @Test
    void theExperimentsHashThroughIt() {
        ExperimentHparams hp = ExperimentHparamsTest.lenet("8ep");
        assertThat(hp.canonical()).isEqualTo(CanonicalForm.of(hp.canonicalFields()));
        assertThat(hp.hash()).isEqualTo(CanonicalForm.hash(hp.canonical()));
    }
}

package org.lottery4j.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.internal.Sha256;

class RunIdentityTest {

    private static Map<String, String> fields(String seed, String p, String epochs) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grokking.seed", seed);
        f.put("grokking.p", p);
        f.put("doubleDescent.epochs", epochs);
        return f;
    }

    @Test
    void theCanonicalFormIsTheSortedNonDefaultHashedFieldsAndNamesTheFolder() {
        Map<String, String> defaults = fields("1", "97", "300");
        RunIdentity id = RunIdentity.of("Run", "run", fields("2", "113", "300"), defaults, Set.of());
        assertThat(id.canonical()).isEqualTo("grokking.p=113\ngrokking.seed=2");
        assertThat(id.hash()).isEqualTo(Sha256.hex(id.canonical().getBytes(StandardCharsets.UTF_8)).substring(0, 10))
                .hasSize(10);
        assertThat(id.folderName()).isEqualTo("run_" + id.hash());
        assertThat(id.describe()).isEqualTo(String.format("Run run_%s%n  %-30s 2%n  %-30s 113%n  %-30s 300", id.hash(),
                "grokking.seed", "grokking.p", "doubleDescent.epochs"));
        // a field left out of the hash (seeds of a sweep) is printed but changes no folder
        RunIdentity seeds = RunIdentity.of("Run", "run", fields("5", "113", "300"), defaults, Set.of("grokking.seed"));
        assertThat(seeds.canonical()).isEqualTo("grokking.p=113");
        assertThat(seeds.fields()).containsEntry("grokking.seed", "5");
    }

    @Test
    void aNewFieldAtItsDefaultLeavesTheFolderAsItWas() {
        Map<String, String> before = fields("2", "113", "300");
        Map<String, String> after = new LinkedHashMap<>(before);
        after.put("grokking.newField", "off");
        Map<String, String> defaults = new LinkedHashMap<>(fields("1", "97", "300"));
        defaults.put("grokking.newField", "off");
        assertThat(RunIdentity.of("Run", "run", after, defaults, Set.of()).folderName())
                .isEqualTo(RunIdentity.of("Run", "run", before, defaults, Set.of()).folderName());
    }

    @Test
    void theExperimentsAreRunHparams() {
        ExperimentHparams hp = ExperimentHparams.builder()
                .dataset(DatasetHparams.builder().name("mnist-10k").validationExamples(1000).build())
                .model(new ModelHparams("lenet-300-100")).build();
        RunIdentity id = hp.identity();
        assertThat(hp.canonical()).isEqualTo(id.canonical());
        assertThat(hp.folderName()).isEqualTo("lottery_" + id.hash());
        assertThat(hp.describe()).startsWith("experiment lottery_" + id.hash());
        assertThat(id.fields()).containsEntry("controls", "none").containsEntry("pruning.strategy", "none");
        assertThat(id.canonicalFields()).doesNotContainKey("controls");
    }
}

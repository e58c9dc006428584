package org.lottery4j.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.experiment.Experiment;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.testing.SyntheticWorkload;

class FinishedRunsTest {

    @TempDir
    Path dir;

    @Test
    void aRunIsFinishedWithTheRoundsItTrainsAndTheStabilityArmOfRoundZero() throws IOException {
        ExperimentHparams base = SyntheticWorkload.hparams(3, "10it", List.of(ControlArm.STABILITY));
        ExperimentHparams hp = base.toBuilder()
                .pruning(base.pruning().toBuilder().schedule("at-init").onlyRounds("2").build()).build();
        new Experiment(hp, new SyntheticWorkload(), dir).run();
        assertThat(StudyStatus.finishedResult(hp, dir)).isPresent();
        ExperimentResult result = StudyStatus.finishedResult(hp, dir).orElseThrow();
        assertThat(result.results()).extracting(a -> a.round() + " " + a.arm())
                .containsExactly("0 ticket", "0 stability", "2 ticket", "2 stability");
        // without the dense round's stability arm the run is not finished
        Path file = dir.resolve(hp.folderName()).resolve("results.json");
        Json.writeChecked(file, new ExperimentResult(result.name(), result.hparams(), result.canonical(), result.arms(),
                result.results().stream().filter(a -> a.round() > 0 || a.arm().equals("ticket")).toList(),
                result.provenance()));
        assertThat(StudyStatus.finishedResult(hp, dir)).isEmpty();
    }
}

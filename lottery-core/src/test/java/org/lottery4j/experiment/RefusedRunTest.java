package org.lottery4j.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.NmHparams;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.testing.TinyStudy;
import org.lottery4j.ticket.TicketFormatException;

/** A run refused before it produced anything leaves no folder it created; one with work in it keeps it. */
class RefusedRunTest {

    @TempDir
    Path dir;

    @Test
    void anExperimentRefusedAtItsDataLeavesNoFolderNorTheParentsItCreated() {
        Path out = dir.resolve("results/today");
        ExperimentHparams hp = NmExperimentTest.hparams().workloadHparams(); // no validation split
        assertThatThrownBy(() -> new Experiment(hp, new SyntheticWorkload(), out).run())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("results")).doesNotExist();
        assertThatThrownBy(() -> new Experiment(SyntheticWorkload.hparams(1, "20it", List.of(ControlArm.REINIT)),
                new TinyStudy.Broken(), out).run()).hasMessage("disk on fire");
        assertThat(dir.resolve("results")).doesNotExist();
    }

    @Test
    void aFolderThatWasThereStays() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        ExperimentHparams hp = SyntheticWorkload.hparams(1, "20it", List.of(ControlArm.REINIT));
        assertThatThrownBy(() -> new Experiment(hp, new TinyStudy.Broken(), out).run()).hasMessage("disk on fire");
        assertThat(out).isEmptyDirectory();
        // a run folder with work in it is never removed, even if it fails
        new Experiment(hp, new SyntheticWorkload(), out).run();
        Path folder = out.resolve(hp.folderName());
        Files.delete(folder.resolve("results.json"));
        assertThatThrownBy(() -> new Experiment(hp, new TinyStudy.Broken(), out).run()).hasMessage("disk on fire");
        assertThat(folder.resolve("hparams.json")).exists();
        assertThat(folder.resolve("round-00/ticket.zip")).exists();
    }

    @Test
    void anNmExperimentFromAFileThatIsNoTicketLeavesNoFolder() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.zip"), "not a ticket");
        NmHparams hp = NmExperimentTest.hparams().toBuilder().ticket(text).build();
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> new NmExperiment(hp, text, new SyntheticWorkload(), out).run())
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(text + ": not a ticket file");
        assertThat(out).doesNotExist();
    }

    @Test
    void anOutputFolderThatCannotBeMadeIsTheFirstError() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "a file");
        ExperimentHparams hp = SyntheticWorkload.hparams(1, "20it", List.of());
        assertThatThrownBy(() -> new Experiment(hp, new TinyStudy.Broken(), file.resolve("sub")).run())
                .isInstanceOf(java.nio.file.FileSystemException.class); // not the workload's "disk on fire"
    }
}

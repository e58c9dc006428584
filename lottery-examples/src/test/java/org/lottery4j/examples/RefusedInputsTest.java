package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs the commands refuse (issue 21): one line naming what is wrong, and nothing left behind. */
class RefusedInputsTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private static String error(int code, String... args) {
        return Console.err(() -> assertThat(Main.run(args)).isEqualTo(code));
    }

    @Test
    void aTextFileGivenAsATicketIsRefusedBeforeAnyFolderIsMade() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.zip"), "this is not a ticket");
        Path out = dir.resolve("out");
        assertThat(error(2, "mnist-2to4", "--ticket", text.toString(), "--out", out.toString()))
                .isEqualTo("error: --ticket " + text + ": not a ticket file, or a truncated or corrupted one: zip END "
                        + "header not found (see 'lottery-examples mnist-2to4 --help')" + NL);
        assertThat(out).doesNotExist();
    }

    @Test
    void anotherStudyIsRefusedInAStudysFolder() throws Exception {
        Path out = Files.createDirectories(dir.resolve("quick"));
        String quick = StudyCommandTest.TINY; // what 'study run' copied when it ran it
        Files.writeString(out.resolve("study.json"), quick);
        Path other = Files.writeString(dir.resolve("other.json"), quick.replace("\"tiny\"", "\"other\""));
        String err = error(1, "study", "run", other.toString(), "--out", out.toString());
        assertThat(err).isEqualTo("error: " + other + ": $: " + out + " is the folder of the study 'tiny' (study.json), "
                + "not of 'other': run this study into another folder" + NL);
        assertThat(out.resolve("study.json")).hasContent(quick);
        try (var files = Files.list(out)) {
            assertThat(files).hasSize(1); // nothing trained
        }
    }

    @Test
    void aStudyIsCountedFirstAndOneOverTheLimitIsRefused() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.json"), StudyCommandTest.TINY);
        String[] out = new String[1];
        String err = Console.err(() -> out[0] = Console.out(() -> assertThat(Main.run("study", "run", spec.toString(),
                "--max-runs", "3", "--out", dir.resolve("out").toString())).isEqualTo(1)));
        assertThat(err).isEqualTo("error: " + spec + ": $: expands to 4 runs (pruning.scope x2, training.seed x2), more "
                + "than the limit of 3; check the axes, or allow more (study run --max-runs N)" + NL);
        assertThat(out[0]).isEmpty();
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(error(1, "study", "run", dir.toString(), "--out", dir.resolve("out").toString()))
                .isEqualTo("error: " + dir + ": $: is a folder, not a study file" + NL);
        assertThat(error(2, "study", "run", spec.toString(), "--max-runs", "0", "--out", dir.resolve("out").toString()))
                .isEqualTo("error: --max-runs must be >= 1, got 0 (see 'lottery-examples study run --help')" + NL);
    }
}

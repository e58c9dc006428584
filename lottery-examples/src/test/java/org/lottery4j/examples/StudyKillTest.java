package org.lottery4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.Json;
import org.lottery4j.testing.Summaries;

/**
 * {@code kill -9} of a whole study in the middle, then the same command again: every run exactly
 * once and the summary of a study that was never interrupted; {@code study status} shows the runs
 * in progress while the study runs and none once its process is dead.
 */
class StudyKillTest {

    /** The tiny study of {@link StudyCommandTest}, with runs long enough to be killed in the middle. */
    private static final String STUDY = StudyCommandTest.TINY.replace("\"20it\"", "\"60it\"")
            .replace("\"10it\"", "\"30it\"");

    /** Arm records per run: tickets of rounds 0 and 1, reinit of round 1. */
    private static final int ARMS = 3;

    @TempDir
    Path dir;

    @Test
    void killMinus9ThenTheSameCommandFinishesEveryRunOnceWithTheSameSummary() throws Exception {
        Path spec = Files.writeString(dir.resolve("kill.json"), STUDY);
        Path out = dir.resolve("killed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g", Main.class.getName(),
                "study", "run", spec.toString(), "--workers", "2", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        String statusWhileRunning;
        try {
            // kill once a quarter of the arms are recorded: some runs finished or half-way, others not started
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (armRecords(out) < 4 * ARMS / 4 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(10);
            }
            statusWhileRunning = Console.out(() -> Main.run("study", "status", out.toString()));
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("child.log"));
        assertThat(armRecords(out)).as(log).isBetween(4 * ARMS / 4, 4 * ARMS - 1);
        assertThat(statusWhileRunning).as(log).contains("running: lottery_", "(process " + child.pid() + " on ");
        assertThat(Console.out(() -> Main.run("study", "status", out.toString()))).contains(" 0 running, ")
                .doesNotContain("running: ");

        String resumed = Console.out(() -> assertThat(Main.run("study", "run", spec.toString(), "--workers", "2",
                "--out", out.toString())).isZero());
        assertThat(resumed).startsWith("study 'tiny': 4 runs (pruning.scope x2, training.seed x2)" + System.lineSeparator()
                + "4 experiments: 4 done, 0 running, 0 failed, 0 left");

        Path straight = dir.resolve("straight");
        Console.out(() -> assertThat(Main.run("study", "run", spec.toString(), "--workers", "2",
                "--out", straight.toString())).isZero());
        assertThat(Summaries.csv(out.resolve("summary.csv"))).isEqualTo(Summaries.csv(straight.resolve("summary.csv")));
        List<Path> folders = runFolders(out);
        assertThat(folders).hasSize(4);
        for (Path folder : folders) {
            JsonNode arms = Json.reader().readTree(java.nio.file.Files.readAllBytes(folder.resolve("results.json"))).path("results");
            List<String> seen = new ArrayList<>();
            arms.forEach(a -> seen.add(a.path("round").asInt() + "/" + a.path("arm").asText()));
            assertThat(seen).as(folder.toString()).containsExactly("0/ticket", "1/ticket", "1/reinit");
            assertThat(folder.resolve("running.json")).doesNotExist();
        }
    }

    /** Arm records written so far; by name, since the study renames temporary files while we look. */
    private static int armRecords(Path out) throws Exception {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        int records = 0;
        for (Path run : runFolders(out)) {
            for (String record : List.of("round-00/ticket.json", "round-01/ticket.json", "round-01/reinit.json")) {
                if (Files.exists(run.resolve(record))) {
                    records++;
                }
            }
        }
        return records;
    }

    private static List<Path> runFolders(Path out) throws Exception {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.getFileName().toString().startsWith("lottery_")).sorted().toList();
        }
    }
}

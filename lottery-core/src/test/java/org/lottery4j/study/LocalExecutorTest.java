package org.lottery4j.study;

import com.fasterxml.jackson.databind.JsonNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.Json;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.testing.Summaries;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.testing.TinyStudy;

/** A 2 scopes x 2 seeds study of the synthetic MLP, 1 pruning round with the reinit control. */
class LocalExecutorTest {

    private static final String STUDY = TinyStudy.JSON;

    @TempDir
    Path tmp;

    private static List<StudyRun> runs() throws StudySpecException {
        return StudySpec.parse(STUDY, Path.of("tiny.json")).runs();
    }

    @Test
    void twoWorkersGiveTheResultsOfOne() throws Exception {
        List<StudyRun> runs = runs();
        StudyStatus one = new LocalExecutor(tmp.resolve("one"), run -> new SyntheticWorkload(), 1).run(runs);
        StudyStatus two = new LocalExecutor(tmp.resolve("two"), run -> new SyntheticWorkload(), 2).run(runs);

        assertThat(one.done()).containsExactlyElementsOf(runs);
        assertThat(two.done()).containsExactlyElementsOf(runs);
        assertThat(two.failed()).isEmpty();
        String csv = Files.readString(tmp.resolve("one/summary.csv"));
        assertThat(csv.lines()).hasSize(1 + 2 * 3); // header; per scope: ticket rounds 0, 1 and reinit round 1
        // the same but for the training's wall-clock seconds
        assertThat(Summaries.csv(tmp.resolve("two/summary.csv"))).isEqualTo(Summaries.csv(tmp.resolve("one/summary.csv")));
        assertThat(Summaries.json(tmp.resolve("two/summary.json"))).isEqualTo(Summaries.json(tmp.resolve("one/summary.json")));
        for (StudyRun run : runs) {
            assertThat(withoutTiming(tmp.resolve("two"), run)).isEqualTo(withoutTiming(tmp.resolve("one"), run));
        }
    }

    @Test
    void aRunThatThrowsIsRecordedAndRetried() throws Exception {
        List<StudyRun> runs = runs();
        StudyRun bad = runs.get(2); // global, seed 1
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        List<String> trained = java.util.Collections.synchronizedList(new ArrayList<>());
        LocalExecutor.WorkloadFactory failing = run -> {
            trained.add(run.hparams().folderName());
            return run == bad && attempted.add("once") ? new TinyStudy.Broken() : new SyntheticWorkload();
        };
        Path store = tmp.resolve("store");

        StudyStatus first = new LocalExecutor(store, failing, 2).run(runs);

        assertThat(first.done()).containsExactly(runs.get(0), runs.get(1), runs.get(3));
        assertThat(first.failed()).containsExactly(Map.entry(bad, "java.io.IOException: disk on fire"));
        assertThat(first.left()).isEmpty();
        JsonNode record = Json.reader().readTree(java.nio.file.Files.readAllBytes(store.resolve(bad.hparams().folderName()).resolve("failed.json")));
        assertThat(record.get("message").asText()).isEqualTo("java.io.IOException: disk on fire");
        assertThat(record.get("varied").toString()).isEqualTo("{\"pruning.scope\":\"global\",\"training.seed\":\"1\"}");
        assertThat(StudyStatus.of(runs, store)).isEqualTo(first);
        // the summary covers the finished runs: the global variant has one seed
        assertThat(Files.readString(store.resolve("summary.csv")).lines()
                .filter(l -> l.startsWith("global,0,ticket,1,"))).hasSize(1);

        trained.clear();
        StudyStatus second = new LocalExecutor(store, failing, 2).run(runs);

        assertThat(trained).containsExactly(bad.hparams().folderName()); // finished runs are skipped
        assertThat(second.done()).containsExactlyElementsOf(runs);
        assertThat(second.failed()).isEmpty();
        assertThat(store.resolve(bad.hparams().folderName()).resolve("failed.json")).doesNotExist();
        assertThat(Files.readString(store.resolve("summary.csv")).lines()
                .filter(l -> l.startsWith("global,0,ticket,2,"))).hasSize(1);
    }

    @Test
    void aRunALiveProcessTrainsIsShownRunningAndLeftToItAStaleMarkerIsNot() throws Exception {
        List<StudyRun> runs = runs();
        Path store = tmp.resolve("store");
        Path live = store.resolve(runs.get(0).hparams().folderName());
        Path stale = store.resolve(runs.get(1).hparams().folderName());
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.createDirectories(stale);
        Json.write(stale.resolve("running.json"), Map.of("host", java.net.InetAddress.getLocalHost().getHostName(),
                "pid", dead.pid(), "process_started", "", "started", "2026-01-01T00:00:00Z"));

        try (RunMarker marker = RunMarker.claim(live)) { // as if another study process trained it
            StudyStatus before = StudyStatus.of(runs, store);
            assertThat(before.running()).containsOnlyKeys(runs.get(0));
            assertThat(before.running().get(runs.get(0)).pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(before.left()).containsExactly(runs.get(1), runs.get(2), runs.get(3));

            StudyStatus after = new LocalExecutor(store, run -> new SyntheticWorkload(), 2).run(runs);

            assertThat(after.running()).containsOnlyKeys(runs.get(0));
            assertThat(after.done()).containsExactly(runs.get(1), runs.get(2), runs.get(3));
            assertThat(after.total()).isEqualTo(4);
            assertThat(live.resolve("results.json")).doesNotExist(); // left to its process
        }
        assertThat(stale.resolve("running.json")).doesNotExist(); // the run that replaced it removed it
        assertThat(StudyStatus.of(runs, store).left()).containsExactly(runs.get(0));
    }

    @Test
    void aStudyWithoutASeedAxisGroupsByTheBaseSeed() throws Exception {
        List<StudyRun> runs = StudySpec.parse(STUDY.replace(", \"training.seed\": [1, 2]", ""), Path.of("t.json")).runs();
        new LocalExecutor(tmp, run -> new SyntheticWorkload(), 1).run(runs);

        assertThat(Files.readString(tmp.resolve("summary.csv")).lines().skip(1).map(l -> l.split(",")[0] + "," + l.split(",")[3]))
                .containsExactly("layerwise,1", "layerwise,1", "layerwise,1", "global,1", "global,1", "global,1");
    }

    @Test
    void workersMustBePositive() {
        assertThatThrownBy(() -> new LocalExecutor(tmp, run -> new SyntheticWorkload(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be >= 1, got 0");
    }

    /** The run's arm results with the timing fields zeroed. */
    private static List<ArmResult> withoutTiming(Path store, StudyRun run) throws IOException {
        ExperimentResult result = Json.read(store.resolve(run.hparams().folderName()).resolve("results.json"),
                ExperimentResult.class);
        return result.results().stream().map(a -> new ArmResult(a.round(), a.arm(), a.weightsRemaining(),
                a.layerRemaining(), new org.lottery4j.results.TrainingRecord(a.training().iterations(),
                        a.training().curve(), a.training().finalTestAccuracy(), a.training().bestTestAccuracy(),
                        a.training().earlyStopIteration(), a.training().testAccuracyAtEarlyStop(),
                        a.training().finalTrainAccuracy(), 0, 0))).toList();
    }
}

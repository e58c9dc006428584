package org.lottery4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.study.LocalExecutor;
import org.lottery4j.study.StudyRun;
import org.lottery4j.study.StudySpec;
import org.lottery4j.study.StudyStatus;
import org.lottery4j.study.StudyTask;
import org.lottery4j.testing.Summaries;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.testing.TinyStudy;

/** A 2 scopes x 2 seeds study of the synthetic MLP on Spark {@code local[2]}, beside the local executor. */
class SparkExecutorTest {

    private static final String STUDY = TinyStudy.JSON;

    /** Networks built by the tasks: tasks run in this JVM on local[2], their factories are copies. */
    private static final AtomicInteger NETWORKS = new AtomicInteger();

    private static JavaSparkContext spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkExecutorTest")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void resetCount() {
        NETWORKS.set(0);
    }

    private static List<StudyRun> runs() throws IOException {
        return StudySpec.parse(STUDY, Path.of("tiny.json")).runs();
    }

    @Test
    void givesTheSummaryOfTheLocalExecutor() throws Exception {
        List<StudyRun> runs = runs();
        Path local = tmp.resolve("local");
        Path onSpark = tmp.resolve("spark");
        new LocalExecutor(local, run -> new SyntheticWorkload(), 1).run(runs);

        StudyStatus status = new SparkExecutor(spark, onSpark, run -> new Counting()).run(runs);

        assertThat(status.done()).containsExactlyElementsOf(runs);
        assertThat(status.failed()).isEmpty();
        assertThat(NETWORKS.get()).isEqualTo(4 * 2); // per run: round 0's ticket, round 1's reinit
        String csv = Files.readString(local.resolve("summary.csv"));
        assertThat(csv.lines()).hasSize(1 + 2 * 3);
        assertThat(Summaries.csv(onSpark.resolve("summary.csv"))).isEqualTo(Summaries.csv(local.resolve("summary.csv")));
        assertThat(Summaries.json(onSpark.resolve("summary.json"))).isEqualTo(Summaries.json(local.resolve("summary.json")));
        assertThat(onSpark.resolve(SparkExecutor.STAGING)).doesNotExist(); // every attempt cleaned up

        NETWORKS.set(0);
        assertThat(new SparkExecutor(spark, onSpark, run -> new Counting()).run(runs)).isEqualTo(status);
        assertThat(NETWORKS.get()).isZero(); // finished runs are skipped
    }

    @Test
    void aRunThatThrowsIsRecordedWithoutFailingTheJobAndRetried() throws Exception {
        List<StudyRun> runs = runs();
        StudyRun bad = runs.get(2); // global, seed 1
        String badFolder = bad.hparams().folderName();
        Path store = tmp.resolve("store");

        StudyStatus first = new SparkExecutor(spark, store,
                run -> run.hparams().folderName().equals(badFolder) ? new TinyStudy.Broken() : new SyntheticWorkload()).run(runs);

        assertThat(first.done()).containsExactly(runs.get(0), runs.get(1), runs.get(3));
        assertThat(first.failed()).containsExactly(Map.entry(bad, "java.io.IOException: disk on fire"));
        try (var files = Files.list(store.resolve(badFolder))) { // no half-written result beside the record
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("failed.json");
        }
        JsonNode record = Json.reader().readTree(Files.readAllBytes(store.resolve(badFolder).resolve("failed.json")));
        assertThat(record.get("varied").toString()).isEqualTo("{\"pruning.scope\":\"global\",\"training.seed\":\"1\"}");
        assertThat(Files.readString(store.resolve("summary.csv")).lines()
                .filter(l -> l.startsWith("global,0,ticket,1,"))).hasSize(1);

        StudyStatus second = new SparkExecutor(spark, store, run -> new Counting()).run(runs);

        assertThat(NETWORKS.get()).isEqualTo(2); // only the failed run trains again
        assertThat(second.done()).containsExactlyElementsOf(runs);
        assertThat(store.resolve(badFolder).resolve("failed.json")).doesNotExist();
        new LocalExecutor(tmp.resolve("local"), run -> new SyntheticWorkload(), 2).run(runs);
        assertThat(Summaries.csv(store.resolve("summary.csv"))).isEqualTo(Summaries.csv(tmp.resolve("local/summary.csv")));
    }

    @Test
    void aDuplicateAttemptThatFinishesSecondLeavesTheFirstResult() throws Exception {
        StudyRun run = runs().get(0);
        Path store = tmp.resolve("store");
        Path folder = store.resolve(run.hparams().folderName());
        String[] firstResult = new String[1];
        // attempt b builds its workload only after attempt a has finished the run and renamed it into place
        LocalExecutor.WorkloadFactory late = r -> {
            // b trains in its staging folder; the store's folder says it is running, for study status
            assertThat(StudyStatus.of(List.of(r), store).running()).containsOnlyKeys(r);
            assertThat(SparkExecutor.attempt(r, x -> new Counting(), store, "a")).isTrue();
            firstResult[0] = Files.readString(folder.resolve("results.json"));
            return new Counting();
        };

        assertThat(SparkExecutor.attempt(run, late, store, "b")).isTrue();

        assertThat(NETWORKS.get()).isEqualTo(2 * 2); // both trained it
        assertThat(folder.resolve("results.json")).hasContent(firstResult[0]);
        assertThat(store.resolve(SparkExecutor.STAGING)).isEmptyDirectory(); // b deleted its copy
        assertThat(StudyStatus.of(List.of(run), store).done()).containsExactly(run);

        NETWORKS.set(0);
        assertThat(SparkExecutor.attempt(run, x -> new Counting(), store, "c")).isTrue(); // a late retry
        assertThat(NETWORKS.get()).isZero();
        assertThat(folder.resolve("results.json")).hasContent(firstResult[0]);
    }

    @Test
    void resumesAPartialRunInPlaceOverAKilledAttemptsStaging() throws Exception {
        List<StudyRun> runs = runs();
        StudyRun run = runs.get(1);
        Path store = tmp.resolve("store");
        Path folder = store.resolve(run.hparams().folderName());
        // a local attempt that died at round 1's reinit: round 0 and round 1's ticket are in place
        assertThat(StudyTask.run(run, r -> new FailsAfter(1), store)).isFalse();
        assertThat(StudyStatus.of(List.of(run), store).failed()).containsOnlyKeys(run);
        // a Spark attempt killed mid-run, a half-written staging copy: the run in place has more
        Path killed = store.resolve(SparkExecutor.STAGING).resolve("killed").resolve(run.hparams().folderName());
        Files.createDirectories(killed);
        Files.writeString(killed.resolve("results.json"), "{\"half\": ");

        StudyStatus status = new SparkExecutor(spark, store, r -> new Counting()).run(runs);

        assertThat(status.done()).containsExactlyElementsOf(runs);
        assertThat(NETWORKS.get()).isEqualTo(3 * 2 + 1); // the partial run trains round 1's reinit only
        assertThat(folder.resolve("failed.json")).doesNotExist();
        assertThat(store.resolve(SparkExecutor.STAGING)).doesNotExist();
        new LocalExecutor(tmp.resolve("local"), r -> new SyntheticWorkload(), 2).run(runs);
        assertThat(Summaries.csv(store.resolve("summary.csv"))).isEqualTo(Summaries.csv(tmp.resolve("local/summary.csv")));
    }

    @Test
    void resumesWhatAKilledAttemptTrained() throws Exception {
        List<StudyRun> runs = runs();
        StudyRun run = runs.get(1);
        Path store = tmp.resolve("store");
        // a Spark attempt killed at round 1's reinit: its staging folder holds round 0 and round 1's ticket
        assertThat(StudyTask.train(run, r -> new FailsAfter(1), store.resolve(SparkExecutor.STAGING).resolve("killed"),
                store)).isPresent();
        assertThat(StudyStatus.of(runs, store).left()).containsExactlyElementsOf(runs);

        StudyStatus status = new SparkExecutor(spark, store, r -> new Counting()).run(runs);

        assertThat(status.done()).containsExactlyElementsOf(runs);
        assertThat(NETWORKS.get()).isEqualTo(3 * 2 + 1); // the killed run trains round 1's reinit only
        assertThat(store.resolve(SparkExecutor.STAGING)).doesNotExist();
        new LocalExecutor(tmp.resolve("local"), r -> new SyntheticWorkload(), 2).run(runs);
        assertThat(Summaries.csv(store.resolve("summary.csv"))).isEqualTo(Summaries.csv(tmp.resolve("local/summary.csv")));
    }

    @Test
    void aTaskOnAHostThatDoesNotSeeTheDriversFolderFailsLoudly() throws Exception {
        Path store = tmp.resolve("store");
        Files.createDirectories(store.resolve(SparkExecutor.STAGING));
        Files.writeString(store.resolve(SparkExecutor.STAGING).resolve("driver-1"), "");
        SparkExecutor.requireStore(store, "driver-1"); // the driver's own folder
        // a host where the path is a folder of its own (the shared file system not mounted there)
        Path elsewhere = tmp.resolve("elsewhere");
        Files.createDirectories(elsewhere.resolve(SparkExecutor.STAGING));
        for (Path notTheDrivers : List.of(elsewhere, tmp.resolve("missing"))) {
            assertThatThrownBy(() -> SparkExecutor.requireStore(notTheDrivers, "driver-1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the study's folder " + notTheDrivers + " on this executor's host is not the driver's: "
                            + "it holds no .staging/driver-1, which the driver wrote there. Every host must mount the "
                            + "study's folder at the same path (NFS, Lustre)");
        }
        assertThat(tmp.resolve("missing")).doesNotExist();
    }

    @Test
    void refusesAUriAsItsStore() {
        assertThatThrownBy(() -> new SparkExecutor(spark, Path.of("s3a://bucket/quick"), run -> new Counting()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the study's folder s3a:/bucket/quick is a s3a: URI, not a path");
    }

    /** The synthetic workload, counting the networks it builds. */
    private static class Counting extends SyntheticWorkload {
        @Override
        public Model createNetwork(ExperimentHparams hp) {
            NETWORKS.incrementAndGet();
            return super.createNetwork(hp);
        }
    }

    /** The synthetic workload that throws when asked for more than {@code networks} networks. */
    private static final class FailsAfter extends SyntheticWorkload {
        private int left;

        FailsAfter(int networks) {
            this.left = networks;
        }

        @Override
        public Model createNetwork(ExperimentHparams hp) {
            if (left-- == 0) {
                throw new IllegalStateException("killed");
            }
            return super.createNetwork(hp);
        }
    }

}

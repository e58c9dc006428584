package org.lottery4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.study.LocalExecutor;
import org.lottery4j.study.StudyFolder;
import org.lottery4j.study.StudyRun;
import org.lottery4j.study.StudyStatus;
import org.lottery4j.study.StudyTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the experiments of a study as Apache Spark tasks, one task per experiment, each training on
 * its executor with one ND4J thread and writing its folder {@code <store>/lottery_<hash>} into a
 * store folder that the driver and every executor see at the same path (a shared POSIX file system
 * such as NFS or Lustre, where a rename is atomic). The driver skips finished runs, runs the rest
 * (failed ones again), then writes {@code summary.csv} and {@code summary.json} as
 * {@link LocalExecutor} does, so both executors give the same summary of the same runs.
 *
 * <pre>{@code
 * List<StudyRun> runs = StudySpec.read(Path.of("studies/quick.json")).runs();
 * try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("quick"))) {
 *     StudyStatus status = new SparkExecutor(sc, Path.of("/shared/quick"), run -> new LenetWorkload(...)).run(runs);
 * }
 * }</pre>
 *
 * <p>A task never leaves a half-written or doubled result, whether it fails, is retried or runs as a
 * speculative duplicate: it trains in a folder of its own, {@code <store>/.staging/<attempt>/}
 * (starting from a copy of whatever part of the run an earlier attempt left in place), and renames
 * the finished folder into place; if another attempt got there first, it deletes its copy. A run
 * that throws is recorded in its folder's {@code failed.json} and does not fail the Spark job. While
 * a task trains, the run's folder in the store holds its {@code running.json}, which
 * {@code study status} reads. The store belongs to one Spark study command at a time: before it
 * starts, the driver puts a killed attempt's staging folder in place where the store holds no part
 * of that run (the next attempt resumes after its finished arms), deletes the rest of
 * {@code .staging}, and runs again the runs that a {@code running.json} calls running (an executor
 * on another host that was lost, which the driver cannot check; two attempts at one run are
 * harmless, as above). When the job has ended it deletes {@code .staging} again: what is left there
 * is a lost executor's attempt, whose run Spark has run again elsewhere.
 *
 * <p>A task first looks for a file the driver wrote into {@code .staging} for this job, and fails
 * with a message naming the folder if it is not there: a host that does not mount the store at the
 * same path would otherwise train into a folder of its own, and its results would be lost.
 *
 * <p>The store is a file system path rather than a Hadoop {@code FileSystem} URI because the
 * experiments resume, read and rename with {@code java.nio.file}; HDFS or S3 would need all of that
 * rewritten, and a rename there is not atomic on every store.
 */
public final class SparkExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);

    /** The folder, in the store, where attempts train before their folder is renamed into place. */
    public static final String STAGING = ".staging";

    /**
     * Makes the workload a run trains, on the executor: it travels to every task with Java
     * serialization, so it should carry where its data is (a path all executors see, a resource in
     * the job's jar), not the data.
     */
    @FunctionalInterface
    public interface WorkloadFactory extends LocalExecutor.WorkloadFactory, Serializable {}

    private final JavaSparkContext spark;
    private final Path storeRoot;
    private final WorkloadFactory workloads;
    private final LocalExecutor.SummaryReport report;

    /** An executor on {@code spark} writing into {@code storeRoot}, a path every executor sees. */
    public SparkExecutor(JavaSparkContext spark, Path storeRoot, WorkloadFactory workloads) {
        this(spark, storeRoot, workloads, LocalExecutor.SummaryReport.NONE);
    }

    /**
     * As {@link #SparkExecutor(JavaSparkContext, Path, WorkloadFactory)}, and {@code report} gets the
     * summary after it is written (lottery-report's study page, for example).
     */
    public SparkExecutor(JavaSparkContext spark, Path storeRoot, WorkloadFactory workloads,
            LocalExecutor.SummaryReport report) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.storeRoot = StudyFolder.requireLocal(Objects.requireNonNull(storeRoot, "storeRoot")).toAbsolutePath();
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        this.report = Objects.requireNonNull(report, "report");
    }

    /**
     * Runs every run not yet finished (failed ones again) as one Spark job, one task per run, then
     * writes the summary over the finished runs and returns where the runs stand.
     *
     * @throws IOException if the store folder or the summary cannot be written
     * @throws IllegalArgumentException if a run cannot be sent as text (a pruning strategy given as code)
     */
    public StudyStatus run(List<StudyRun> runs) throws IOException {
        Files.createDirectories(storeRoot);
        salvage(storeRoot);
        AtomicFiles.deleteTree(storeRoot.resolve(STAGING)); // killed attempts' left-overs; no job of this store is running
        // a file only this job writes, which every task looks for: an executor whose host does not
        // mount the store at this path fails loudly instead of training into a folder of its own
        String token = "driver-" + UUID.randomUUID();
        Path tokenFile = storeRoot.resolve(STAGING).resolve(token);
        AtomicFiles.writeString(tokenFile, "the study's folder as the driver sees it: " + storeRoot + "\n");
        StudyStatus before = StudyStatus.of(runs, storeRoot);
        List<StudyRun> todo = new ArrayList<>(before.failed().keySet());
        todo.addAll(before.left());
        // the store is this job's: a running.json is a lost executor's (a host the driver cannot check)
        todo.addAll(before.running().keySet());
        todo.sort(Comparator.comparingInt(runs::indexOf)); // the study's order
        LOG.info("study: {} runs, {} finished before, {} to run as Spark tasks", runs.size(), before.done().size(),
                todo.size());
        if (!todo.isEmpty()) {
            List<RunText> texts = todo.stream().map(RunText::of).toList();
            String store = storeRoot.toString(); // a Path is not serializable
            WorkloadFactory factory = workloads;
            spark.setJobDescription("lottery4j study: " + todo.size() + " experiments into " + store);
            List<Boolean> finished = spark.parallelize(texts, texts.size())
                    .map(text -> {
                        requireStore(Path.of(store), token);
                        return attempt(text.run(), factory, Path.of(store), attemptId());
                    })
                    .collect();
            LOG.info("study: {} of {} Spark tasks finished their run", finished.stream().filter(b -> b).count(),
                    finished.size());
        }
        // every task has returned: what is left in staging is a lost executor's attempt (a killed
        // worker's), or a duplicate of a finished run, which would only find its run finished
        try {
            AtomicFiles.deleteTree(storeRoot.resolve(STAGING));
        } catch (IOException e) {
            LOG.warn("study: {} could not be deleted ({}); the next study command on this folder deletes it",
                    storeRoot.resolve(STAGING), e.toString());
        }
        StudyStatus after = StudyStatus.of(runs, storeRoot);
        LocalExecutor.writeSummary(runs, storeRoot, report);
        LOG.info("study: {} done, {} failed, {} left; summary in {}", after.done().size(), after.failed().size(),
                after.left().size(), storeRoot);
        return after;
    }

    /**
     * Refuses to run a task on a host that does not see the driver's store at {@code storeRoot}: the
     * {@code token} file the driver wrote there for this job is missing (the shared folder is not
     * mounted there, or at another path).
     */
    static void requireStore(Path storeRoot, String token) {
        if (!Files.isRegularFile(storeRoot.resolve(STAGING).resolve(token))) {
            // Spark's report of the failed task names the executor's host
            throw new IllegalStateException("the study's folder " + storeRoot + " on this executor's host"
                    + " is not the driver's: it holds no " + STAGING + "/" + token + ", which the driver wrote "
                    + "there. Every host must mount the study's folder at the same path (NFS, Lustre)");
        }
    }

    /**
     * One attempt at {@code run}, as a Spark task runs it: skips a finished run; otherwise trains in
     * {@code <store>/.staging/<attemptId>/}, from a copy of the part of the run already in place, and
     * renames the finished folder into place, or records the failure unless another attempt has
     * finished the run meanwhile. Returns whether the run is finished.
     *
     * @throws IOException if the store cannot be written
     */
    static boolean attempt(StudyRun run, LocalExecutor.WorkloadFactory workloads, Path storeRoot, String attemptId)
            throws IOException {
        String name = run.hparams().folderName();
        if (finished(run, storeRoot)) {
            LOG.info("study: {} {} was finished already; task attempt {} skips it", name, run.varied(), attemptId);
            return true; // an earlier attempt or a duplicate finished it
        }
        LOG.info("study: {} {} starts in task attempt {}", name, run.varied(), attemptId);
        Path target = storeRoot.resolve(name);
        Path stagingRoot = storeRoot.resolve(STAGING).resolve(attemptId);
        Path staged = stagingRoot.resolve(name);
        try {
            Files.createDirectories(stagingRoot);
            if (Files.isDirectory(target)) {
                copyTree(target, staged); // resume after the last arm an earlier attempt finished
            }
            // trains in staging; the store's folder names this process meanwhile, for study status
            Optional<Throwable> failure = StudyTask.train(run, workloads, stagingRoot, storeRoot);
            if (failure.isPresent()) {
                if (finished(run, storeRoot)) {
                    return true;
                }
                StudyTask.recordFailure(run, storeRoot, failure.get());
                return false;
            }
            Files.deleteIfExists(staged.resolve(StudyStatus.FAILED_FILE));
            commit(run, staged, target, stagingRoot);
            LOG.info("study: {} {} finished in task attempt {}", name, run.varied(), attemptId);
            return true;
        } finally {
            AtomicFiles.deleteTree(stagingRoot);
        }
    }

    /**
     * Renames the finished {@code staged} folder to {@code target}; a finished target (another attempt
     * won) stays, an unfinished one (a partial run, a failure record) is moved aside first.
     */
    private static void commit(StudyRun run, Path staged, Path target, Path stagingRoot) throws IOException {
        Path storeRoot = target.getParent();
        for (int aside = 0; ; aside++) {
            try {
                // rename(2): atomic, and fails on a target folder that is not empty
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (IOException e) {
                if (!Files.exists(target)) {
                    throw e; // not a race with another attempt: the store itself fails
                }
            }
            if (finished(run, storeRoot)) {
                return; // the finally of attempt() deletes our copy
            }
            try {
                Files.move(target, stagingRoot.resolve("replaced-" + aside),
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException gone) {
                // another attempt moved it: try again
            }
        }
    }

    /**
     * Puts what killed attempts trained back into the store where the store holds nothing of that run
     * but a marker, so that the next attempt resumes after its finished arms instead of from scratch.
     */
    private static void salvage(Path storeRoot) throws IOException {
        Path staging = storeRoot.resolve(STAGING);
        if (!Files.isDirectory(staging)) {
            return;
        }
        for (Path attempt : list(staging)) {
            for (Path staged : Files.isDirectory(attempt) ? list(attempt) : List.<Path>of()) {
                String name = staged.getFileName().toString();
                Path target = storeRoot.resolve(name);
                // an experiment folder ("replaced-N" is a target moved aside), of which the store has no arm
                if (name.startsWith("lottery_") && Files.isDirectory(staged) && holdsOnlyMarkers(target)) {
                    AtomicFiles.deleteTree(target);
                    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                    LOG.info("study: {} resumes from what a killed attempt trained", name);
                }
            }
        }
    }

    /** Whether {@code folder} is absent or holds nothing but {@code running.json} and {@code failed.json}. */
    private static boolean holdsOnlyMarkers(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return true;
        }
        List<String> markers = List.of(StudyStatus.RUNNING_FILE, StudyStatus.FAILED_FILE);
        return Files.isDirectory(folder) && list(folder).stream()
                .allMatch(p -> markers.contains(p.getFileName().toString()));
    }

    private static List<Path> list(Path folder) throws IOException {
        try (var paths = Files.list(folder)) {
            return paths.sorted().toList();
        }
    }

    private static boolean finished(StudyRun run, Path storeRoot) throws IOException {
        return !StudyStatus.of(List.of(run), storeRoot).done().isEmpty();
    }

    /** Unique over the task's retries and speculative copies, and over applications on the same store. */
    private static String attemptId() {
        TaskContext task = TaskContext.get();
        String uuid = UUID.randomUUID().toString();
        return task == null ? uuid
                : "stage" + task.stageId() + "-task" + task.partitionId() + "-attempt" + task.attemptNumber() + "-" + uuid;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (!p.equals(from.resolve(StudyStatus.RUNNING_FILE))) { // another attempt's, or stale
                    Files.copy(p, dest);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * A run as text, to travel to the executors: the hyperparameters' fields and the varied values.
     * Rebuilding it there gives the same experiment, which the driver checks before sending it.
     */
    record RunText(LinkedHashMap<String, String> fields, LinkedHashMap<String, String> varied)
            implements Serializable {

        static RunText of(StudyRun run) {
            LinkedHashMap<String, String> fields = new LinkedHashMap<>(run.hparams().fields());
            fields.keySet().retainAll(ExperimentHparams.fieldKeys());
            RunText text = new RunText(fields, new LinkedHashMap<>(run.varied()));
            ExperimentHparams rebuilt = text.run().hparams();
            if (!rebuilt.equals(run.hparams())) {
                throw new IllegalArgumentException("run " + run.hparams().folderName() + " " + run.varied()
                        + " cannot be sent to Spark as text (a pruning strategy given as code?): it comes back as "
                        + rebuilt.folderName() + " " + rebuilt.fields());
            }
            return text;
        }

        StudyRun run() {
            return new StudyRun(ExperimentHparams.fromFields(fields), varied);
        }
    }
}

package org.lottery4j.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.lottery4j.experiment.Experiment;
import org.lottery4j.internal.Json;
import org.lottery4j.runtime.RuntimeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a study, trained on the calling thread with one ND4J thread: the step every executor
 * takes per run ({@link LocalExecutor} on its workers, lottery-spark's executor in its tasks).
 *
 * <pre>{@code
 * boolean done = StudyTask.run(run, r -> workload, Path.of("out"));
 * // done: out/lottery_<hash> holds the finished experiment; otherwise its failed.json says why
 * }</pre>
 *
 * <p>An executor that trains elsewhere first (a staging folder, renamed into place when finished)
 * calls {@link #train} and {@link #recordFailure} itself.
 */
public final class StudyTask {

    private static final Logger LOG = LoggerFactory.getLogger(StudyTask.class);

    private StudyTask() {}

    /**
     * Trains {@code run} into {@code storeRoot/lottery_<hash>}, resuming after its last finished
     * arm, with the folder's {@code running.json} naming this process meanwhile; returns
     * {@code true} when it finished (and removes an earlier attempt's {@code failed.json}), or
     * {@code false} after recording the failure ({@link #recordFailure}).
     *
     * @throws IOException only if the failure cannot be recorded
     */
    public static boolean run(StudyRun run, LocalExecutor.WorkloadFactory workloads, Path storeRoot)
            throws IOException {
        Optional<Throwable> failure = train(run, workloads, storeRoot, storeRoot);
        if (failure.isPresent()) {
            recordFailure(run, storeRoot, failure.get());
            return false;
        }
        Files.deleteIfExists(storeRoot.resolve(run.hparams().folderName()).resolve(StudyStatus.FAILED_FILE));
        return true;
    }

    /**
     * Trains {@code run} into {@code root/lottery_<hash>} on this thread with one ND4J thread,
     * resuming after its last finished arm, while {@code storeRoot/lottery_<hash>/running.json}
     * names this process for {@link StudyStatus} (the same folder when {@code root} is the store);
     * returns what it threw, never throws it.
     */
    public static Optional<Throwable> train(StudyRun run, LocalExecutor.WorkloadFactory workloads, Path root,
            Path storeRoot) {
        RuntimeSettings.threads(1); // per worker: OpenMP keeps its thread count per calling thread
        try (RunMarker marker = RunMarker.claim(storeRoot.resolve(run.hparams().folderName()))) {
            new Experiment(run.hparams(), workloads.create(run), root).run();
            return Optional.empty();
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.warn("study: run {} {} failed: {}", run.hparams().folderName(), run.varied(), e.toString(), e);
            return Optional.of(e);
        }
    }

    /**
     * Writes {@code storeRoot/lottery_<hash>/failed.json} (atomically): the run's folder, varied
     * values, the exception's text ({@link StudyStatus#failed()} shows it) and its stack trace.
     */
    public static void recordFailure(StudyRun run, Path storeRoot, Throwable e) throws IOException {
        Path folder = storeRoot.resolve(run.hparams().folderName());
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("folder", run.hparams().folderName());
        record.put("varied", run.varied());
        record.put("message", e.toString());
        record.put("trace", trace.toString());
        Files.createDirectories(folder);
        Json.write(folder.resolve(StudyStatus.FAILED_FILE), record);
    }
}

package org.lottery4j.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.lottery4j.experiment.Workload;
import org.lottery4j.results.ExperimentResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the experiments of a study on this machine: a pool of worker threads in this JVM (one per
 * core unless told otherwise), each training one experiment at a time with one ND4J thread. ND4J
 * keeps its random generator and workspaces per thread and every experiment is seeded by its own
 * hyperparameters, so the results are those of running the runs one after another.
 *
 * <p>Every run writes its usual folder {@code <store>/lottery_<hash>}, which is how a study
 * resumes: a finished run ({@link StudyStatus}) is skipped, and so is one that another live process
 * is training ({@code running.json} in its folder, removed when the run ends); an interrupted one resumes after its
 * last finished arm, and a run that throws is recorded in its folder's {@code failed.json}
 * (written atomically) without stopping the others, and is retried by the next
 * {@link #run(List)}. At the end the store folder gets {@code summary.csv} and
 * {@code summary.json} ({@link SummaryWriter}) over every finished run.
 *
 * <pre>{@code
 * List<StudyRun> runs = StudySpec.read(Path.of("studies/quick.json")).runs();
 * StudyStatus status = new LocalExecutor(Path.of("out"), run -> workload, 2).run(runs);   // a workload per run
 * status.failed();   // runs that threw, with their messages
 * }</pre>
 */
public final class LocalExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

    /** Makes the workload a run trains (called on the worker's thread). */
    @FunctionalInterface
    public interface WorkloadFactory {
        Workload create(StudyRun run) throws IOException;
    }

    /** What else to make of the summary once it is written, such as a page of charts. */
    @FunctionalInterface
    public interface SummaryReport {
        /** Writes no report. */
        SummaryReport NONE = (folder, summary) -> { };

        void write(Path folder, Summary summary) throws IOException;
    }

    private final Path storeRoot;
    private final WorkloadFactory workloads;
    private final int workers;
    private final SummaryReport report;

    /**
     * An executor with {@code workers} threads writing into {@code storeRoot}.
     *
     * @throws IllegalArgumentException if {@code workers < 1}, or {@code storeRoot} is a URI such as
     *     {@code s3a://bucket/study} ({@link StudyFolder#requireLocal})
     */
    public LocalExecutor(Path storeRoot, WorkloadFactory workloads, int workers) {
        this(storeRoot, workloads, workers, SummaryReport.NONE);
    }

    /**
     * As {@link #LocalExecutor(Path, WorkloadFactory, int)}, and {@code report} gets the summary
     * after it is written (lottery-report's study page, for example).
     */
    public LocalExecutor(Path storeRoot, WorkloadFactory workloads, int workers, SummaryReport report) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.storeRoot = StudyFolder.requireLocal(Objects.requireNonNull(storeRoot, "storeRoot"));
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        this.workers = workers;
        this.report = Objects.requireNonNull(report, "report");
    }

    /** The default number of workers: one per available processor. */
    public static int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs every run not yet finished (failed ones again), then writes the summary over the finished
     * runs, and returns where the runs stand.
     *
     * @throws IOException if the store folder or the summary cannot be written
     */
    public StudyStatus run(List<StudyRun> runs) throws IOException {
        Files.createDirectories(storeRoot);
        StudyStatus before = StudyStatus.of(runs, storeRoot);
        List<StudyRun> todo = new ArrayList<>(before.failed().keySet());
        todo.addAll(before.left());
        todo.sort(java.util.Comparator.comparingInt(runs::indexOf)); // the study's order
        int total = runs.size();
        LOG.info("study: {} runs, {} finished before, {} to run on {} workers, each on one ND4J thread", total, before.done().size(),
                todo.size(), workers);
        before.running().forEach((run, r) -> LOG.info("study: {} {} is running in process {} on {}: left to it",
                run.hparams().folderName(), run.varied(), r.pid(), r.host()));
        AtomicInteger finished = new AtomicInteger(total - todo.size());
        AtomicInteger finishedHere = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, todo.size())), r -> {
            Thread t = new Thread(r, "study-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (StudyRun run : todo) {
                futures.add(pool.submit(() -> {
                    boolean ok = StudyTask.run(run, workloads, storeRoot);
                    int done = finished.incrementAndGet();
                    int here = finishedHere.incrementAndGet();
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double left = elapsed / here * (total - done);
                    LOG.info("study: {}/{} {} ({} {}), about {} left", done, total, ok ? "done" : "attempted, this one failed",
                            run.hparams().folderName(), run.varied(), duration(left));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the study ran", e);
        } catch (ExecutionException e) {
            // StudyTask records a run's failures; what reaches here failed to record one
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        StudyStatus after = StudyStatus.of(runs, storeRoot);
        writeSummary(runs, storeRoot, report);
        LOG.info("study: {} done, {} running elsewhere, {} failed, {} left; summary in {}", after.done().size(),
                after.running().size(), after.failed().size(), after.left().size(), storeRoot);
        return after;
    }

    /**
     * Writes {@code summary.csv} and {@code summary.json} into {@code storeRoot} over the finished
     * runs among {@code runs}, grouped by the varied fields, averaged over {@link StudyRun#SEED};
     * returns the summary, or empty (and writes nothing) when no run has finished.
     *
     * @throws IOException if a result cannot be read or the summary cannot be written
     */
    public static Optional<Summary> writeSummary(List<StudyRun> runs, Path storeRoot) throws IOException {
        return writeSummary(runs, storeRoot, SummaryReport.NONE);
    }

    /**
     * As {@link #writeSummary(List, Path)}, then hands the summary, if any, to {@code report}: what
     * every executor does at the end of a study, and {@code study report} on its own.
     *
     * @throws IOException if a result cannot be read or the summary or report cannot be written
     */
    public static Optional<Summary> writeSummary(List<StudyRun> runs, Path storeRoot, SummaryReport report)
            throws IOException {
        List<Summary.Run> finished = new ArrayList<>();
        for (StudyRun run : runs) {
            Optional<ExperimentResult> result = StudyStatus.finishedResult(run.hparams(), storeRoot);
            if (result.isPresent()) {
                Map<String, String> axes = new LinkedHashMap<>(run.varied());
                // a study with one seed still groups by it
                axes.putIfAbsent(StudyRun.SEED, Long.toString(run.hparams().training().seed()));
                finished.add(new Summary.Run(axes, result.get(), run.baseline()));
            }
        }
        if (finished.isEmpty()) {
            return Optional.empty();
        }
        Summary summary = Summary.of(finished, StudyRun.SEED);
        SummaryWriter.write(storeRoot, summary);
        report.write(storeRoot, summary);
        return Optional.of(summary);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 120 ? s + " s" : s < 7200 ? Math.round(s / 60.0) + " min" : String.format("%.1f h", s / 3600.0);
    }
}

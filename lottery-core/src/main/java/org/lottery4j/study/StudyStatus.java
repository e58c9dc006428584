package org.lottery4j.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.Utf8;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;

/**
 * Where the runs of a study stand in a store folder: finished (the experiment folder's
 * {@code results.json} holds every round of the ticket and of each control arm), running (a live
 * process trains it: its folder's {@code running.json} names the host and process), failed (the
 * last attempt left {@code failed.json} with its message) or left to run (never attempted, or
 * interrupted: a killed process's {@code running.json} does not count).
 *
 * <pre>{@code
 * StudyStatus status = StudyStatus.of(StudySpec.read(Path.of("studies/quick.json")).runs(), Path.of("out"));
 * status.done().size();                       // finished runs
 * status.failed().forEach((run, message) -> System.out.println(run.varied() + ": " + message));
 * status.running().forEach((run, r) -> System.out.println(run.varied() + " since " + r.started()));
 * }</pre>
 *
 * @param done finished runs, in the study's order
 * @param running runs a live process trains, with where and since when, in the study's order
 * @param failed runs whose last attempt threw, with its message, in the study's order
 * @param left runs never attempted or interrupted, in the study's order
 */
public record StudyStatus(List<StudyRun> done, Map<StudyRun, Running> running, Map<StudyRun, String> failed,
        List<StudyRun> left) {

    /**
     * A run in progress: the host and process training it and when it started.
     *
     * @param host the host name of the process
     * @param pid its process id
     * @param started when it started this run
     */
    public record Running(String host, long pid, java.time.Instant started) { }

    /** The file, in a run's experiment folder, that records why its last attempt failed. */
    public static final String FAILED_FILE = "failed.json";

    /** The file, in a run's experiment folder, that names the process training it. */
    public static final String RUNNING_FILE = "running.json";

    public StudyStatus {
        done = List.copyOf(done);
        running = Collections.unmodifiableMap(new LinkedHashMap<>(running));
        failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        left = List.copyOf(left);
    }

    /**
     * The status of every run in {@code storeRoot}.
     *
     * @throws IOException if a {@code results.json} or {@code failed.json} cannot be read
     */
    public static StudyStatus of(List<StudyRun> runs, Path storeRoot) throws IOException {
        List<StudyRun> done = new ArrayList<>();
        Map<StudyRun, Running> running = new LinkedHashMap<>();
        Map<StudyRun, String> failed = new LinkedHashMap<>();
        List<StudyRun> left = new ArrayList<>();
        for (StudyRun run : runs) {
            Path folder = storeRoot.resolve(run.hparams().folderName());
            Optional<Running> inProgress;
            if (finishedResult(run.hparams(), storeRoot).isPresent()) {
                done.add(run);
            } else if ((inProgress = RunMarker.read(folder)).isPresent()) {
                running.put(run, inProgress.get());
            } else if (Files.exists(folder.resolve(FAILED_FILE))) {
                failed.put(run, failureMessage(folder.resolve(FAILED_FILE)));
            } else {
                left.add(run);
            }
        }
        return new StudyStatus(done, running, failed, left);
    }

    // The message a failed run recorded; a damaged record still marks the run failed (it is retried)
    private static String failureMessage(Path file) throws IOException {
        try {
            return Json.reader().readTree(Utf8.decode(Files.readAllBytes(file))).path("message").asText();
        } catch (java.nio.charset.CharacterCodingException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return "(" + file + " is damaged: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    /** The number of runs. */
    public int total() {
        return done.size() + running.size() + failed.size() + left.size();
    }

    /**
     * The experiment's result if its folder under {@code storeRoot} holds every round of the ticket
     * and of each control arm of {@code hp}; empty if it is missing or partial.
     */
    static Optional<ExperimentResult> finishedResult(ExperimentHparams hp, Path storeRoot) throws IOException {
        Path file = storeRoot.resolve(hp.folderName()).resolve("results.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        ExperimentResult result = Json.readChecked(file, ExperimentResult.class);
        int rounds = hp.pruning().rounds();
        for (int round = 0; round <= rounds; round++) {
            if (!hp.pruning().trains(round)) {
                continue;
            }
            if (result.arm(round, ArmResult.TICKET).isEmpty()) {
                return Optional.empty();
            }
            for (ControlArm arm : hp.arms(round)) {
                if (result.arm(round, arm.describe()).isEmpty()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(result);
    }
}

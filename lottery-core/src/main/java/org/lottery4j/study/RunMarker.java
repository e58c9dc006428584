package org.lottery4j.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.lottery4j.internal.Json;

/**
 * The {@code running.json} a run's folder holds while a process trains it: host, process id and
 * that process's start time, so that {@code study status} can tell a run in progress from one whose
 * process was killed (the marker of a dead process is stale and the run counts as left).
 */
final class RunMarker implements AutoCloseable {

    static final String FILE = StudyStatus.RUNNING_FILE;

    private final Path file;

    private RunMarker(Path file) {
        this.file = file;
    }

    /** Marks {@code folder} as trained by this process until {@link #close()}. */
    static RunMarker claim(Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("host", host());
        record.put("pid", ProcessHandle.current().pid());
        record.put("process_started", processStart(ProcessHandle.current()).map(Instant::toString).orElse(""));
        record.put("started", Instant.now().toString());
        Path file = folder.resolve(FILE);
        Json.write(file, record);
        return new RunMarker(file);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * The run in progress in {@code folder}: present if its marker names a live process of this
     * host (the same process id and start time), or a process of another host, which this host
     * cannot check.
     */
    static Optional<StudyStatus.Running> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode node;
        StudyStatus.Running running;
        try {
            node = Json.reader().readTree(java.nio.file.Files.readAllBytes(file));
            running = new StudyStatus.Running(node.path("host").asText(), node.path("pid").asLong(-1),
                    Instant.parse(node.path("started").asText()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // only ever written whole, by this class: unreadable means not a marker
        }
        String host = running.host();
        long pid = running.pid();
        if (!host.equals(host())) {
            return Optional.of(running);
        }
        String processStarted = node.path("process_started").asText();
        boolean alive = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> processStarted.isEmpty()
                        || processStart(p).map(s -> s.toString().equals(processStarted)).orElse(true))
                .isPresent();
        return alive ? Optional.of(running) : Optional.empty();
    }

    private static Optional<Instant> processStart(ProcessHandle process) {
        return process.info().startInstant();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

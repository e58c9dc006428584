package org.lottery4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.ticket.LotteryTicket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Saving and loading the ticket of a 10M-weight MLP (80% pruned, rewind snapshot at
 * initialization): {@code save} writes the whole ticket file atomically (network, 1-bit masks,
 * snapshot, manifest), {@code load} reads and checks it. {@code copyFile} copies the saved file,
 * the disk's own floor for the same bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class TicketIoBenchmark {

    private LotteryTicket ticket;
    private Path dir;
    private Path saved;

    @Setup
    public void setUp() throws IOException {
        ticket = LotteryTicket.builder(BenchNets.squareMlp(10_000_000)).scope(PruningScope.layerwise()).build();
        ticket.pruneAndRewind(0.8);
        dir = Files.createTempDirectory("ticket-bench");
        saved = dir.resolve("ticket.zip");
        ticket.save(saved);
    }

    @TearDown
    public void tearDown() throws IOException {
        ticket.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public void save() throws IOException {
        ticket.save(dir.resolve("again.zip"));
    }

    @Benchmark
    public LotteryTicket load() throws IOException {
        try (LotteryTicket t = LotteryTicket.load(saved)) {
            return t;
        }
    }

    @Benchmark
    public void copyFile() throws IOException {
        Files.copy(saved, dir.resolve("copy.zip"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}

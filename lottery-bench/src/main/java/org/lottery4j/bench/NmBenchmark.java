package org.lottery4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lottery4j.mask.Mask;
import org.lottery4j.sparsity.Compressed24;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming speed of N:M work on one 4096 x 4096 fp32 matrix (64 MiB), single-threaded, against
 * {@code copy}, a {@code System.arraycopy} of the same array (the memory-bandwidth ceiling):
 * {@code mask} computes the N:M mask ({@link NmPruner#select}, including building the
 * {@link Mask}), {@code compress24} and {@code decode24} encode and decode the compressed 2:4
 * form, {@code check} counts violating groups. Each operation reads the 64 MiB once, so
 * throughput in bytes/s is {@code 64 MiB / (ms/op)}: 1 GB/s is about 67 ms/op. {@code pattern}
 * picks the kernel: 2:4 has its own, other patterns (2:8) use the general one.
 *
 * <pre>
 * java -jar lottery-bench/target/lottery-bench.jar NmBenchmark -p pattern=2:4
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class NmBenchmark {

    static final int N = 4096;

    @Param({"2:4", "2:8"})
    public String pattern;

    private NmPattern nm;
    private float[] weights;
    private float[] pruned;
    private float[] target;
    private Mask allKept;
    private Compressed24 compressed;

    @Setup(Level.Trial)
    public void setUp() {
        nm = NmPattern.parse(pattern);
        SplittableRandom random = new SplittableRandom(1);
        weights = new float[N * N];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextDouble() * 2 - 1);
        }
        target = new float[N * N];
        allKept = Mask.allKept(new long[] {N, N});
        Mask m24 = NmPruner.select(NmPattern.TWO_FOUR, weights, N, N, allKept);
        pruned = weights.clone();
        for (int i = 0; i < pruned.length; i++) {
            pruned[i] = m24.isKept(i) ? pruned[i] : 0;
        }
        compressed = Compressed24.encode(pruned, N, N);
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(weights, 0, target, 0, weights.length);
        return target;
    }

    @Benchmark
    public Mask mask() {
        return NmPruner.select(nm, weights, N, N, allKept);
    }

    @Benchmark
    public Compressed24 compress24() {
        return Compressed24.encode(pruned, N, N);
    }

    @Benchmark
    public float[] decode24() {
        return compressed.decode();
    }

    @Benchmark
    public long check() {
        return new NmChecker(nm).checkMatrix("w", pruned, N, N).violatingGroups();
    }
}

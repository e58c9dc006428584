package org.lottery4j.bench;

import java.io.IOException;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark jar's entry point. {@code --quick} runs every benchmark with short iterations (about
 * 11 minutes on 2 cores; SparseInferenceBenchmark at 90% pruned, batch 1 and 64 only) and writes
 * the raw results as JSON; {@code --full} runs them with the iterations their annotations give;
 * anything else goes to JMH's own command line.
 *
 * <pre>{@code
 * java -jar lottery-bench/target/lottery-bench.jar --quick bench-quick.json
 * java -jar lottery-bench/target/lottery-bench.jar PruningBenchmark -p weights=1000000 -rf json
 * }</pre>
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length > 0 && (args[0].equals("--quick") || args[0].equals("--full"))) {
            boolean quick = args[0].equals("--quick");
            String json = args.length > 1 ? args[1] : "bench-" + (quick ? "quick" : "full") + ".json";
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include("org\\.lottery4j\\.bench\\..*")
                    .resultFormat(ResultFormatType.JSON)
                    .result(json);
            if (quick) {
                options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                        .param("sparsity", "0.9").param("batch", "1", "64"); // SparseInferenceBenchmark's grid, cut to 4 points
            }
            new Runner(options.build()).run();
            System.out.println("raw results: " + json);
            return;
        }
        org.openjdk.jmh.Main.main(args);
    }
}

package org.lottery4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark jar's entry point. {@code --quick} runs every benchmark with short iterations (about
 * 12 minutes on 2 cores, estimated; SparseInferenceBenchmark on lenet and conv2 at 90% pruned,
 * batch 1 and 64 only, MlpKernelBenchmark at 90% pruned, batch 1 and 64) and writes the raw
 * results of both of its JMH runs to one JSON file;
 * {@code --full} runs them with the iterations their annotations give; anything else goes to JMH's
 * own command line.
 *
 * <pre>{@code
 * java -jar lottery-bench/target/lottery-bench.jar --quick bench-quick.json
 * java -jar lottery-bench/target/lottery-bench.jar PruningBenchmark -p weights=1000000 -rf json
 * }</pre>
 */
public final class BenchMain {

    private static final String ALL = "org\\.lottery4j\\.bench\\..*";
    private static final String SPARSE_INFERENCE = "org\\.lottery4j\\.bench\\.SparseInferenceBenchmark\\.";

    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length > 0 && args[0].equals("--full")) {
            String json = args.length > 1 ? args[1] : "bench-full.json";
            new Runner(new OptionsBuilder().include(ALL).resultFormat(ResultFormatType.JSON).result(json).build()).run();
            System.out.println("raw results: " + json);
            return;
        }
        if (args.length > 0 && args[0].equals("--quick")) {
            String json = args.length > 1 ? args[1] : "bench-quick.json";
            // A -p value applies to every benchmark with a parameter of that name, and
            // MaskEnforcementBenchmark has a model of its own: SparseInferenceBenchmark's models are
            // cut in a second run, and the two runs' results written to one file.
            List<RunResult> results = new ArrayList<>();
            results.addAll(new Runner(quick().include(ALL).exclude(SPARSE_INFERENCE).build()).run());
            results.addAll(new Runner(quick().include(SPARSE_INFERENCE).param("model", "lenet", "conv2").build()).run());
            ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
            System.out.println("raw results: " + json);
            return;
        }
        org.openjdk.jmh.Main.main(args);
    }

    private static ChainedOptionsBuilder quick() {
        return new OptionsBuilder()
                .warmupIterations(1).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                // the inference grid (SparseInferenceBenchmark, MlpKernelBenchmark), cut to 2 points per model
                .param("sparsity", "0.9").param("batch", "1", "64");
    }
}

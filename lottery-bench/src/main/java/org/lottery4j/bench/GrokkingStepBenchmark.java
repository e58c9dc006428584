package org.lottery4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.examples.grokking.FourierPoint;
import org.lottery4j.examples.grokking.FourierProgress;
import org.lottery4j.examples.grokking.GrokkingHparams;
import org.lottery4j.examples.grokking.ModularArithmetic;
import org.lottery4j.internal.Json;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.runtime.RuntimeSettings;
import org.lottery4j.training.Cadence;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Where a grokking run's time goes, for the default run (the quadratic MLP 194-500-97, full batch
 * of 2,352 pairs, AdamW): the median full-batch step ({@code fit}) with weight decay 1 and 0 (the
 * decoupled decay's cost), one evaluation (train and test outputs, losses, accuracies, weight
 * norm) and how many the log cadence records, the Fourier measures of a whole run, and a whole
 * {@code steps}-step run with all of it. Compare the step with
 * {@code lottery-bench/python/grokking_torch.py}, in one run through
 * {@code lottery-bench/compare-pytorch-grokking.sh}.
 *
 * <pre>{@code
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.GrokkingStepBenchmark --threads 1 --steps 3000
 * }</pre>
 */
public final class GrokkingStepBenchmark {

    private GrokkingStepBenchmark() {}

    public static void main(String[] args) throws IOException {
        RuntimeSettings.disableMemoryCheck();
        int steps = 3000;
        int timed = 200;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--timed-steps" -> timed = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--threads" -> RuntimeSettings.threads(Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --steps N, --timed-steps N, --json FILE, --threads N");
            }
        }
        GrokkingHparams hp = GrokkingHparams.DEFAULTS.toBuilder().steps(steps).build();
        ModularArithmetic.Split split = hp.task().split();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("steps", steps);
        result.put("timed_steps", timed);
        result.put("step_ms_median", stepMillis(hp, split, timed));
        result.put("step_ms_median_no_decay", stepMillis(hp.toBuilder().weightDecay(0).build(), split, timed));
        MultiLayerNetwork net = hp.network();
        TrainingLoop.Evaluator evaluator = hp.model().evaluator(net, split);
        double[] evals = new double[20];
        for (int i = 0; i < evals.length; i++) {
            long t = System.nanoTime();
            evaluator.evaluate(i);
            evals[i] = (System.nanoTime() - t) / 1e6;
        }
        result.put("evaluation_ms_median", median(evals));
        result.put("evaluations_per_run", 1 + Cadence.logSpacedSteps(GrokkingHparams.POINTS_PER_DECADE, steps).size());
        // a whole run, as the grokking command trains and measures it
        MultiLayerNetwork run = hp.network();
        FourierProgress progress = new FourierProgress(hp, run, split);
        long t = System.nanoTime();
        TrainingLoop.Result trained = hp.training(run, split, progress.evaluator()).build().run();
        double trainSeconds = (System.nanoTime() - t) / 1e9;
        List<FourierPoint> points = progress.measure(trained.curve());
        result.put("run_training_seconds", trainSeconds);
        result.put("run_fourier_seconds", progress.seconds());
        result.put("run_fourier_share", progress.seconds() / (trainSeconds + progress.measureSeconds()));
        result.put("run_ms_per_step", 1000 * (trainSeconds + progress.measureSeconds()) / steps);
        result.put("run_points", points.size());
        CurvePoint last = trained.last();
        result.put("run_final_test_accuracy", last.testAccuracy());
        String text = Json.writer().withDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (json != null) {
            AtomicFiles.writeString(json, text);
        }
    }

    /** The median time of {@code timed} full-batch steps after 20 untimed ones. */
    private static double stepMillis(GrokkingHparams hp, ModularArithmetic.Split split, int timed) {
        MultiLayerNetwork net = hp.network();
        DataSet batch = split.train();
        for (int i = 0; i < 20; i++) {
            net.fit(batch);
        }
        double[] ms = new double[timed];
        for (int i = 0; i < timed; i++) {
            long t = System.nanoTime();
            net.fit(batch);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return median(ms);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

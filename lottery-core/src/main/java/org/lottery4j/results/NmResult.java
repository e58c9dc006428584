package org.lottery4j.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lottery4j.prune.Pruned;

/**
 * Everything an N:M experiment produced, as saved in its {@code results.json}: the accuracies
 * before pruning, right after it and after fine-tuning, the sparsity, the parameters the pattern
 * skipped, and the checks on the network and on every exported file.
 *
 * <pre>{@code
 * NmResult r = new NmExperiment(nm, workload, Path.of("out")).run();
 * if (!r.passed()) throw new IllegalStateException("failed checks: " + r.checks());
 * System.out.printf("%.2f%% after fine-tuning, %.0f%% of the weights left%n",
 *         100 * r.fineTunedAccuracy(), 100 * r.fractionRemaining());
 * }</pre>
 *
 * @param name the output folder's name ({@code 2to4_<model>_<hash>})
 * @param hparams every hyperparameter, as {@code section.field -> value}
 * @param canonical the hashed canonical form
 * @param trainExamples examples trained on
 * @param testExamples examples of the test set
 * @param denseAccuracy test accuracy before N:M pruning (of the trained dense network, or of the ticket)
 * @param prunedAccuracy test accuracy right after N:M pruning
 * @param fineTunedAccuracy test accuracy after fine-tuning (the pruned accuracy without fine-tuning)
 * @param prunableWeights weights under a mask
 * @param weightsRemaining of those, the weights kept
 * @param fractionRemaining {@code weightsRemaining / prunableWeights}
 * @param patternSatisfied whether the network and every file hold the pattern (and the compressed file
 *     decodes to the dense one)
 * @param prunedWeightsZero whether every pruned weight of the network is exactly 0.0
 * @param skipped parameters the pattern could not tile, left as they were, with the reason
 * @param checks every check by name, such as {@code weights.safetensors: 2:4 -> true}
 * @param files the files written, beside {@code results.json}
 * @param pretraining the phase before pruning (training the dense network or the ticket)
 * @param fineTuning pruning and fine-tuning
 * @param seconds wall time of {@code train}, {@code fine_tune}, {@code export_and_check} and {@code total}
 * @param provenance library, DL4J, JVM, OS and backend versions
 */
public record NmResult(String name, Map<String, String> hparams, String canonical, int trainExamples, int testExamples,
        double denseAccuracy, double prunedAccuracy, double fineTunedAccuracy, long prunableWeights,
        long weightsRemaining, double fractionRemaining, boolean patternSatisfied, boolean prunedWeightsZero,
        List<Pruned.Skipped> skipped, Map<String, Boolean> checks, List<String> files, Phase pretraining,
        Phase fineTuning, Map<String, Double> seconds, Map<String, String> provenance) {

    public NmResult {
        hparams = Collections.unmodifiableMap(new LinkedHashMap<>(hparams));
        skipped = List.copyOf(skipped);
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        files = List.copyOf(files);
        seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Whether every check passed: the pattern everywhere and the pruned weights exact zeros. */
    public boolean passed() {
        return patternSatisfied && prunedWeightsZero;
    }

    /**
     * One phase of an N:M experiment, saved (as {@code pretrained.json} or {@code fine_tuned.json})
     * after its ticket, so its presence means the phase is complete.
     *
     * @param phase {@code dense}, {@code ticket} or {@code fine_tune}
     * @param accuracyBefore test accuracy when the phase started (for {@code fine_tune}: right after pruning)
     * @param accuracyAfter test accuracy when it ended
     * @param iterations training iterations (0 when the phase did not train)
     * @param curve test accuracy (and, with a validation split, validation loss and accuracy; NaN
     *     without one) at iteration 0, every evaluation step and the end; empty when it did not train
     * @param trainSeconds wall time of the training steps alone
     * @param seconds wall time of the whole phase
     * @param skipped for {@code fine_tune}: the parameters N:M skipped; empty otherwise
     */
    public record Phase(String phase, double accuracyBefore, double accuracyAfter, long iterations,
            List<CurvePoint> curve, double trainSeconds, double seconds, List<Pruned.Skipped> skipped) {

        public Phase {
            curve = List.copyOf(curve);
            skipped = List.copyOf(skipped);
        }
    }
}

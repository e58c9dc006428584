package org.lottery4j.export;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.io.Provenance;
import org.lottery4j.prune.Pruned;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPatternException;
import org.lottery4j.sparsity.NmReport;

/** What the ONNX and safetensors exporters write alike: the metadata they record, the pre-write pattern check. */
final class ExportMetadata {

    static final String PATTERN_KEY = "sparsity_pattern";
    static final String SKIPPED_KEY = PATTERN_KEY + "_skipped";
    static final String PROVENANCE = "provenance.";

    private ExportMetadata() {}

    /**
     * The caller's entries plus what every export records: the pattern (or {@code none}), the
     * weights the pattern skipped, and {@code provenance.*} (library, DL4J, JVM, OS, backend, network class).
     */
    static Map<String, String> of(Map<String, String> callers, NmPattern pattern, NmReport report, Model network) {
        Map<String, String> m = new TreeMap<>(callers);
        m.put(PATTERN_KEY, pattern == null ? "none" : pattern.toString());
        if (report != null && !report.skipped().isEmpty()) {
            m.put(SKIPPED_KEY, String.join(",", report.skipped().stream().map(Pruned.Skipped::name).toList()));
        }
        Provenance.current().forEach((k, v) -> m.put(PROVENANCE + k, v));
        m.put(PROVENANCE + "network", network.getClass().getSimpleName());
        return m;
    }

    /**
     * Checks PyTorch-layout weights against {@code pattern} before anything is written; rounding to
     * F16/BF16 can only turn values into zeros, never zeros into values, so the float values decide.
     *
     * @throws NmPatternException naming every weight that breaks the pattern
     */
    static NmReport requirePattern(NmPattern pattern, Map<String, long[]> shapes, Function<String, float[]> values) {
        NmReport report = new NmChecker(pattern).checkTorch(shapes, values);
        if (!report.satisfied()) {
            throw new NmPatternException(report, "nothing was written (prune to the pattern and apply the masks first)");
        }
        return report;
    }
}

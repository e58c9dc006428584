package org.lottery4j.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lottery4j.hparams.ExperimentHparams;

/**
 * One experiment of a study, with the values of the fields the study varies, as canonical text
 * (for grouping: runs that differ only in {@code training.seed} are one variant, averaged over seeds).
 *
 * <pre>{@code
 * for (StudyRun run : StudySpec.read(Path.of("studies/quick.json")).runs()) {
 *     run.hparams().folderName();   // lottery_3f2a...
 *     run.varied();                 // {pruning.scope=global, training.seed=2}
 *     run.variant();                // {pruning.scope=global}
 * }
 * }</pre>
 *
 * @param hparams the experiment
 * @param varied {@code section.field -> value} of every field the study varies, in the study's order
 * @param baseline whether this run is one seed of the study's baseline variant, the one every other
 *     variant is compared with ({@code summary.csv}'s {@code arm_minus_baseline_*} columns)
 */
public record StudyRun(ExperimentHparams hparams, Map<String, String> varied, boolean baseline) {

    /** The key of the field that statistics average over. */
    public static final String SEED = "training.seed";

    public StudyRun {
        varied = Collections.unmodifiableMap(new LinkedHashMap<>(varied));
    }

    /** A run that is not of the baseline. */
    public StudyRun(ExperimentHparams hparams, Map<String, String> varied) {
        this(hparams, varied, false);
    }

    /** The varied values without the seed: the variant this run is one seed of. */
    public Map<String, String> variant() {
        Map<String, String> out = new LinkedHashMap<>(varied);
        out.remove(SEED);
        return Collections.unmodifiableMap(out);
    }
}

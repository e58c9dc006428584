package org.lottery4j.hparams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that decides an experiment's results, as one plain value: printed at the start,
 * saved with the results, and hashed to name the output folder, so a result always says how it was
 * made (the open_lth convention).
 *
 * <p>The hash covers a canonical form: {@code section.field=value} lines, sorted, leaving out
 * fields at their default. A new hyperparameter must default to "no change" so that existing
 * hashes, and the folders they name, stay valid. Control arms are not hashed: they add results
 * beside the ticket's without changing them, so adding {@code controls} later reuses the folder.
 *
 * <pre>{@code
 * ExperimentHparams hp = new ExperimentHparams(dataset, model, training, pruning, List.of("reinit"));
 * System.out.println(hp.describe());
 * Path folder = out.resolve(hp.folderName());   // lottery_3f1c2a9b0e
 * }</pre>
 *
 * @param controls control arms to run beside the ticket: {@code reinit} (same masks, random
 *     re-initialization) and {@code random_pruning} (random masks at the same per-layer sparsity)
 */
public record ExperimentHparams(
        DatasetHparams dataset, ModelHparams model, TrainingHparams training, PruningHparams pruning,
        List<String> controls) {

    /** The control arms this library can run. */
    public static final List<String> CONTROLS = List.of("reinit", "random_pruning");

    public ExperimentHparams {
        Hparams.require(dataset != null && model != null && training != null && pruning != null,
                "dataset, model, training and pruning hyperparameters must all be set");
        controls = controls == null ? List.of() : controls.stream().distinct().sorted().toList();
        for (String c : controls) {
            Hparams.require(CONTROLS.contains(c), "unknown control arm '" + c + "'; expected one of " + CONTROLS);
        }
    }

    /** Every field that differs from its default, as sorted {@code section.field -> value}. */
    public Map<String, String> canonicalFields() {
        Map<String, String> out = new TreeMap<>();
        Hparams.addNonDefault("dataset", dataset, DatasetHparams.DEFAULTS, out);
        Hparams.addNonDefault("model", model, ModelHparams.DEFAULTS, out);
        Hparams.addNonDefault("training", training, TrainingHparams.DEFAULTS, out);
        Hparams.addNonDefault("pruning", pruning, PruningHparams.DEFAULTS, out);
        return out;
    }

    /** The sorted {@code section.field=value} lines of every field that differs from its default. */
    public String canonical() {
        return Hparams.canonical(canonicalFields());
    }

    /** Every field, defaults included, as {@code section.field -> value} in declaration order. */
    public Map<String, String> fields() {
        Map<String, String> all = new LinkedHashMap<>();
        Hparams.addAll("dataset", dataset, all);
        Hparams.addAll("model", model, all);
        Hparams.addAll("training", training, all);
        Hparams.addAll("pruning", pruning, all);
        all.put("controls", controls.isEmpty() ? "none" : String.join(",", controls));
        return all;
    }

    /** The first 10 hex digits of the SHA-256 of {@link #canonical()}. */
    public String hash() {
        return Hparams.hash(canonical());
    }

    /** The output folder's name: {@code lottery_<hash>}. */
    public String folderName() {
        return "lottery_" + hash();
    }

    /** Every field, defaults included, one {@code section.field = value} per line. */
    public String describe() {
        return Hparams.describe("experiment " + folderName(), fields());
    }

    /** A copy with other control arms. */
    public ExperimentHparams withControls(List<String> arms) {
        return new ExperimentHparams(dataset, model, training, pruning, arms);
    }
}

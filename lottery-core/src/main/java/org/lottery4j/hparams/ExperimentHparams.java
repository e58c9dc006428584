package org.lottery4j.hparams;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lottery4j.run.RunHparams;
import org.lottery4j.run.RunIdentity;

/**
 * Everything that decides an experiment's results, as one plain value: printed at the start,
 * saved with the results, and hashed to name the output folder, so a result always says how it was
 * made (the open_lth convention).
 *
 * <p>The hash covers a canonical form: {@code section.field=value} lines, sorted, leaving out
 * fields at their default, with every parsed value (optimizer, schedule, method, scope, rewind
 * point) written as its {@code describe()} text, so equal experiments spelled differently share one
 * folder. A new hyperparameter must default to "no change" so that existing hashes, and the folders
 * they name, stay valid. Control arms are not hashed: they add results beside the ticket's without
 * changing them, so adding {@code controls} later reuses the folder.
 *
 * <pre>{@code
 * ExperimentHparams hp = ExperimentHparams.builder()
 *         .dataset(DatasetHparams.builder().name("mnist-10k").validationExamples(1000).build())
 *         .model(new ModelHparams("lenet-300-100"))
 *         .training(TrainingHparams.builder().learningRate(1.2e-3).budget("8ep").seed(42).build())
 *         .pruning(PruningHparams.builder().scope("layerwise fractions={output=0.1}").rounds(12).build())
 *         .controls(ControlArm.REINIT, ControlArm.RANDOM_PRUNING)
 *         .build();
 * System.out.println(hp.describe());
 * Path folder = out.resolve(hp.folderName());   // lottery_55d01c73fe
 * }</pre>
 *
 * @param dataset the data; required
 * @param model the network; required
 * @param training how each round trains; default {@link TrainingHparams#DEFAULTS}
 * @param pruning how rounds prune and rewind; default {@link PruningHparams#DEFAULTS}
 * @param controls control arms to run beside the ticket, kept sorted and without repeats; default none
 */
public record ExperimentHparams(
        DatasetHparams dataset, ModelHparams model, TrainingHparams training, PruningHparams pruning,
        List<ControlArm> controls) implements RunHparams {

    public ExperimentHparams {
        Hparams.require(dataset != null && model != null && training != null && pruning != null,
                "dataset, model, training and pruning hyperparameters must all be set");
        Hparams.require(!training.trainsDynamically() || pruning.schedule() instanceof PruningSchedule.AtInit,
                "training.dynamic (" + training.dynamic() + ") starts each round from the untrained network: set "
                        + "pruning.schedule to at-init, got " + pruning.schedule().describe());
        controls = controls == null ? List.of()
                : controls.stream().distinct().sorted(Comparator.comparing(ControlArm::describe)).toList();
    }

    /**
     * The experiment that {@code section.field -> text} describes, as {@link #fields()} prints it
     * (such as {@code "pruning.scope" -> "global"}, {@code "controls" -> "reinit,random_pruning"});
     * fields not given take their defaults, and dataset and model names are required. Every key of
     * {@link #fields()} but {@code pruning.strategy} (code, not text) can be set.
     *
     * @throws IllegalArgumentException naming the first unknown key or bad value, and what is allowed
     */
    public static ExperimentHparams fromFields(Map<String, String> fields) {
        return FieldText.build(fields);
    }

    /** The keys {@link #fromFields} reads, in {@link #fields()} order. */
    public static List<String> fieldKeys() {
        return FieldText.KEYS;
    }

    /** A builder with the training and pruning defaults and no control arms; dataset and model must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return builder().dataset(dataset).model(model).training(training).pruning(pruning).controls(controls);
    }

    /**
     * The experiment's fields (defaults included, as {@code section.field -> value} in declaration
     * order) and canonical form: every field that differs from its default, control arms aside,
     * saved in {@code hparams.json} too, which a resumed run compares with its own. The folder is
     * {@code lottery_<hash>}.
     */
    @Override
    public RunIdentity identity() {
        Map<String, String> hashed = new TreeMap<>();
        Hparams.addNonDefault("dataset", dataset, DatasetHparams.DEFAULTS, hashed);
        Hparams.addNonDefault("model", model, ModelHparams.DEFAULTS, hashed);
        Hparams.addNonDefault("training", training.forHash(), TrainingHparams.DEFAULTS, hashed);
        Hparams.addNonDefault("pruning", pruning, PruningHparams.DEFAULTS, hashed);
        Map<String, String> all = new LinkedHashMap<>();
        Hparams.addAll("dataset", dataset, all);
        Hparams.addAll("model", model, all);
        Hparams.addAll("training", training, all);
        Hparams.addAll("pruning", pruning, all);
        all.put("controls", controls.isEmpty() ? "none" : String.join(",", controlNames()));
        return new RunIdentity("experiment", "lottery", all, hashed);
    }

    /**
     * The arms trained beside round {@code round}'s ticket: the control arms from round 1 on, the
     * stability arm in round 0 too, none in a round that does not train ({@link PruningHparams#trains}).
     */
    public List<ControlArm> arms(int round) {
        return !pruning.trains(round) ? List.of()
                : controls.stream().filter(arm -> round > 0 || arm.inDenseRound()).toList();
    }

    /** The control arms' texts, such as {@code [random_pruning, reinit]}. */
    public List<String> controlNames() {
        return controls.stream().map(ControlArm::describe).toList();
    }

    /** A copy with other control arms. */
    public ExperimentHparams withControls(List<ControlArm> arms) {
        return new ExperimentHparams(dataset, model, training, pruning, arms);
    }

    /** Named setters for {@link ExperimentHparams}; {@link #build()} validates. */
    public static final class Builder {
        private DatasetHparams dataset;
        private ModelHparams model;
        private TrainingHparams training = TrainingHparams.DEFAULTS;
        private PruningHparams pruning = PruningHparams.DEFAULTS;
        private List<ControlArm> controls = List.of();

        private Builder() {}

        public Builder dataset(DatasetHparams dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder model(ModelHparams model) {
            this.model = model;
            return this;
        }

        public Builder training(TrainingHparams training) {
            this.training = training;
            return this;
        }

        public Builder pruning(PruningHparams pruning) {
            this.pruning = pruning;
            return this;
        }

        public Builder controls(List<ControlArm> controls) {
            this.controls = List.copyOf(controls);
            return this;
        }

        public Builder controls(ControlArm... controls) {
            return controls(Arrays.asList(controls));
        }

        /** @throws IllegalArgumentException if a section is missing */
        public ExperimentHparams build() {
            return new ExperimentHparams(dataset, model, training, pruning, controls);
        }
    }
}

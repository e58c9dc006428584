package org.lottery4j.hparams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds an experiment from {@code section.field -> text}, as {@link ExperimentHparams#fields()} prints it. */
final class FieldText {

    /** Every key that can be set from text, in {@link ExperimentHparams#fields()} order (a strategy is code, not text). */
    static final List<String> KEYS = List.of(
            "dataset.name", "dataset.batchSize", "dataset.validationExamples", "dataset.augment",
            "model.name",
            "training.optimizer", "training.learningRate", "training.momentum", "training.budget",
            "training.evalEvery", "training.weightDecay", "training.seed", "training.weightDecayStyle",
            "training.schedule", "training.dynamic",
            "pruning.method", "pruning.fraction", "pruning.scope", "pruning.rounds", "pruning.rewind",
            "pruning.schedule", "pruning.onlyRounds",
            "controls");

    private FieldText() {}

    static ExperimentHparams build(Map<String, String> fields) {
        DatasetHparams.Builder d = DatasetHparams.builder();
        ModelHparams.Builder m = ModelHparams.builder();
        TrainingHparams.Builder t = TrainingHparams.builder();
        PruningHparams.Builder p = PruningHparams.builder();
        List<ControlArm> controls = new ArrayList<>();
        fields.forEach((key, v) -> {
            Hparams.require(v != null, key + " must be set");
            switch (key) {
                case "dataset.name" -> d.name(v);
                case "dataset.batchSize" -> d.batchSize((int) integer(key, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case "dataset.validationExamples" ->
                        d.validationExamples((int) integer(key, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case "dataset.augment" -> d.augment(v);
                case "model.name" -> m.name(v);
                case "training.optimizer" -> t.optimizer(v);
                case "training.learningRate" -> t.learningRate(number(key, v));
                case "training.momentum" -> t.momentum(number(key, v));
                case "training.budget" -> t.budget(v);
                case "training.evalEvery" -> t.evalEvery(v);
                case "training.weightDecay" -> t.weightDecay(number(key, v));
                case "training.seed" -> t.seed(integer(key, v, Long.MIN_VALUE, Long.MAX_VALUE));
                case "training.weightDecayStyle" -> t.weightDecayStyle(WeightDecayStyle.parse(v));
                case "training.schedule" -> t.schedule(v);
                case "training.dynamic" -> t.dynamic(v);
                case "pruning.method" -> p.method(v);
                case "pruning.fraction" -> p.fraction(number(key, v));
                case "pruning.scope" -> p.scope(v);
                case "pruning.rounds" -> p.rounds((int) integer(key, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case "pruning.rewind" -> p.rewind(v);
                case "pruning.schedule" -> p.schedule(v);
                case "pruning.onlyRounds" -> p.onlyRounds(v);
                case "controls" -> controls.addAll(controls(v));
                default -> throw new IllegalArgumentException(
                        "unknown field '" + key + "'; the fields are " + String.join(", ", KEYS));
            }
        });
        return ExperimentHparams.builder().dataset(d.build()).model(m.build()).training(t.build())
                .pruning(p.build()).controls(controls).build();
    }

    /** {@code none}, or arms separated by commas, as {@link ExperimentHparams#fields()} prints them. */
    private static List<ControlArm> controls(String text) {
        if (text.strip().equalsIgnoreCase("none")) {
            return List.of();
        }
        return Arrays.stream(text.split(",", -1)).map(ControlArm::parse).toList();
    }

    private static long integer(String key, String text, long min, long max) {
        try {
            long v = Long.parseLong(text.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(key + ": '" + text + "' is not an integer");
    }

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a number", e);
        }
    }
}

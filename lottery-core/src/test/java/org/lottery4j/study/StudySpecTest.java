package org.lottery4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.hparams.TrainingHparams;

class StudySpecTest {

    private static final Path FILE = Path.of("studies/s.json");
    private static final String BASE = "\"base\": {\"dataset.name\": \"mnist-10k\", \"model.name\": \"lenet-300-100\","
            + " \"training.budget\": \"2ep\", \"pruning.scope\": \"layerwise fractions={output=0.1}\","
            + " \"controls\": [\"reinit\"]}";

    private static StudySpec parse(String json) throws StudySpecException {
        return StudySpec.parse(json.replace('\'', '"'), FILE);
    }

    /** The base above, built by hand. */
    private static ExperimentHparams base() {
        return ExperimentHparams.builder()
                .dataset(DatasetHparams.builder().name("mnist-10k").build())
                .model(new ModelHparams("lenet-300-100"))
                .training(TrainingHparams.builder().budget("2ep").build())
                .pruning(PruningHparams.builder().scope("layerwise fractions={output=0.1}").build())
                .controls(ControlArm.REINIT)
                .build();
    }

    private static ExperimentHparams with(ExperimentHparams hp, String scope, double fraction, long seed) {
        return hp.toBuilder()
                .pruning(hp.pruning().toBuilder().scope(scope).fraction(fraction).build())
                .training(hp.training().toBuilder().seed(seed).build())
                .build();
    }

    @Test
    void aGridIsTheProductOfItsAxesLastAxisFastestAndHashesAsBuiltByHand() throws Exception {
        StudySpec spec = parse("{'name': 'grid', " + BASE
                + ", 'axes': {'pruning.scope': ['layerwise', 'Global'], 'training.seed': [1, 2, 3]}}");

        assertThat(spec.name()).isEqualTo("grid");
        assertThat(spec.base()).containsEntry("controls", "reinit").containsEntry("training.budget", "2ep");
        assertThat(spec.axes()).containsExactly(Map.entry("pruning.scope", List.of("layerwise", "Global")),
                Map.entry("training.seed", List.of("1", "2", "3")));
        assertThat(spec.variedKeys()).containsExactly("pruning.scope", "training.seed");
        assertThat(spec.runs()).extracting(StudyRun::varied).containsExactly(
                Map.of("pruning.scope", "layerwise", "training.seed", "1"),
                Map.of("pruning.scope", "layerwise", "training.seed", "2"),
                Map.of("pruning.scope", "layerwise", "training.seed", "3"),
                Map.of("pruning.scope", "global", "training.seed", "1"),
                Map.of("pruning.scope", "global", "training.seed", "2"),
                Map.of("pruning.scope", "global", "training.seed", "3"));
        assertThat(spec.runs().get(4).variant()).isEqualTo(Map.of("pruning.scope", "global"));
        List<String> byHand = List.of("layerwise", "global").stream()
                .flatMap(scope -> List.of(1L, 2L, 3L).stream().map(seed -> with(base(), scope, 0.2, seed)))
                .map(ExperimentHparams::hash).toList();
        assertThat(spec.runs()).extracting(r -> r.hparams().hash()).containsExactlyElementsOf(byHand);
        assertThat(spec.runs()).allSatisfy(r -> assertThat(r.hparams().controls()).containsExactly(ControlArm.REINIT));
    }

    @Test
    void withoutAxesOrRunsTheStudyIsTheBase() throws Exception {
        StudySpec spec = parse("{'name': 'one', " + BASE + "}");

        assertThat(spec.axes()).isEmpty();
        assertThat(spec.explicitRuns()).isEmpty();
        assertThat(spec.runs()).hasSize(1);
        assertThat(spec.runs().get(0).hparams().hash()).isEqualTo(base().hash());
        assertThat(spec.runs().get(0).varied()).isEmpty();
    }

    @Test
    void explicitRunsAreEachMultipliedByTheAxes() throws Exception {
        StudySpec spec = parse("{'name': 'runs', " + BASE + ", 'axes': {'training.seed': [1, 2]}, 'runs': ["
                + "{'pruning.scope': 'global'}, {'pruning.scope': 'global', 'pruning.fraction': 0.5}]}");

        assertThat(spec.explicitRuns()).containsExactly(Map.of("pruning.scope", "global"),
                Map.of("pruning.scope", "global", "pruning.fraction", "0.5"));
        assertThat(spec.variedKeys()).containsExactly("training.seed", "pruning.scope", "pruning.fraction");
        assertThat(spec.runs()).extracting(r -> r.hparams().hash()).containsExactly(
                with(base(), "global", 0.2, 1).hash(), with(base(), "global", 0.2, 2).hash(),
                with(base(), "global", 0.5, 1).hash(), with(base(), "global", 0.5, 2).hash());
        assertThat(spec.runs().get(3).varied()).containsExactly(
                Map.entry("training.seed", "2"), Map.entry("pruning.scope", "global"),
                Map.entry("pruning.fraction", "0.5"));
    }

    @Test
    void explicitRunsWithoutAxesAreExactlyTheListedRuns() throws Exception {
        StudySpec spec = parse("{'name': 'runs', " + BASE + ", 'runs': [{'training.seed': 7}, {'training.seed': 3}]}");

        assertThat(spec.runs()).extracting(r -> r.hparams().hash()).containsExactly(
                with(base(), "layerwise fractions={output=0.1}", 0.2, 7).hash(),
                with(base(), "layerwise fractions={output=0.1}", 0.2, 3).hash());
    }

    @Test
    void duplicatesCollapseIntoTheFirstWithEveryControlArm() throws Exception {
        // "layerwise" twice in other spellings, a seed given as text and as a number, and controls
        // that do not change the folder
        StudySpec spec = parse("{'name': 'dup', " + BASE + ", 'axes': {'pruning.scope': ['layerwise', ' LayerWise '],"
                + " 'training.seed': [1, '1']}, 'runs': [{'controls': 'none'}, {'controls': ['random-pruning']}]}");

        assertThat(spec.runs()).hasSize(1);
        StudyRun run = spec.runs().get(0);
        assertThat(run.hparams().hash()).isEqualTo(with(base(), "layerwise", 0.2, 1).hash());
        assertThat(run.hparams().controls()).containsExactly(ControlArm.RANDOM_PRUNING);
        assertThat(run.varied()).containsExactly(Map.entry("pruning.scope", "layerwise"),
                Map.entry("training.seed", "1"), Map.entry("controls", "random_pruning"));
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{\"name\": \"f\", " + BASE.replace('\'', '"') + "}");

        StudySpec spec = StudySpec.read(file);

        assertThat(spec.file()).isEqualTo(file);
        assertThat(spec.runs()).extracting(r -> r.hparams().hash()).containsExactly(base().hash());
    }

    private static void fails(String json, String path, String problem) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(StudySpecException.class)
                .hasMessage(FILE + ": " + path + ": " + problem)
                .satisfies(e -> assertThat(((StudySpecException) e).jsonPath()).isEqualTo(path))
                .satisfies(e -> assertThat(((StudySpecException) e).file()).isEqualTo(FILE));
    }

    private static final String FIELDS = "dataset.name, dataset.batchSize, dataset.validationExamples, dataset.augment,"
            + " model.name, training.optimizer, training.learningRate, training.momentum, training.budget, training.evalEvery,"
            + " training.weightDecay, training.seed, training.weightDecayStyle, training.schedule, training.dynamic, pruning.method,"
            + " pruning.fraction, pruning.scope, pruning.rounds, pruning.rewind, pruning.schedule, pruning.onlyRounds, controls";

    @Test
    void unknownKeysNameTheirPathAndTheKnownFields() {
        fails("{'name': 'x', " + BASE + ", 'axes': {'pruning.scop': ['global']}}",
                "$.axes[\"pruning.scop\"]", "unknown field 'pruning.scop'; the fields are " + FIELDS);
        fails("{'name': 'x', 'base': {'dataset.name': 'mnist-10k', 'pruning.strategy': 'mine'}}",
                "$.base[\"pruning.strategy\"]", "unknown field 'pruning.strategy'; the fields are " + FIELDS);
        fails("{'name': 'x', " + BASE + ", 'axis': {}}", "$.axis", "unknown field; a study has name, base, axes, runs, baseline");
    }

    @Test
    void valuesThatDoNotParseNameTheirPathAndWhatIsAllowed() {
        String axes = "{'name': 'x', " + BASE + ", 'axes': {";
        fails(axes + "'pruning.scope': ['layerwise', 'everywhere']}}", "$.axes[\"pruning.scope\"][1]",
                "pruning.scope: not a pruning scope: 'everywhere'; expected layerwise or global, then optionally"
                        + " exclude=[a, #2] and fractions={b=0.1}");
        fails(axes + "'training.optimizer': ['adam', 'adagrad']}}", "$.axes[\"training.optimizer\"][1]",
                "training.optimizer: 'adagrad' is not one of sgd, momentum, nesterov, adam");
        fails(axes + "'training.seed': [1, 'two']}}", "$.axes[\"training.seed\"][1]",
                "training.seed: 'two' is not an integer");
        fails(axes + "'pruning.fraction': [1.5]}}", "$.axes[\"pruning.fraction\"][0]",
                "pruning.fraction must be in [0, 1), got 1.5");
        fails("{'name': 'x', " + BASE + ", 'runs': [{'training.budget': '3'}]}", "$.runs[0][\"training.budget\"]",
                "training.budget: not a step: '3'; expected a count followed by ep (epochs) or it (iterations),"
                        + " such as 10ep or 500it");
        fails("{'name': 'x', 'base': {'dataset.name': 'mnist-10k', 'controls': ['reinit', 'dropout']}}",
                "$.base[\"controls\"]", "controls: 'dropout' is not one of reinit, random_pruning, inverted, stability");
    }

    @Test
    void wrongJsonTypesAndEmptyOrMissingPartsAreRefused() {
        fails("[]", "$", "expected an object with name, base, axes, runs, baseline, got a list");
        fails("{'name': 'x', " + BASE + ", 'axes': {'training.seed': 1}}", "$.axes[\"training.seed\"]",
                "expected a list of values, got a number");
        fails("{'name': 'x', " + BASE + ", 'axes': {'training.seed': []}}", "$.axes[\"training.seed\"]",
                "empty; an axis needs at least one value");
        fails("{'name': 'x', " + BASE + ", 'axes': {'training.seed': [[1]]}}", "$.axes[\"training.seed\"][0]",
                "expected a string or a number, got a list");
        fails("{'name': 'x', " + BASE + ", 'axes': {'controls': [true]}}", "$.axes[\"controls\"][0]",
                "expected a string or a number or a list of control arms, got a boolean");
        fails("{'name': 'x', " + BASE + ", 'axes': ['training.seed']}", "$.axes",
                "expected an object of \"section.field\": [values], got a list");
        fails("{'name': 'x', " + BASE + ", 'runs': []}", "$.runs", "empty; list at least one run, or leave runs out");
        fails("{'name': 'x', " + BASE + ", 'runs': {}}", "$.runs",
                "expected a list of {\"section.field\": value}, got an object");
        fails("{'name': 'x', " + BASE + ", 'runs': [{'model.name': null}]}", "$.runs[0][\"model.name\"]",
                "expected a string or a number, got null");
        fails("{'name': 'x', 'base': 'mnist'}", "$.base", "expected an object of \"section.field\": value, got a string");
        fails("{'name': 'x'}", "$.base", "missing; give the base experiment as {\"section.field\": value}");
        fails("{" + BASE + "}", "$.name", "missing; give the study a name");
        fails("{'name': 3, " + BASE + "}", "$.name", "expected a non-empty string, got a number");
        fails("{'name': 'x', " + BASE + ", 'axes': {'training.seed': [1], 'training.seed': [2]}}", "$",
                "not valid JSON at line 1, column 234: Duplicate field 'training.seed'");
    }

    @Test
    void aRunMayNotSetAnAxisAndRequiredFieldsMustBeSetSomewhere() {
        fails("{'name': 'x', " + BASE + ", 'axes': {'training.seed': [1]}, 'runs': [{'training.seed': 2}]}",
                "$.runs[0][\"training.seed\"]", "is also an axis; vary it in one place");
        fails("{'name': 'x', 'base': {'model.name': 'lenet-300-100'}}", "$.base", "dataset.name must not be empty");
        fails("{'name': 'x', 'base': {'model.name': 'lenet-300-100'}, 'runs': [{'dataset.name': 'mnist-10k'}, {}]}",
                "$.runs[1]", "dataset.name must not be empty");
    }

    @Test
    void theBaselineMarksTheRunsOfOneVariantMatchedByCanonicalText() throws Exception {
        StudySpec spec = parse("{'name': 'x', " + BASE + ", 'axes': {'pruning.schedule': ['iterative', 'at-init'], "
                + "'pruning.method': ['magnitude', 'random(seed=1)'], 'training.seed': [1, 2]}, "
                + "'runs': [{'pruning.scope': 'layerwise'}, {'pruning.scope': 'global'}], "
                + "'baseline': {'pruning.schedule': 'Iterative', 'pruning.method': 'MAGNITUDE', 'pruning.scope': ' layerwise '}}");
        assertThat(spec.baseline()).containsExactly(java.util.Map.entry("pruning.schedule", "iterative"),
                java.util.Map.entry("pruning.method", "magnitude"), java.util.Map.entry("pruning.scope", "layerwise"));
        assertThat(spec.runs().stream().filter(StudyRun::baseline).map(StudyRun::varied).toList()).containsExactly(
                java.util.Map.of("pruning.scope", "layerwise", "pruning.schedule", "iterative", "pruning.method", "magnitude",
                        "training.seed", "1"),
                java.util.Map.of("pruning.scope", "layerwise", "pruning.schedule", "iterative", "pruning.method", "magnitude",
                        "training.seed", "2"));
    }

    @Test
    void aBaselineMustNameExactlyOneVariantByVariedFields() {
        String study = "{'name': 'x', " + BASE + ", 'axes': {'pruning.schedule': ['iterative', 'at-init'], "
                + "'pruning.rounds': [1, 2], 'training.seed': [1, 2]}, ";
        fails(study + "'baseline': {'pruning.fraction': 0.5}}", "$.baseline[\"pruning.fraction\"]",
                "is not a field the study varies (other than the seed); the baseline names one variant by values of "
                        + "[pruning.schedule, pruning.rounds]");
        fails(study + "'baseline': {'training.seed': 1}}", "$.baseline[\"training.seed\"]",
                "is not a field the study varies (other than the seed); the baseline names one variant by values of "
                        + "[pruning.schedule, pruning.rounds]");
        fails(study + "'baseline': {'pruning.schedule': 'iterative'}}", "$.baseline",
                "matches 2 variants; give a value for each of [pruning.schedule, pruning.rounds]");
        fails(study + "'baseline': {'pruning.schedule': 'one-shot', 'pruning.rounds': 1}}", "$.baseline",
                "matches no run of the study");
        fails(study + "'baseline': {'pruning.schedule': 'sometimes'}}", "$.baseline[\"pruning.schedule\"]",
                "pruning.schedule: not a pruning schedule: 'sometimes': expected iterative, one-shot, at-init or "
                        + "early-bird(every=1ep, distance=0.1, window=5)");
    }

    @Test
    void roundsToTrainAreCheckedAgainstTheRunsScheduleAndRounds() throws Exception {
        String study = "{'name': 'x', " + BASE + ", 'runs': [";
        StudySpec spec = parse(study + "{'pruning.schedule': 'at-init', 'pruning.rounds': 13, 'pruning.onlyRounds': '13,7'}]}");
        assertThat(spec.runs().get(0).hparams().pruning().onlyRounds()).isEqualTo("7,13");
        fails(study + "{'pruning.rounds': 13, 'pruning.onlyRounds': '7'}]}", "$.runs[0]",
                "pruning.onlyRounds: iterative pruning trains every round (each prunes the one before); give "
                        + "pruning.onlyRounds only with a schedule whose rounds stand alone (one-shot, at-init, early-bird)");
        fails(study + "{'pruning.schedule': 'at-init', 'pruning.onlyRounds': '7'}]}", "$.runs[0]",
                "pruning.onlyRounds: round 7 is not one of the pruned rounds 1 to 1 (pruning.rounds)");
        StudySpec dynamic = parse(study + "{'pruning.schedule': 'at-init', 'training.dynamic': 'RIGL'}]}");
        assertThat(dynamic.runs().get(0).hparams().training().dynamic())
                .isEqualTo("rigl(every=100, drop=0.3, stop=0.75, densities=uniform)");
        fails(study + "{'training.dynamic': 'set'}]}", "$.runs[0]", "training.dynamic (set(every=100, drop=0.3, "
                + "stop=0.75, densities=uniform)) starts each round from the untrained network: set pruning.schedule to "
                + "at-init, got iterative");
        fails(study + "{'pruning.onlyRounds': 'x'}]}", "$.runs[0][\"pruning.onlyRounds\"]",
                "pruning.onlyRounds: 'x' is not all or a list of rounds such as 7,13");
    }
}

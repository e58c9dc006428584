package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lottery4j.study.StudyRun;
import org.lottery4j.study.StudySpec;

/** The shipped studies: the quick one (LeNet-300-100 on the bundled digits, 2 scopes x 2 seeds) and every file's models and data. */
class QuickStudyTest {

    @Test
    void quickJsonExpandsToFourRunsInFourFolders() throws Exception {
        StudySpec spec = StudySpec.read(Path.of("studies/quick.json"));

        assertThat(spec.name()).isEqualTo("quick");
        assertThat(spec.runs()).extracting(StudyRun::varied).containsExactly(
                Map.of("pruning.scope", "layerwise", "training.seed", "1"),
                Map.of("pruning.scope", "layerwise", "training.seed", "2"),
                Map.of("pruning.scope", "global", "training.seed", "1"),
                Map.of("pruning.scope", "global", "training.seed", "2"));
        assertThat(spec.runs()).extracting(r -> r.hparams().folderName()).doesNotHaveDuplicates().hasSize(4);
        assertThat(spec.runs().get(0).hparams().canonical()).isEqualTo(String.join("\n",
                "dataset.name=mnist-10k",
                "dataset.validationExamples=1000",
                "model.name=lenet-300-100",
                "pruning.rounds=2",
                "training.learningRate=0.0012",
                "training.seed=1"));
        assertThat(spec.runs()).allSatisfy(r -> assertThat(r.hparams().controlNames()).containsExactly("reinit"));
    }

    @Test
    void everyShippedStudyNamesModelsAndDataTheStudyCommandTrains() throws Exception {
        StudyWorkloads digitsOnly = StudyWorkloads.of(null, org.lottery4j.examples.mnist.Mnist.bundled(), null);
        java.util.List<String> names = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(Path.of("studies"))) {
            for (Path file : files.sorted().toList()) {
                StudySpec spec = StudySpec.read(file);
                names.add(spec.name());
                for (StudyRun run : spec.runs()) {
                    if (run.hparams().dataset().name().startsWith("cifar10")) { // no CIFAR-10 here: it says so
                        org.assertj.core.api.Assertions.assertThatThrownBy(() -> digitsOnly.create(run))
                                .hasMessageStartingWith("dataset.name cifar10 needs --cifar-dir DIR");
                    } else {
                        assertThat(digitsOnly.create(run)).isNotNull();
                    }
                }
            }
        }
        assertThat(names).containsExactly("cheap-tickets-conv2", "cheap-tickets-lenet", "cluster-8", "conv2-mnist", "lottery-mnist",
                "quick", "resnet20-cifar10-paper", "resnet20-mnist-rewind", "rewind", "stability-conv2", "stability-lenet");
    }
}

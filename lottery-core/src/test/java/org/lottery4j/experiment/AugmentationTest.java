package org.lottery4j.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.testing.SyntheticWorkload;
import org.lottery4j.training.BatchAugmentation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A {@link BatchAugmentation} in the experiment: training batches only, seeded, resumable, named in the hash. */
class AugmentationTest {

    @TempDir
    Path dir;

    /** Gaussian noise drawn from the trainer's generator; counts the batches and examples it sees. */
    static final class Noise implements BatchAugmentation {
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger examples = new AtomicInteger();
        final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public INDArray apply(INDArray features, Random random) {
            threads.add(Thread.currentThread());
            batches.incrementAndGet();
            examples.addAndGet((int) features.rows());
            float[] noise = new float[(int) features.length()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (0.5 * random.nextGaussian());
            }
            return features.add(Nd4j.create(noise, features.shape(), 'c').castTo(features.dataType()));
        }
    }

    private static Workload augmented(BatchAugmentation augmentation, TrainingListener... listeners) {
        return new SyntheticWorkload(listeners) {
            @Override
            public ExperimentData loadData(ExperimentHparams hp) {
                return super.loadData(hp).withAugmentation(augmentation);
            }
        };
    }

    private static ExperimentHparams noisy(ExperimentHparams hp) {
        return hp.toBuilder().dataset(hp.dataset().toBuilder().augment("noise").build()).build();
    }

    @Test
    void trainingBatchesAreAugmentedAndNothingElse() throws IOException {
        ExperimentHparams plain = SyntheticWorkload.hparams(1, "30it", List.of(ControlArm.REINIT));
        ExperimentHparams hp = noisy(plain);
        assertThat(hp.canonical()).contains("dataset.augment=noise");
        assertThat(hp.hash()).isNotEqualTo(plain.hash());
        Noise noise = new Noise();
        ExperimentResult withNoise = new Experiment(hp, augmented(noise), dir.resolve("noise")).run();
        ExperimentResult without = new Experiment(plain, new SyntheticWorkload(), dir.resolve("plain")).run();

        // every training step of the 3 arms (round 0, round 1 and its control), a batch of 12 of the 240 training examples
        assertThat(noise.batches.get()).isEqualTo(3 * 30);
        assertThat(noise.examples.get()).isEqualTo(3 * 30 * 12);
        // on DL4J's prefetch threads (AsyncDataSetIterator), beside the training
        assertThat(noise.threads).isNotEmpty().doesNotContain(Thread.currentThread());
        // before training, the dense network's validation and test figures are those without augmentation
        // (later arms start from masks of differently trained networks)
        assertThat(withNoise.results().get(0).training().curve().get(0))
                .isEqualTo(without.results().get(0).training().curve().get(0));
        // and the noise changed what the network learned
        assertThat(withNoise.results().get(0).training().finalTestAccuracy())
                .isNotEqualTo(without.results().get(0).training().finalTestAccuracy());
        assertThat(withNoise.results().get(0).training().curve().get(1).validationLoss())
                .isNotEqualTo(without.results().get(0).training().curve().get(1).validationLoss());
    }

    @Test
    void theSameRunDrawsTheSameBatchesWithOneWorkerOrTwo() throws IOException {
        ExperimentHparams hp = noisy(SyntheticWorkload.hparams(2, "20it", List.of(ControlArm.REINIT)));
        ExperimentResult first = new Experiment(hp, augmented(new Noise()), dir.resolve("a")).run();
        ExperimentResult again = new Experiment(hp, augmented(new Noise()), dir.resolve("b")).run();
        ExperimentResult two = new Experiment(hp, augmented(new Noise()), dir.resolve("c")).withWorkers(2).run();
        ExperimentTest.assertSameResults(again, first);
        ExperimentTest.assertSameResults(two, first);
    }

    @Test
    void anInterruptedRunResumesToTheSameResults() throws IOException {
        ExperimentHparams hp = noisy(SyntheticWorkload.hparams(2, "30it", List.of(ControlArm.REINIT)));
        ExperimentResult straight = new Experiment(hp, augmented(new Noise()), dir.resolve("straight")).run();
        BaseTrainingListener bomb = new BaseTrainingListener() {
            int calls;

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (++calls == 30 + 30 + 15) { // in round 1's control, after round 1's ticket is saved
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        Path out = dir.resolve("interrupted");
        assertThatThrownBy(() -> new Experiment(hp, augmented(new Noise(), bomb), out).run()).hasMessage("interrupted");
        assertThat(out.resolve(hp.folderName()).resolve("round-01/reinit.json")).doesNotExist();
        ExperimentResult resumed = new Experiment(hp, augmented(new Noise()), out).run();
        ExperimentTest.assertSameResults(resumed, straight);
    }

    @Test
    void dataAndHyperparametersMustAgreeOnTheAugmentation() {
        ExperimentHparams plain = SyntheticWorkload.hparams(1, "10it", List.of());
        assertThatThrownBy(() -> new Experiment(noisy(plain), new SyntheticWorkload(), dir.resolve("a")).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset.augment is noise but the workload's data does not augment its training batches");
        assertThatThrownBy(() -> new Experiment(plain, augmented(new Noise()), dir.resolve("b")).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the workload's data augments its training batches but dataset.augment is none: "
                        + "name the augmentation there, since it changes the results");
    }
}

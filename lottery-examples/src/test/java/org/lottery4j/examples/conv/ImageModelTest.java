package org.lottery4j.examples.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.Experiment;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.Optimizer;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.hparams.WeightDecayStyle;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The models by name, their paper settings, and the workload that runs them through an experiment. */
class ImageModelTest {

    @TempDir
    Path out;

    @Test
    void modelsAreFoundByTheirNames() {
        assertThat(ImageModel.forName("conv2")).isEqualTo(ImageModel.CONV2);
        assertThat(ImageModel.forName("resnet20")).isEqualTo(ImageModel.RESNET20);
        assertThat(ImageModel.RESNET20.network(ImageShape.MNIST, 0)).isInstanceOf(ComputationGraph.class);
        assertThat(ImageModel.CONV4.network(ImageShape.MNIST, 0)).isInstanceOf(MultiLayerNetwork.class);
        assertThatThrownBy(() -> ImageModel.forName("Conv-2"))
                .hasMessage("unknown convolutional model 'Conv-2'; the models are [conv2, conv4, conv6, resnet20]");
    }

    @Test
    void paperSettingsAreThoseOfThePapers() {
        TrainingHparams adam = TrainingHparams.builder().optimizer(Optimizer.ADAM).build();
        assertThat(ImageModel.CONV2.paperTraining()).isEqualTo(adam.toBuilder().learningRate(2e-4).budget("20000it").build());
        assertThat(ImageModel.CONV4.paperTraining()).isEqualTo(adam.toBuilder().learningRate(3e-4).budget("25000it").build());
        assertThat(ImageModel.CONV6.paperTraining()).isEqualTo(adam.toBuilder().learningRate(3e-4).budget("30000it").build());
        assertThat(ImageModel.CONV6.paperPruning().scope().describe())
                .isEqualTo("layerwise fractions={conv1=0.15, conv2=0.15, conv3=0.15, conv4=0.15, conv5=0.15, conv6=0.15, output=0.1}");
        assertThat(ImageModel.CONV2.paperPruning().scope().describe())
                .isEqualTo("layerwise fractions={conv1=0.1, conv2=0.1, output=0.1}");
        assertThat(ImageModel.CONV2.paperBatchSize()).isEqualTo(60);
        assertThat(ImageModel.RESNET20.paperBatchSize()).isEqualTo(128);
        assertThat(ImageModel.RESNET20.paperPruning().scope().describe()).isEqualTo("global");
        TrainingHparams resnet = ImageModel.RESNET20.paperTraining();
        assertThat(resnet.optimizer()).isEqualTo(Optimizer.MOMENTUM);
        assertThat(resnet.momentum()).isEqualTo(0.9);
        assertThat(resnet.learningRate()).isEqualTo(0.1);
        assertThat(resnet.schedule().describe()).isEqualTo("step(milestones=[32000it,48000it],factor=0.1)");
        assertThat(resnet.weightDecay()).isEqualTo(1e-4);
        assertThat(resnet.weightDecayStyle()).isEqualTo(WeightDecayStyle.L2);
        assertThat(resnet.budget().toString()).isEqualTo("64000it");
    }

    @Test
    void theWorkloadRunsEachKindThroughAnExperiment() throws IOException {
        ImageShape tiny = new ImageShape(3, 8, 8);
        DataSet train = TicketChecks.randomImages(tiny, 24, 1);
        DataSet test = TicketChecks.randomImages(tiny, 8, 2);
        ImageWorkload workload = new ImageWorkload("tiny", tiny, train, test);
        // Conv-2 on 3x8x8, its paper's fractions: conv1 1,728 -> 173 pruned, conv2 36,864 -> 3,686, fc1 1,024*256 =
        // 262,144 -> 52,429, fc2 65,536 -> 13,107, output 2,560 -> 256: 299,181 of 368,832 remain.
        // ResNet-20, global 20%: 270,256 convolution and 640 output weights -> 54,179 pruned, 216,717 remain.
        Map<ImageModel, Double> remaining = Map.of(ImageModel.CONV2, 299_181 / 368_832.0, ImageModel.RESNET20, 216_717 / 270_896.0);
        for (ImageModel model : new ImageModel[] {ImageModel.CONV2, ImageModel.RESNET20}) {
            ExperimentHparams hp = ExperimentHparams.builder()
                    .dataset(DatasetHparams.builder().name("tiny").batchSize(8).validationExamples(8).build())
                    .model(new ModelHparams(model.modelName()))
                    .training(model.paperTraining().toBuilder().budget("2it").evalEvery("2it").seed(3).build())
                    .pruning(model.paperPruning().toBuilder().rounds(1).build())
                    .build();
            ExperimentResult result = new Experiment(hp, workload, out).run();
            ArmResult round1 = result.arm(1, ArmResult.TICKET).orElseThrow();
            assertThat(round1.training().iterations()).isEqualTo(2);
            assertThat(round1.weightsRemaining()).as(model.modelName()).isCloseTo(remaining.get(model), within(1e-12));
        }
    }

    @Test
    void theModelsReadTheBundledMnistDigits() throws IOException {
        ImageWorkload digits = ImageWorkload.of(Mnist.bundled());
        assertThat(digits.datasetName()).isEqualTo("mnist-10k");
        assertThat(digits.shape()).isEqualTo(ImageShape.MNIST);
        ExperimentHparams hp = ExperimentHparams.builder().dataset(DatasetHparams.builder().name("mnist-10k").build())
                .model(new ModelHparams("conv2")).build();
        MultiLayerNetwork conv2 = (MultiLayerNetwork) digits.createNetwork(hp);
        INDArray out = conv2.output(digits.test().getFeatures().getRows(0, 1));
        assertThat(out.shape()).containsExactly(2, 10);
        assertThat(out.sum(1).toDoubleVector()).containsExactly(new double[] {1, 1}, within(1e-5)); // softmax
    }

    @Test
    void theWorkloadChecksTheDataNameAndShape() {
        ImageShape tiny = new ImageShape(1, 4, 4);
        DataSet data = TicketChecks.randomImages(tiny, 4, 1);
        ImageWorkload w = new ImageWorkload("tiny", tiny, data, data);
        ExperimentHparams hp = ExperimentHparams.builder()
                .dataset(DatasetHparams.builder().name("cifar10").build()).model(new ModelHparams("conv2")).build();
        assertThatThrownBy(() -> w.loadData(hp)).hasMessage("this workload holds tiny, not cifar10");
        assertThatThrownBy(() -> new ImageWorkload("mnist-10k", ImageShape.CIFAR10, data, data))
                .hasMessage("mnist-10k features of shape [4, 16] are not flat images of shape 3x32x32");
    }
}

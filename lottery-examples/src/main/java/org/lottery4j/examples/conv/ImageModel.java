package org.lottery4j.examples.conv;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.hparams.Optimizer;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.hparams.WeightDecayStyle;

/**
 * The convolutional models of the examples, by the name {@code model.name} gives them in the
 * hyperparameters, with the settings of the papers they come from. Each builds for any
 * {@link ImageShape}, so the same models train on MNIST digits (1x28x28) and CIFAR-10 (3x32x32).
 *
 * <ul>
 *   <li>{@code conv2}, {@code conv4}, {@code conv6}: {@link ConvNets}, Frankle and Carbin (2019):
 *       Adam at 2e-4 / 3e-4 / 3e-4, batch 60, 20K / 25K / 30K iterations; each round prunes 20% of
 *       the dense layers, 10% of the output layer and 10% / 10% / 15% of the convolutions, layer by
 *       layer.
 *   <li>{@code resnet20}: {@link ResNet20}, He et al. (2016): SGD with momentum 0.9, learning rate
 *       0.1 divided by 10 at 32K and 48K iterations of 64K, L2 weight decay 1e-4, batch 128; each
 *       round prunes 20% of all convolution and output weights together (global magnitude pruning,
 *       as Frankle et al. 2020).
 * </ul>
 *
 * <pre>{@code
 * ImageModel m = ImageModel.forName(hp.model().name());        // "conv2"
 * Model net = m.network(ImageShape.CIFAR10, hp.training().seed());
 * TrainingHparams paper = m.paperTraining().toBuilder().seed(7).build();
 * }</pre>
 */
public enum ImageModel {
    /** Conv-2: 64, 64 filters, then 256-256-10. */
    CONV2("conv2", 1, 60, 2e-4, "20000it", 0.1),
    /** Conv-4: 64, 64, 128, 128 filters, then 256-256-10. */
    CONV4("conv4", 2, 60, 3e-4, "25000it", 0.1),
    /** Conv-6: 64, 64, 128, 128, 256, 256 filters, then 256-256-10. */
    CONV6("conv6", 3, 60, 3e-4, "30000it", 0.15),
    /** ResNet-20: a {@code ComputationGraph} with batch normalization. */
    RESNET20("resnet20", 0, 128, 0.1, "64000it", Double.NaN);

    private final String modelName;
    private final int pairs; // of convolutions, in Conv-2/4/6; 0 for ResNet-20
    private final int paperBatchSize;
    private final double learningRate;
    private final String budget;
    private final double convFraction;

    ImageModel(String modelName, int pairs, int paperBatchSize, double learningRate, String budget, double convFraction) {
        this.modelName = modelName;
        this.pairs = pairs;
        this.paperBatchSize = paperBatchSize;
        this.learningRate = learningRate;
        this.budget = budget;
        this.convFraction = convFraction;
    }

    /** The name in the hyperparameters ({@code model.name}) and on the command line, such as {@code conv2}. */
    public String modelName() {
        return modelName;
    }

    /**
     * The model {@code model.name} names.
     *
     * @throws IllegalArgumentException naming the value and the known names
     */
    public static ImageModel forName(String name) {
        for (ImageModel m : values()) {
            if (m.modelName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown convolutional model '" + name + "'; the models are "
                + Arrays.stream(values()).map(ImageModel::modelName).toList());
    }

    /** An initialized network for images of {@code shape}, its weights drawn from {@code seed}. */
    public Model network(ImageShape shape, long seed) {
        return this == RESNET20 ? ResNet20.network(shape, seed) : ConvNets.network(pairs, shape, seed);
    }

    /** The batch size of the paper. */
    public int paperBatchSize() {
        return paperBatchSize;
    }

    /** The paper's optimizer, learning rate, schedule, weight decay and training budget (seed 0). */
    public TrainingHparams paperTraining() {
        TrainingHparams.Builder b = TrainingHparams.builder().learningRate(learningRate).budget(budget);
        if (this == RESNET20) {
            b.optimizer(Optimizer.MOMENTUM).momentum(0.9).schedule("step(milestones=[32000it,48000it],factor=0.1)")
                    .weightDecay(1e-4).weightDecayStyle(WeightDecayStyle.L2);
        } else {
            b.optimizer(Optimizer.ADAM);
        }
        return b.build();
    }

    /** The paper's pruning per round (rewinding to initialization; one round). */
    public PruningHparams paperPruning() {
        if (this == RESNET20) {
            return PruningHparams.builder().scope("global").fraction(0.2).build();
        }
        StringBuilder fractions = new StringBuilder();
        for (int i = 1; i <= 2 * pairs; i++) {
            fractions.append("conv").append(i).append('=').append(convFraction).append(", ");
        }
        return PruningHparams.builder().fraction(0.2)
                .scope("layerwise fractions={" + fractions + "output=0.1}").build();
    }
}

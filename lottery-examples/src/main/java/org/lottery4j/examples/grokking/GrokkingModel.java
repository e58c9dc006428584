package org.lottery4j.examples.grokking;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.lottery4j.experiment.Evaluation;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The networks the {@code grokking} command trains on {@link ModularArithmetic}'s one-hot pairs,
 * each with its own loss and default width, learning rate and training fraction. Both train with Adam, betas 0.9 and
 * 0.98, and decoupled weight decay (PyTorch's AdamW), weights uniform in +-1/sqrt(fan in) as
 * PyTorch's {@code Linear} starts them.
 *
 * <pre>{@code
 * MultiLayerNetwork net = GrokkingModel.parse("embed-relu").build(97, 512, 3e-3, 1.0, 1);
 * }</pre>
 */
public enum GrokkingModel {
    /**
     * Gromov (2023): one-hot {@code a} and {@code b} to {@code width} units squared
     * ({@link ActivationSquare}) to {@code p} outputs, no biases, mean squared error on one-hot targets.
     */
    QUADRATIC("quadratic", 500, 3e-3, 0.25),
    /**
     * Learned embeddings into a ReLU MLP: a linear layer without bias from the {@code 2p} one-hot
     * inputs to 128 values (an embedding of {@code a} plus one of {@code b}), {@code width} ReLU
     * units with biases, softmax over {@code p} outputs with cross-entropy.
     */
    EMBED_RELU("embed-relu", 512, 3e-3, 0.35);

    /** The embedding size of {@link #EMBED_RELU}. */
    public static final int EMBEDDING = 128;

    private final String text;
    private final int defaultWidth;
    private final double defaultLearningRate;
    private final double defaultTrainFraction;

    GrokkingModel(String text, int defaultWidth, double defaultLearningRate, double defaultTrainFraction) {
        this.text = text;
        this.defaultWidth = defaultWidth;
        this.defaultLearningRate = defaultLearningRate;
        this.defaultTrainFraction = defaultTrainFraction;
    }

    /** The name on the command line, such as {@code embed-relu}. */
    public String text() {
        return text;
    }

    /** Hidden units unless told otherwise. */
    public int defaultWidth() {
        return defaultWidth;
    }

    /** Adam's learning rate unless told otherwise. */
    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    /**
     * The fraction of pairs to train on unless told otherwise: one with which this model groks
     * within the default 3,000 steps (memorization early, generalization at least 10 times later).
     */
    public double defaultTrainFraction() {
        return defaultTrainFraction;
    }

    /** The model named {@code text} ({@code quadratic} or {@code embed-relu}, any case). */
    public static GrokkingModel parse(String text) {
        for (GrokkingModel m : values()) {
            if (m.text.equalsIgnoreCase(text == null ? "" : text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("model must be one of "
                + Arrays.stream(values()).map(GrokkingModel::text).collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }

    /** An initialized network for modulus {@code p}. */
    public MultiLayerNetwork build(int p, int width, double learningRate, double weightDecay, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(learningRate, 0.9, 0.98, 1e-8)).weightInit(WeightInit.UNIFORM);
        if (weightDecay > 0) {
            b.weightDecay(weightDecay, true); // applied as lr * wd * w after Adam's step, biases included
        }
        NeuralNetConfiguration.ListBuilder list = switch (this) {
            case QUADRATIC -> b.list()
                    .layer(new DenseLayer.Builder().name("hidden").nIn(2L * p).nOut(width).hasBias(false)
                            .activation(new ActivationSquare()).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("output").nIn(width).nOut(p)
                            .hasBias(false).activation(Activation.IDENTITY).build());
            case EMBED_RELU -> b.list()
                    .layer(new DenseLayer.Builder().name("embedding").nIn(2L * p).nOut(EMBEDDING).hasBias(false)
                            .activation(Activation.IDENTITY).build())
                    .layer(new DenseLayer.Builder().name("hidden").nIn(EMBEDDING).nOut(width)
                            .activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(width).nOut(p)
                            .activation(Activation.SOFTMAX).build());
        };
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * The data loss of {@code output} against one-hot {@code labels}, averaged over examples as
     * DL4J's loss does, without the weight decay that DL4J's score adds: mean squared error over
     * examples and outputs, or cross-entropy.
     */
    public double dataLoss(INDArray output, INDArray labels) {
        return switch (this) {
            case QUADRATIC -> {
                INDArray diff = output.sub(labels);
                yield diff.muli(diff).meanNumber().doubleValue();
            }
            case EMBED_RELU -> Evaluation.crossEntropy(output, labels);
        };
    }

    /**
     * The network's outputs before the softmax on {@code features}: the quadratic model's outputs
     * as they are, the embedding model's output layer without its softmax.
     */
    public INDArray logits(MultiLayerNetwork net, INDArray features) {
        return switch (this) {
            case QUADRATIC -> net.output(features, false);
            case EMBED_RELU -> {
                INDArray hidden = net.feedForwardToLayer(1, features, false).get(2);
                yield hidden.mmul(net.getLayer(2).getParam("W")).addiRowVector(net.getLayer(2).getParam("b"));
            }
        };
    }

    /** The network's outputs from its {@link #logits}: the same, or their softmax. */
    private INDArray outputs(INDArray logits) {
        return this == EMBED_RELU ? Transforms.softmax(logits, true) : logits;
    }

    /**
     * The data loss of {@link #logits} {@code logits[row][c]} against the classes {@code labels[row]}:
     * mean squared error against one-hot targets, or softmax cross-entropy, as {@link #dataLoss}.
     */
    public double logitLoss(double[][] logits, int[] labels) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double[] v = logits[i];
            int label = labels[i];
            switch (this) {
                case QUADRATIC -> {
                    for (int c = 0; c < v.length; c++) {
                        double d = v[c] - (c == label ? 1 : 0);
                        sum += d * d / v.length;
                    }
                }
                case EMBED_RELU -> {
                    double max = java.util.Arrays.stream(v).max().orElse(0);
                    double exp = 0;
                    for (double x : v) {
                        exp += Math.exp(x - max);
                    }
                    sum += max + Math.log(exp) - v[label];
                }
            }
        }
        return sum / logits.length;
    }

    /**
     * What a grokking run records at each point: train and test accuracy, the data loss of each
     * ({@link #dataLoss}, without the weight decay term that DL4J's score adds), and the weight norm.
     */
    public TrainingLoop.Evaluator evaluator(MultiLayerNetwork net, ModularArithmetic.Split split) {
        return evaluator(net, split, null);
    }

    /** What sees the {@link #logits} of the training and test pairs at each recorded point. */
    @FunctionalInterface
    public interface LogitsListener {
        void logits(long step, INDArray train, INDArray test);
    }

    /**
     * As {@link #evaluator(MultiLayerNetwork, ModularArithmetic.Split)}, and {@code listener}, if
     * not null, gets the logits of each point (one forward pass per set serves both).
     */
    public TrainingLoop.Evaluator evaluator(MultiLayerNetwork net, ModularArithmetic.Split split, LogitsListener listener) {
        return step -> {
            INDArray trainLogits = logits(net, split.train().getFeatures());
            INDArray testLogits = logits(net, split.test().getFeatures());
            if (listener != null) {
                listener.logits(step, trainLogits, testLogits);
            }
            INDArray train = outputs(trainLogits);
            INDArray test = outputs(testLogits);
            return CurvePoint.at(step)
                    .withTrain(dataLoss(train, split.train().getLabels()), accuracy(train, split.train()))
                    .withTest(dataLoss(test, split.test().getLabels()), accuracy(test, split.test()))
                    .withWeightNorm(net.params().norm2Number().doubleValue());
        };
    }

    private static double accuracy(INDArray output, DataSet data) {
        return (double) Evaluation.correct(output, data.getLabels()) / data.numExamples();
    }

    @Override
    public String toString() {
        return text.toLowerCase(Locale.ROOT);
    }
}

package org.lottery4j.examples.descent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.lottery4j.examples.mnist.LabelNoise;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.experiment.Evaluation;
import org.lottery4j.hparams.Step;
import org.lottery4j.training.Batches;
import org.lottery4j.training.Cadence;
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One point of a double-descent sweep: an MLP of one width trained on noisy digits with one seed,
 * its errors at the end (no early stopping), and its errors along the way at
 * {@link #CURVE_PER_DECADE} epochs per decade (epoch-wise double descent).
 *
 * <pre>{@code
 * WidthRun.Result r = WidthRun.train(hp, Mnist.bundled(), 64, 1);
 * r.trainError();   // on the noisy labels it was trained on: near 0 once it interpolates
 * r.testError();    // on the clean test digits
 * }</pre>
 */
public final class WidthRun {

    /** Evaluations per decade of epochs on the epoch-wise curve ({@link Cadence#logSpacedSteps}). */
    public static final int CURVE_PER_DECADE = 10;

    private WidthRun() {}

    /**
     * The errors after {@code epoch} epochs.
     *
     * @param epoch epochs trained (0: at initialization)
     * @param trainError error on the training digits with their noisy labels
     * @param testError error on the clean test digits
     */
    public record EpochPoint(
            @JsonProperty("epoch") int epoch,
            @JsonProperty("train_error") double trainError,
            @JsonProperty("test_error") double testError) {}

    /**
     * What a run leaves in {@code runs/w<width>-s<seed>.json}.
     *
     * @param width hidden units
     * @param seed the seed of the noise, the initial weights and the batch order
     * @param parameters the network's parameter count
     * @param trainError error on the training digits with their noisy labels
     * @param trainLoss the sweep's loss on them (cross-entropy, or squared error summed over the
     *     classes), averaged over the digits
     * @param noisyFitted fraction of the relabelled digits predicted as their noisy label (memorized noise)
     * @param testError error on the clean test digits
     * @param testLoss the sweep's loss on them
     * @param seconds training time, evaluations included
     * @param curve the errors at 0 and after {@link Cadence#logSpacedSteps} epochs, the last
     *     included ({@code null} in runs saved before it was recorded)
     */
    public record Result(
            @JsonProperty("width") int width,
            @JsonProperty("seed") long seed,
            @JsonProperty("parameters") long parameters,
            @JsonProperty("train_error") double trainError,
            @JsonProperty("train_loss") double trainLoss,
            @JsonProperty("noisy_fitted") double noisyFitted,
            @JsonProperty("test_error") double testError,
            @JsonProperty("test_loss") double testLoss,
            @JsonProperty("seconds") double seconds,
            @JsonProperty("curve") List<EpochPoint> curve) {

        public Result {
            curve = curve == null ? null : List.copyOf(curve);
        }
    }

    /**
     * The network of {@code width} hidden ReLU units and 10 outputs (softmax for cross-entropy,
     * linear for squared error), trained with the sweep's optimizer, no regularization; for random
     * features the hidden layer keeps its initial weights (learning rate 0).
     */
    public static MultiLayerNetwork network(DoubleDescentHparams hp, int width, long seed) {
        boolean squared = hp.loss() == DoubleDescentHparams.Loss.SQUARED;
        // DL4J's MSE averages over the outputs; L2 sums over them, the usual squared loss of a one-hot target
        OutputLayer.Builder output = squared
                ? new OutputLayer.Builder(LossFunctions.LossFunction.L2).activation(Activation.IDENTITY)
                : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX);
        IUpdater updater = hp.optimizer().updater(hp.learningRate(), DoubleDescentHparams.MOMENTUM);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(hidden(hp, width))
                .layer(output.name("output").nIn(width).nOut(DoubleDescentHparams.CLASSES).build())
                .build());
        net.init();
        return net;
    }

    private static DenseLayer hidden(DoubleDescentHparams hp, int width) {
        DenseLayer.Builder b = new DenseLayer.Builder().name("hidden").nIn(DoubleDescentHparams.INPUTS).nOut(width)
                .activation(Activation.RELU);
        if (hp.hidden() == DoubleDescentHparams.Hidden.RANDOM) {
            // a rate of 0 keeps the weights exactly; DL4J M2.1's NoOp updater here slowed the output layer's Adam
            // (squared loss 0.79 against 0.47 after 40 epochs at width 200 in a probe)
            b.updater(new Sgd(0.0));
        }
        return b.build();
    }

    /** The first {@code trainExamples} training digits of {@code digits}, with the seed's noisy labels. */
    public static LabelNoise.Noisy trainingData(DoubleDescentHparams hp, Mnist digits, long seed) {
        DataSet all = digits.train();
        if (hp.trainExamples() > all.numExamples()) {
            throw new IllegalArgumentException("doubleDescent.trainExamples " + hp.trainExamples() + " is more than the "
                    + all.numExamples() + " training digits of " + digits.name());
        }
        DataSet first = new DataSet(
                all.getFeatures().get(NDArrayIndex.interval(0, hp.trainExamples()), NDArrayIndex.all()).castTo(DataType.FLOAT),
                all.getLabels().get(NDArrayIndex.interval(0, hp.trainExamples()), NDArrayIndex.all()).castTo(DataType.FLOAT));
        return LabelNoise.apply(first, hp.labelNoise(), seed);
    }

    /** Trains the MLP of {@code width} units with {@code seed} for the sweep's epochs and measures it. */
    public static Result train(DoubleDescentHparams hp, Mnist digits, int width, long seed) {
        long start = System.nanoTime();
        LabelNoise.Noisy noisy = trainingData(hp, digits, seed);
        MultiLayerNetwork net = network(hp, width, seed);
        Random random = new Random(seed); // one stream for the orders of every epoch
        int n = noisy.data().numExamples();
        DataSet test = digits.test();
        DataSet clean = new DataSet(test.getFeatures().castTo(DataType.FLOAT), test.getLabels().castTo(DataType.FLOAT));
        Set<Long> evaluated = new HashSet<>(Cadence.logSpacedSteps(CURVE_PER_DECADE, hp.epochs()));
        List<EpochPoint> curve = new ArrayList<>();
        curve.add(point(hp, net, 0, noisy.data(), clean));
        TrainingLoop.builder(net)
                .batches(Batches.inOrder(noisy.data(), hp.batchSize(), epoch -> Batches.permutation(n, random)))
                .budget(Step.ofEpochs(hp.epochs()))
                .onEpochEnd(epoch -> {
                    if (epoch + 1 < hp.epochs() && evaluated.contains((long) epoch + 1)) {
                        curve.add(point(hp, net, epoch + 1, noisy.data(), clean));
                    }
                })
                .build()
                .run();
        double[] train = errorAndLoss(hp, net, noisy.data());
        double[] tested = errorAndLoss(hp, net, clean);
        curve.add(new EpochPoint(hp.epochs(), train[0], tested[0])); // the last epoch: the result, measured once
        return new Result(width, seed, net.numParams(), train[0], train[1], noisyFitted(net, noisy), tested[0], tested[1],
                (System.nanoTime() - start) / 1e9, curve);
    }

    private static EpochPoint point(DoubleDescentHparams hp, MultiLayerNetwork net, int epoch, DataSet train, DataSet test) {
        return new EpochPoint(epoch, errorAndLoss(hp, net, train)[0], errorAndLoss(hp, net, test)[0]);
    }

    // error rate and the sweep's loss, averaged over the examples
    static double[] errorAndLoss(DoubleDescentHparams hp, MultiLayerNetwork net, DataSet data) {
        INDArray out = net.output(data.getFeatures());
        INDArray labels = data.getLabels();
        double loss = hp.loss() == DoubleDescentHparams.Loss.SQUARED
                ? out.squaredDistance(labels) / data.numExamples()
                : Evaluation.crossEntropy(out, labels);
        return new double[] {1 - (double) Evaluation.correct(out, labels) / data.numExamples(), loss};
    }

    private static double noisyFitted(MultiLayerNetwork net, LabelNoise.Noisy noisy) {
        if (noisy.changed().length == 0) {
            return Double.NaN;
        }
        INDArray x = noisy.data().getFeatures().getRows(noisy.changed());
        INDArray y = noisy.data().getLabels().getRows(noisy.changed());
        return (double) Evaluation.correct(net.output(x), y) / noisy.changed().length;
    }
}

package org.lottery4j.examples.descent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Random;
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
import org.lottery4j.training.TrainingLoop;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One point of a double-descent sweep: an MLP of one width trained on noisy digits with one seed,
 * and its errors at the end (no early stopping).
 *
 * <pre>{@code
 * WidthRun.Result r = WidthRun.train(hp, Mnist.bundled(), 64, 1);
 * r.trainError();   // on the noisy labels it was trained on: near 0 once it interpolates
 * r.testError();    // on the clean test digits
 * }</pre>
 */
public final class WidthRun {

    private WidthRun() {}

    /**
     * What a run leaves in {@code runs/w<width>-s<seed>.json}.
     *
     * @param width hidden units
     * @param seed the seed of the noise, the initial weights and the batch order
     * @param parameters the network's parameter count
     * @param trainError error on the training digits with their noisy labels
     * @param trainLoss cross-entropy on them
     * @param noisyFitted fraction of the relabelled digits predicted as their noisy label (memorized noise)
     * @param testError error on the clean test digits
     * @param testLoss cross-entropy on them
     * @param seconds training time
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
            @JsonProperty("seconds") double seconds) {}

    /** The network of {@code width} hidden ReLU units, softmax over the 10 classes, Adam, no regularization. */
    public static MultiLayerNetwork network(DoubleDescentHparams hp, int width, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Adam(hp.learningRate())).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(DoubleDescentHparams.INPUTS).nOut(width)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(width)
                        .nOut(DoubleDescentHparams.CLASSES).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
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
        TrainingLoop.builder(net)
                .batches(Batches.inOrder(noisy.data(), hp.batchSize(), epoch -> Batches.permutation(n, random)))
                .budget(Step.ofEpochs(hp.epochs()))
                .build()
                .run();
        double[] train = errorAndLoss(net, noisy.data());
        DataSet test = digits.test();
        double[] tested = errorAndLoss(net, new DataSet(test.getFeatures().castTo(DataType.FLOAT),
                test.getLabels().castTo(DataType.FLOAT)));
        return new Result(width, seed, net.numParams(), train[0], train[1], noisyFitted(net, noisy), tested[0], tested[1],
                (System.nanoTime() - start) / 1e9);
    }

    // error rate and mean cross-entropy
    private static double[] errorAndLoss(MultiLayerNetwork net, DataSet data) {
        INDArray out = net.output(data.getFeatures());
        INDArray labels = data.getLabels();
        return new double[] {1 - (double) Evaluation.correct(out, labels) / data.numExamples(),
                Evaluation.crossEntropy(out, labels)};
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

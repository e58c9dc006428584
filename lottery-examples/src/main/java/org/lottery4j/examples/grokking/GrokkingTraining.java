package org.lottery4j.examples.grokking;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Full-batch training of a grokking model, recording its curve on a {@link LogCadence}: train and
 * test accuracy, the data loss of each (mean squared error, without the weight decay term that
 * DL4J's score adds) and the weight norm. Work of issue 14, in progress: the command and its
 * defaults come next.
 *
 * <pre>{@code
 * ModularArithmetic.Split split = new ModularArithmetic(97, ModularArithmetic.Operation.ADD, 0.25, 1).split();
 * MultiLayerNetwork net = GrokkingTraining.quadraticMlp(97, 500, 3e-3, 1.0, 1);
 * GrokkingTraining.Result r = GrokkingTraining.train(net, split, 3_000, new LogCadence(20));
 * r.phases().ratio();   // about 30: test accuracy reaches 99% some 30 times later than train accuracy
 * }</pre>
 */
public final class GrokkingTraining {

    /**
     * A run's curve and phases.
     *
     * @param curve the recorded points, ascending
     * @param phases memorization and generalization, as {@link GrokkingPhases#detect} finds them at 99%
     */
    public record Result(List<CurvePoint> curve, GrokkingPhases phases) {}

    private GrokkingTraining() {}

    /**
     * The quadratic MLP (Gromov 2023): one-hot {@code a} and {@code b} ({@code 2p} inputs) to
     * {@code width} units squared, to {@code p} outputs, no biases, mean squared error on one-hot
     * targets; Adam with betas 0.9 and 0.98 and decoupled weight decay (as PyTorch's AdamW);
     * weights uniform in +-1/sqrt(fan in), as PyTorch's {@code Linear} starts them.
     */
    public static MultiLayerNetwork quadraticMlp(int p, int width, double learningRate, double weightDecay, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(learningRate, 0.9, 0.98, 1e-8)).weightInit(WeightInit.UNIFORM);
        if (weightDecay > 0) {
            b.weightDecay(weightDecay, true); // applied as lr * wd * w, apart from Adam's step
        }
        MultiLayerConfiguration conf = b.list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(2L * p).nOut(width).hasBias(false)
                        .activation(new ActivationSquare()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("output").nIn(width).nOut(p)
                        .hasBias(false).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Trains {@code net} for {@code steps} full-batch steps on the training pairs, recording on {@code cadence}. */
    public static Result train(MultiLayerNetwork net, ModularArithmetic.Split split, long steps, LogCadence cadence) {
        List<Long> recorded = cadence.steps(steps);
        List<CurvePoint> curve = new ArrayList<>();
        curve.add(point(net, split, 0));
        int next = 0;
        for (long step = 1; step <= steps; step++) {
            net.fit(split.train());
            if (step == recorded.get(next)) {
                curve.add(point(net, split, step));
                next++;
            }
        }
        return new Result(List.copyOf(curve), GrokkingPhases.detect(curve, GrokkingPhases.THRESHOLD));
    }

    static CurvePoint point(MultiLayerNetwork net, ModularArithmetic.Split split, long step) {
        double[] train = evaluate(net, split.train());
        double[] test = evaluate(net, split.test());
        return new CurvePoint(step, train[0], test[0], train[1], test[1], net.params().norm2Number().doubleValue());
    }

    // accuracy, and mean squared error over examples and outputs (DL4J's MSE loss without regularization)
    private static double[] evaluate(MultiLayerNetwork net, DataSet data) {
        INDArray out = net.output(data.getFeatures());
        INDArray labels = data.getLabels();
        double correct = out.argMax(1).eq(labels.argMax(1)).castTo(DataType.INT).sumNumber().doubleValue();
        INDArray diff = out.sub(labels);
        double mse = diff.muli(diff).meanNumber().doubleValue();
        return new double[] {correct / data.numExamples(), mse};
    }
}

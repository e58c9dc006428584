package org.lottery4j.examples.grokking;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.examples.OutputScores;
import org.lottery4j.runtime.GarbageCollection;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Full-batch training of a grokking model, recording its curve on a {@link LogCadence}: train and
 * test accuracy, the data loss of each (without the weight decay term that DL4J's score adds) and
 * the weight norm. Masks a {@code LotteryTicket} attached to the network hold through it, as
 * through any {@code fit}.
 *
 * <pre>{@code
 * GrokkingHparams hp = GrokkingHparams.DEFAULTS;   // p 97, +, 25% of pairs, quadratic MLP, weight decay 1
 * GrokkingTraining.Result r = GrokkingTraining.train(hp.network(), hp.model(), hp.task().split(), hp.steps(),
 *         new LogCadence(40), point -> {}, false);
 * r.phases().ratio();   // about 30: test accuracy reaches 99% some 30 times later than train accuracy
 * }</pre>
 */
public final class GrokkingTraining {

    /**
     * A run's curve and phases.
     *
     * @param curve the recorded points, ascending, from step 0
     * @param phases memorization and generalization, as {@link GrokkingPhases#detect} finds them at 99%
     * @param seconds the time training and recording took
     */
    public record Result(List<CurvePoint> curve, GrokkingPhases phases, double seconds) {

        /** The last recorded point. */
        public CurvePoint last() {
            return curve.get(curve.size() - 1);
        }
    }

    private GrokkingTraining() {}

    /**
     * Trains {@code net} for up to {@code steps} full-batch steps on the training pairs, recording
     * on {@code cadence} and handing each point to {@code onPoint} as it is recorded; with
     * {@code untilGeneralized}, stops at the first recorded point at which test accuracy reaches
     * 99%.
     */
    public static Result train(MultiLayerNetwork net, GrokkingModel model, ModularArithmetic.Split split, long steps,
            LogCadence cadence, Consumer<CurvePoint> onPoint, boolean untilGeneralized) {
        long start = System.nanoTime();
        List<Long> recorded = cadence.steps(steps);
        List<CurvePoint> curve = new ArrayList<>();
        CurvePoint first = point(net, model, split, 0);
        curve.add(first);
        onPoint.accept(first);
        int next = 0;
        for (long step = 1; step <= steps; step++) {
            net.fit(split.train());
            GarbageCollection.DEFAULT.tick(); // frees dead arrays' native memory, which nothing else would
            if (step == recorded.get(next)) {
                CurvePoint p = point(net, model, split, step);
                curve.add(p);
                onPoint.accept(p);
                next++;
                if (untilGeneralized && p.testAccuracy() >= GrokkingPhases.THRESHOLD) {
                    break;
                }
            }
        }
        return new Result(List.copyOf(curve), GrokkingPhases.detect(curve, GrokkingPhases.THRESHOLD),
                (System.nanoTime() - start) / 1e9);
    }

    static CurvePoint point(MultiLayerNetwork net, GrokkingModel model, ModularArithmetic.Split split, long step) {
        double[] train = evaluate(net, model, split.train());
        double[] test = evaluate(net, model, split.test());
        return new CurvePoint(step, train[0], test[0], train[1], test[1], net.params().norm2Number().doubleValue());
    }

    // accuracy, and the model's data loss
    private static double[] evaluate(MultiLayerNetwork net, GrokkingModel model, DataSet data) {
        INDArray out = net.output(data.getFeatures());
        INDArray labels = data.getLabels();
        return new double[] {(double) OutputScores.correct(out, labels) / data.numExamples(), model.dataLoss(out, labels)};
    }
}

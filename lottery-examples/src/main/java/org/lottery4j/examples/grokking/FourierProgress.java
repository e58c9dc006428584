package org.lottery4j.examples.grokking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.results.CurvePoint;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fourier progress measures over a grokking run (Nanda et al. 2023). At every recorded point,
 * {@link #evaluator} keeps, from the logits the curve's evaluation computes anyway, their sums over
 * the pairs of each {@code s} (a {@code p x p} matrix per set) and a copy of the parameters (a few
 * hundred KB). Once the run has ended, {@link #measure} computes at each point the first layer's
 * spectrum and the losses of the outputs kept to, or stripped of, the final network's key
 * frequencies ({@link #keyFrequencies}), known only at the end. For the mean squared error those
 * losses follow exactly from the sums and the curve's own loss; the embedding model's
 * cross-entropy of the stripped outputs needs each pair's outputs again, one forward pass per point.
 *
 * <pre>{@code
 * FourierProgress progress = new FourierProgress(hp, net, split);
 * TrainingLoop.Result r = hp.training(net, split, progress).build().run();
 * List<FourierPoint> points = progress.measure(r.curve());
 * }</pre>
 */
public final class FourierProgress implements GrokkingModel.LogitsListener {

    /** The share of the final outputs' energy along (s - c) frequencies that the key frequencies hold. */
    public static final double KEY_ENERGY = 0.9;

    private final GrokkingHparams hp;
    private final MultiLayerNetwork net;
    private final ModularArithmetic.Split split;
    private final FourierMeasures fourier;
    private final boolean additive;
    private final int[] trainKeys;
    private final int[] testKeys;
    private final List<Long> steps = new ArrayList<>();
    private final List<INDArray> params = new ArrayList<>();
    private final List<double[][]> trainSums = new ArrayList<>();
    private final List<double[][]> testSums = new ArrayList<>();
    private int[] keys;
    private long recordNanos;
    private long measureNanos;

    /** Records {@code net}, trained by {@code hp}'s run on {@code split}. */
    public FourierProgress(GrokkingHparams hp, MultiLayerNetwork net, ModularArithmetic.Split split) {
        this.hp = hp;
        this.net = net;
        this.split = split;
        this.fourier = new FourierMeasures(hp.p());
        // multiplication's structure is not in the Fourier basis of Z_p: its losses are not measured
        this.additive = hp.operation() != ModularArithmetic.Operation.MULTIPLY;
        this.trainKeys = sums(split.train());
        this.testKeys = sums(split.test());
    }

    /** The curve's evaluator for {@code hp}'s model, giving this its logits. */
    public org.lottery4j.training.TrainingLoop.Evaluator evaluator() {
        return hp.model().evaluator(net, split, this);
    }

    @Override
    public void logits(long step, INDArray train, INDArray test) {
        long start = System.nanoTime();
        steps.add(step);
        params.add(net.params().dup());
        if (additive) {
            trainSums.add(fourier.bySum(flat(train), trainKeys));
            testSums.add(fourier.bySum(flat(test), testKeys));
        }
        recordNanos += System.nanoTime() - start;
    }

    /** Seconds spent recording during training and measuring after it: the measures' overhead. */
    public double seconds() {
        return (recordNanos + measureNanos) / 1e9;
    }

    /** Seconds spent in {@link #measure}, after training. */
    public double measureSeconds() {
        return measureNanos / 1e9;
    }

    /** The key frequencies {@link #measure} used: none before it, or for multiplication. */
    public int[] keys() {
        return keys == null ? new int[0] : keys.clone();
    }

    /**
     * The measures at every recorded point of {@code curve} (the curve the evaluator recorded), with
     * the key frequencies of its last point: the fewest of the outputs' frequencies along
     * {@code cos} and {@code sin} of {@code 2 pi f (s - c) / p} that hold {@link #KEY_ENERGY} of
     * their energy, strongest first. Leaves the network with its final parameters. The losses are
     * {@code NaN} for multiplication.
     */
    public List<FourierPoint> measure(List<CurvePoint> curve) {
        if (curve.size() != steps.size()) {
            throw new IllegalArgumentException(curve.size() + " curve points for " + steps.size() + " recorded ones");
        }
        long start = System.nanoTime();
        INDArray finalParams = net.params().dup();
        int last = steps.size() - 1;
        keys = additive ? fourier.keyFrequencies(fourier.outputEnergy(all(last)), KEY_ENERGY) : new int[0];
        int[] trainLabels = split.train().getLabels().argMax(1).toIntVector();
        int[] testLabels = split.test().getLabels().argMax(1).toIntVector();
        List<FourierPoint> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            net.setParams(params.get(i));
            FourierMeasures.Spectrum spectrum = fourier.spectrum(rows(net.getLayer(0).getParam("W")));
            double restrictedTest = Double.NaN;
            double excludedTest = Double.NaN;
            double excludedTrain = Double.NaN;
            if (additive) {
                FourierMeasures.Components parts = fourier.components(all(i), keys);
                restrictedTest = hp.model().logitLoss(parts.restricted(testKeys), testLabels);
                if (hp.model() == GrokkingModel.QUADRATIC) {
                    excludedTest = excludedSquaredError(parts, testSums.get(i), testKeys, curve.get(i).testLoss());
                    excludedTrain = excludedSquaredError(parts, trainSums.get(i), trainKeys, curve.get(i).trainLoss());
                } else {
                    double[][] train = rows(hp.model().logits(net, split.train().getFeatures()));
                    double[][] test = rows(hp.model().logits(net, split.test().getFeatures()));
                    excludedTest = hp.model().logitLoss(parts.excluded(test, testKeys), testLabels);
                    excludedTrain = hp.model().logitLoss(parts.excluded(train, trainKeys), trainLabels);
                }
            }
            out.add(new FourierPoint(steps.get(i), spectrum.concentration(), spectrum.dominantFrequencies(),
                    spectrum.topShare(), restrictedTest, excludedTest, excludedTrain, spectrum.shares()));
        }
        net.setParams(finalParams);
        measureNanos += System.nanoTime() - start;
        return out;
    }

    /**
     * The mean squared error of outputs {@code O} stripped of the key part {@code K}, against one-hot
     * targets at each pair's {@code s} (its label): from the error of {@code O} itself, {@code loss},
     * and the outputs summed by {@code s}, {@code G}, since with {@code n(s)} pairs of each {@code s},
     * {@code sum (O - K - Y)^2 = sum (O - Y)^2 - 2 sum_{s,c} K (G - n(s) [c = s]) + sum_s n(s) sum_c K^2}.
     */
    private double excludedSquaredError(FourierMeasures.Components parts, double[][] bySum, int[] keyOf, double loss) {
        int p = hp.p();
        long[] count = new long[p];
        for (int s : keyOf) {
            count[s]++;
        }
        double[][] k = parts.along();
        double cross = 0;
        double squares = 0;
        for (int s = 0; s < p; s++) {
            for (int c = 0; c < p; c++) {
                cross += k[s][c] * (bySum[s][c] - (c == s ? count[s] : 0));
                squares += count[s] * k[s][c] * k[s][c];
            }
        }
        double cells = (double) keyOf.length * p;
        return (loss * cells - 2 * cross + squares) / cells;
    }

    /** G of all pairs at point {@code i}. */
    private double[][] all(int i) {
        double[][] train = trainSums.get(i);
        double[][] test = testSums.get(i);
        double[][] sum = new double[train.length][];
        for (int s = 0; s < sum.length; s++) {
            sum[s] = train[s].clone();
            for (int c = 0; c < sum[s].length; c++) {
                sum[s][c] += test[s][c];
            }
        }
        return sum;
    }

    /** A matrix's values, row-major (ND4J's toDoubleMatrix reads element by element, 50x slower). */
    private static double[] flat(INDArray m) {
        return m.dup('c').data().asDouble();
    }

    private static double[][] rows(INDArray m) {
        double[] flat = flat(m);
        int columns = (int) m.columns();
        double[][] rows = new double[(int) m.rows()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * columns, (r + 1) * columns);
        }
        return rows;
    }

    /** Each example's {@code s}: {@code a + b} or {@code a - b} mod p, from its one-hot operands. */
    private int[] sums(DataSet data) {
        int p = hp.p();
        INDArray x = data.getFeatures();
        int[] a = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, p)).argMax(1).toIntVector();
        int[] b = x.get(NDArrayIndex.all(), NDArrayIndex.interval(p, 2 * p)).argMax(1).toIntVector();
        int[] s = new int[a.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = hp.operation() == ModularArithmetic.Operation.SUBTRACT ? Math.floorMod(a[i] - b[i], p) : (a[i] + b[i]) % p;
        }
        return s;
    }

    /**
     * The first step at which {@code values} has crossed halfway from its first value to its last
     * (reached or passed the midpoint in the direction it moved), if it moved.
     */
    public static OptionalLong halfway(long[] steps, double[] values) {
        double first = values[0];
        double last = values[values.length - 1];
        if (!(Math.abs(last - first) > 0)) {
            return OptionalLong.empty();
        }
        double mid = (first + last) / 2;
        for (int i = 0; i < values.length; i++) {
            if (last > first ? values[i] >= mid : values[i] <= mid) {
                return OptionalLong.of(steps[i]);
            }
        }
        return OptionalLong.empty();
    }
}

package org.lottery4j.examples.grokking;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The discrete Fourier basis of Z_p applied to a grokking network (Nanda et al. 2023): how the
 * first layer's weights over each operand concentrate on a few frequencies, and the parts of the
 * network's outputs along the key frequencies' directions {@code cos(2 pi f (s - c) / p)} and
 * {@code sin(...)}, where {@code s} is {@code a + b} (or {@code a - b}) and {@code c} the output.
 * Frequencies are {@code 1 .. (p - 1) / 2}: {@code f} and {@code p - f} are one real frequency, and
 * the constant component, which says nothing about {@code s}, is left out.
 *
 * <pre>{@code
 * FourierMeasures fourier = new FourierMeasures(97);
 * FourierMeasures.Spectrum s = fourier.spectrum(firstLayerWeights);  // [2p][units]
 * s.concentration();        // mean over units of the strongest frequency's share of the unit's power
 * s.strongest(5);           // the layer's 5 strongest frequencies, strongest first
 * }</pre>
 */
public final class FourierMeasures {

    private final int p;
    private final int frequencies;
    /** cos and sin of 2 pi f x / p, [f - 1][x]. */
    private final double[][] cos;
    private final double[][] sin;

    /** The measures for modulus {@code p}, an odd prime. */
    public FourierMeasures(int p) {
        if (p < 3 || p % 2 == 0) {
            throw new IllegalArgumentException("p must be an odd prime, got " + p);
        }
        this.p = p;
        this.frequencies = (p - 1) / 2;
        this.cos = new double[frequencies][p];
        this.sin = new double[frequencies][p];
        for (int f = 1; f <= frequencies; f++) {
            for (int x = 0; x < p; x++) {
                double angle = 2 * Math.PI * ((long) f * x % p) / p; // reduced: exact for large f * x
                cos[f - 1][x] = Math.cos(angle);
                sin[f - 1][x] = Math.sin(angle);
            }
        }
    }

    /** The number of non-constant frequencies, {@code (p - 1) / 2}. */
    public int frequencies() {
        return frequencies;
    }

    /**
     * The spectrum of a first layer: its weights {@code w[input][unit]} over {@code 2p} one-hot
     * inputs, operand {@code a}'s {@code p} rows then operand {@code b}'s.
     *
     * @param concentration mean over units (with any non-constant power) of the share of the unit's
     *     power in its strongest frequency: 1 when every unit is one frequency
     * @param dominantFrequencies how many distinct frequencies are some unit's strongest
     * @param topShare the share of the layer's power in its 5 strongest frequencies
     * @param shares the layer's power share of each frequency, {@code [f - 1]}, summing to 1
     */
    public record Spectrum(double concentration, int dominantFrequencies, double topShare, double[] shares) {

        /** How many of the strongest frequencies {@link #topShare} counts. */
        public static final int TOP = 5;

        /** The {@code k} frequencies with the largest shares, strongest first (ties: lower first). */
        public int[] strongest(int k) {
            return Arrays.copyOf(strongestFirst(shares), Math.min(k, shares.length));
        }
    }

    /** The frequencies {@code 1..n} of {@code values[f - 1]}, largest value first (ties: lower first). */
    private static int[] strongestFirst(double[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> -values[f]).thenComparingInt(f -> f))
                .mapToInt(f -> f + 1).toArray();
    }

    /** The spectrum of a first layer's weights, {@code w[input][unit]} with {@code 2p} inputs. */
    public Spectrum spectrum(double[][] w) {
        if (w.length != 2 * p) {
            throw new IllegalArgumentException("a first layer over 2p = " + 2 * p + " one-hot inputs, got " + w.length
                    + " rows");
        }
        int units = w[0].length;
        double[] layer = new double[frequencies];
        double concentration = 0;
        int counted = 0;
        boolean[] dominant = new boolean[frequencies];
        double[] unit = new double[frequencies];
        double[] column = new double[2 * p]; // unit j's weights, contiguous for the inner loop
        for (int j = 0; j < units; j++) {
            Arrays.fill(unit, 0);
            double squares = 0;
            for (int i = 0; i < 2 * p; i++) {
                column[i] = w[i][j];
                squares += column[i] * column[i];
            }
            for (int operand = 0; operand < 2; operand++) {
                for (int f = 0; f < frequencies; f++) {
                    double re = 0;
                    double im = 0;
                    double[] c = cos[f];
                    double[] sn = sin[f];
                    for (int x = 0; x < p; x++) {
                        double v = column[operand * p + x];
                        re += v * c[x];
                        im += v * sn[x];
                    }
                    unit[f] += 2 * (re * re + im * im); // f and p - f
                }
            }
            double total = 0;
            int best = 0;
            for (int f = 0; f < frequencies; f++) {
                total += unit[f];
                layer[f] += unit[f];
                if (unit[f] > unit[best]) {
                    best = f;
                }
            }
            // a unit pruned to nothing, or constant over its inputs, has no spectrum: its non-constant
            // power is rounding error against its whole power, p * squares (Parseval)
            if (total > 1e-9 * p * squares) {
                concentration += unit[best] / total;
                counted++;
                dominant[best] = true;
            }
        }
        double sum = Arrays.stream(layer).sum();
        double[] shares = new double[frequencies];
        for (int f = 0; f < frequencies; f++) {
            shares[f] = sum > 0 ? layer[f] / sum : 0;
        }
        int distinct = 0;
        for (boolean d : dominant) {
            distinct += d ? 1 : 0;
        }
        double top = 0;
        for (int f : Arrays.copyOf(strongestFirst(shares), Math.min(Spectrum.TOP, frequencies))) {
            top += shares[f - 1];
        }
        return new Spectrum(counted == 0 ? 0 : concentration / counted, distinct, sum > 0 ? top : 0, shares);
    }

    /**
     * The part of outputs {@code out[row][c]} along the directions {@code cos(2 pi f (s - c) / p)}
     * and {@code sin(...)} of frequencies {@code keys}, with {@code s = keyOf[row]}, fitted over
     * all {@code p * p} pairs (the rows of {@code out} together hold each pair once); and their mean.
     * {@link Components#along} gives the part at any {@code (s, c)}.
     */
    public Components components(double[][] out, int[] keyOf, int[] keys) {
        return components(bySum(out, keyOf), keys);
    }

    /**
     * As {@link #components(double[][], int[], int[])}, from the outputs summed over the pairs of
     * each {@code s}, {@code bySum[s][c]} ({@link #bySum}, over all pairs).
     */
    public Components components(double[][] bySum, int[] keys) {
        double total = 0;
        for (double[] row : bySum) {
            for (double v : row) {
                total += v;
            }
        }
        double[] alpha = new double[keys.length];
        double[] beta = new double[keys.length];
        for (int k = 0; k < keys.length; k++) {
            int f = keys[k];
            if (f < 1 || f > frequencies) {
                throw new IllegalArgumentException("frequency " + f + " is not in 1.." + frequencies);
            }
            double[] ab = coefficients(bySum, f);
            alpha[k] = ab[0];
            beta[k] = ab[1];
        }
        double[][] along = new double[p][p];
        for (int s = 0; s < p; s++) {
            for (int c = 0; c < p; c++) {
                int x = Math.floorMod(s - c, p);
                for (int k = 0; k < keys.length; k++) {
                    along[s][c] += alpha[k] * cos[keys[k] - 1][x] + beta[k] * sin[keys[k] - 1][x];
                }
            }
        }
        return new Components(total / ((double) p * p * p), along);
    }

    /**
     * The energy of outputs {@code out[row][c]} (all {@code p * p} pairs, {@code s = keyOf[row]})
     * along each frequency's directions {@code cos} and {@code sin} of {@code 2 pi f (s - c) / p}:
     * {@code alpha^2 + beta^2} of its fitted coefficients, {@code [f - 1]}.
     */
    public double[] outputEnergy(double[][] out, int[] keyOf) {
        return outputEnergy(bySum(out, keyOf));
    }

    /** As {@link #outputEnergy(double[][], int[])}, from the outputs summed by {@code s} over all pairs. */
    public double[] outputEnergy(double[][] bySum) {
        double[] energy = new double[frequencies];
        for (int f = 1; f <= frequencies; f++) {
            double[] ab = coefficients(bySum, f);
            energy[f - 1] = ab[0] * ab[0] + ab[1] * ab[1];
        }
        return energy;
    }

    /**
     * The fewest frequencies whose {@link #outputEnergy} holds {@code fraction} of the total,
     * strongest first: the key frequencies of a trained network (a handful for a transformer, in
     * Nanda et al.; many for a wide MLP, which spreads its solution over many).
     */
    public int[] keyFrequencies(double[] energy, double fraction) {
        int[] order = strongestFirst(energy);
        double total = Arrays.stream(energy).sum();
        double sum = 0;
        int n = 0;
        while (n < order.length && (n == 0 || sum < fraction * total)) {
            sum += energy[order[n++] - 1];
        }
        return Arrays.copyOf(order, n);
    }

    /** G(s, c): the outputs of all {@code p * p} pairs summed over the pairs with the same s. */
    private double[][] bySum(double[][] out, int[] keyOf) {
        if (out.length != p * p || keyOf.length != out.length) {
            throw new IllegalArgumentException("the outputs of all " + p * p + " pairs, got " + out.length);
        }
        double[][] bySum = new double[p][p];
        for (int row = 0; row < out.length; row++) {
            double[] g = bySum[keyOf[row]];
            for (int c = 0; c < p; c++) {
                g[c] += out[row][c];
            }
        }
        return bySum;
    }

    /**
     * G(s, c) of some pairs: their outputs, {@code flat[row * p + c]} (row-major), summed over the
     * pairs with the same {@code s = keyOf[row]}. G of all pairs is the sum of G of parts of them.
     */
    public double[][] bySum(double[] flat, int[] keyOf) {
        if (flat.length != (long) keyOf.length * p) {
            throw new IllegalArgumentException(flat.length + " outputs for " + keyOf.length + " pairs of " + p);
        }
        double[][] bySum = new double[p][p];
        for (int row = 0; row < keyOf.length; row++) {
            double[] g = bySum[keyOf[row]];
            int at = row * p;
            for (int c = 0; c < p; c++) {
                g[c] += flat[at + c];
            }
        }
        return bySum;
    }

    /** The least-squares coefficients of cos and sin of {@code 2 pi f (s - c) / p} over all (a, b, c). */
    private double[] coefficients(double[][] bySum, int f) {
        double norm = (double) p * p * p / 2; // sum of cos^2 over all (a, b, c), f != 0, p odd
        double alpha = 0;
        double beta = 0;
        for (int s = 0; s < p; s++) {
            for (int c = 0; c < p; c++) {
                int x = Math.floorMod(s - c, p);
                alpha += bySum[s][c] * cos[f - 1][x];
                beta += bySum[s][c] * sin[f - 1][x];
            }
        }
        return new double[] {alpha / norm, beta / norm};
    }

    /**
     * The key frequencies' part of a network's outputs.
     *
     * @param mean the mean output over all pairs and outputs
     * @param along the part along the key frequencies at {@code [s][c]}
     */
    public record Components(double mean, double[][] along) {

        /** The outputs of rows whose {@code s} is {@code keyOf[row]}, kept to the key frequencies: the mean plus their part. */
        public double[][] restricted(int[] keyOf) {
            double[][] r = new double[keyOf.length][];
            for (int i = 0; i < keyOf.length; i++) {
                r[i] = along[keyOf[i]].clone();
                for (int c = 0; c < r[i].length; c++) {
                    r[i][c] += mean;
                }
            }
            return r;
        }

        /** {@code out} stripped of the key frequencies' part. */
        public double[][] excluded(double[][] out, int[] keyOf) {
            double[][] e = new double[out.length][];
            for (int i = 0; i < out.length; i++) {
                e[i] = out[i].clone();
                for (int c = 0; c < e[i].length; c++) {
                    e[i][c] -= along[keyOf[i]][c];
                }
            }
            return e;
        }
    }
}

package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Fourier measures against weights and outputs built from known frequencies. */
class FourierMeasuresTest {

    private static final int P = 11; // frequencies 1..5

    /** A first layer whose unit j is cos(2 pi f_j x / p + phase) over a and over b. */
    private static double[][] layer(int[] unitFrequencies, double noise, long seed) {
        Random random = new Random(seed);
        double[][] w = new double[2 * P][unitFrequencies.length];
        for (int j = 0; j < unitFrequencies.length; j++) {
            double phase = random.nextDouble() * 2 * Math.PI;
            for (int x = 0; x < P; x++) {
                double v = Math.cos(2 * Math.PI * unitFrequencies[j] * x / P + phase);
                w[x][j] = v + noise * random.nextGaussian();
                w[P + x][j] = 0.5 * v + noise * random.nextGaussian();
            }
        }
        return w;
    }

    @Test
    void unitsOfOneFrequencyAreConcentratedAndCounted() {
        FourierMeasures fourier = new FourierMeasures(P);
        FourierMeasures.Spectrum s = fourier.spectrum(layer(new int[] {3, 3, 3, 1, 5, 5}, 0, 1));
        assertThat(s.concentration()).isCloseTo(1, within(1e-12));
        assertThat(s.dominantFrequencies()).isEqualTo(3);
        // power per unit is the same (a cosine over a and half of it over b): 3 units at 3, 1 at 1, 2 at 5
        assertThat(s.shares()).containsExactly(new double[] {1 / 6.0, 0, 3 / 6.0, 0, 2 / 6.0}, within(1e-12));
        assertThat(s.strongest(2)).containsExactly(3, 5);
        assertThat(s.topShare()).isCloseTo(1, within(1e-12)); // 5 of 5 frequencies
        assertThat(Arrays.stream(s.shares()).sum()).isCloseTo(1, within(1e-12));
    }

    @Test
    void powerIsParsevalsAndNoiseSpreadsIt() {
        FourierMeasures fourier = new FourierMeasures(P);
        double[][] w = layer(new int[] {2, 4}, 0.3, 7);
        FourierMeasures.Spectrum noisy = fourier.spectrum(w);
        assertThat(noisy.concentration()).isBetween(0.3, 0.99);
        // a unit's power by hand: |sum_x w[x] e^{-2 pi i f x / p}|^2 for f and p - f, over both operands
        double[] byHand = new double[(P - 1) / 2];
        double total = 0;
        for (int j = 0; j < 2; j++) {
            for (int f = 1; f <= (P - 1) / 2; f++) {
                for (int operand = 0; operand < 2; operand++) {
                    double re = 0;
                    double im = 0;
                    for (int x = 0; x < P; x++) {
                        re += w[operand * P + x][j] * Math.cos(2 * Math.PI * f * x / P);
                        im -= w[operand * P + x][j] * Math.sin(2 * Math.PI * f * x / P);
                    }
                    byHand[f - 1] += 2 * (re * re + im * im);
                }
            }
        }
        total = Arrays.stream(byHand).sum();
        for (int f = 0; f < byHand.length; f++) {
            assertThat(noisy.shares()[f]).isCloseTo(byHand[f] / total, within(1e-12));
        }
    }

    @Test
    void aConstantOrEmptyUnitHasNoSpectrum() {
        FourierMeasures fourier = new FourierMeasures(P);
        double[][] w = layer(new int[] {2, 2}, 0, 3);
        for (double[] row : w) {
            row[1] = 0.7; // unit 1: constant over its inputs
        }
        FourierMeasures.Spectrum s = fourier.spectrum(w);
        assertThat(s.concentration()).isCloseTo(1, within(1e-12)); // unit 0 alone counts
        assertThat(s.dominantFrequencies()).isEqualTo(1);
        assertThatThrownBy(() -> fourier.spectrum(new double[P][3]))
                .hasMessage("a first layer over 2p = 22 one-hot inputs, got 11 rows");
    }

    @Test
    void outputsAlongTheKeyFrequenciesAreRestoredAndExcluded() {
        FourierMeasures fourier = new FourierMeasures(P);
        // outputs over all pairs: 0.3 + 2 cos(2 pi 2 (s - c) / p) - 0.5 sin(2 pi 4 (s - c) / p) + a term at frequency 1
        int n = P * P;
        double[][] out = new double[n][P];
        int[] keyOf = new int[n];
        for (int a = 0; a < P; a++) {
            for (int b = 0; b < P; b++) {
                int row = a * P + b;
                keyOf[row] = (a + b) % P;
                for (int c = 0; c < P; c++) {
                    int x = Math.floorMod(keyOf[row] - c, P);
                    out[row][c] = 0.3 + 2 * Math.cos(2 * Math.PI * 2 * x / P) - 0.5 * Math.sin(2 * Math.PI * 4 * x / P)
                            + 0.25 * Math.cos(2 * Math.PI * x / P + 0.4);
                }
            }
        }
        FourierMeasures.Components parts = fourier.components(out, keyOf, new int[] {2, 4});
        assertThat(parts.mean()).isCloseTo(0.3, within(1e-12));
        double[][] restricted = parts.restricted(keyOf);
        double[][] excluded = parts.excluded(out, keyOf);
        for (int row = 0; row < n; row++) {
            for (int c = 0; c < P; c++) {
                int x = Math.floorMod(keyOf[row] - c, P);
                double keyPart = 2 * Math.cos(2 * Math.PI * 2 * x / P) - 0.5 * Math.sin(2 * Math.PI * 4 * x / P);
                assertThat(restricted[row][c]).isCloseTo(0.3 + keyPart, within(1e-9));
                assertThat(excluded[row][c]).isCloseTo(out[row][c] - keyPart, within(1e-9));
            }
        }
        assertThatThrownBy(() -> fourier.components(out, keyOf, new int[] {6}))
                .hasMessage("frequency 6 is not in 1..5");
        // energies alpha^2 + beta^2: 4 at frequency 2, 0.25 at 4, 0.0625 at 1 (0.25^2), none elsewhere
        double[] energy = fourier.outputEnergy(out, keyOf);
        assertThat(energy).containsExactly(new double[] {0.0625, 4, 0, 0.25, 0}, within(1e-9));
        assertThat(fourier.keyFrequencies(energy, 0.9)).containsExactly(2); // 4 of 4.3125
        assertThat(fourier.keyFrequencies(energy, 0.95)).containsExactly(2, 4);
        assertThat(fourier.keyFrequencies(energy, 0.99)).containsExactly(2, 4, 1);
    }

    @Test
    void halfwayIsWhereAMeasureFirstPassesItsMidpoint() {
        long[] steps = {0, 10, 20, 40, 80};
        assertThat(FourierProgress.halfway(steps, new double[] {0.2, 0.25, 0.5, 0.7, 0.8})).hasValue(20); // mid 0.5
        assertThat(FourierProgress.halfway(steps, new double[] {1.0, 0.9, 0.8, 0.3, 0.2})).hasValue(40); // falling, mid 0.6
        assertThat(FourierProgress.halfway(steps, new double[] {0.5, 0.9, 0.1, 0.4, 0.5})).isEmpty(); // back where it began
    }
}

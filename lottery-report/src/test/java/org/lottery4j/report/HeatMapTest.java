package org.lottery4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatMapTest {

    @TempDir
    Path dir;

    private static final double[] STEPS = {0, 1, 2, 10, 100, 1000};
    private static final double[] FREQUENCIES = {1, 2, 3};

    private static double[][] values() {
        double[][] v = new double[STEPS.length][];
        for (int i = 0; i < STEPS.length; i++) {
            v[i] = new double[] {i, 10 * i, 100 * i};
        }
        return v;
    }

    @Test
    void aLogAxisGetsAnEvenGridOfCellsEachShowingTheLastColumnByItsRightEdge() throws Exception {
        HeatMap map = new HeatMap("spectrum", "Spectrum", "Step (log scale)", true, STEPS, "Frequency", FREQUENCIES,
                values(), "Share");
        JFreeChart chart = map.chart();
        XYZDataset data = (XYZDataset) ((XYPlot) chart.getPlot()).getDataset();
        int n = data.getItemCount(0);
        assertThat(n % FREQUENCIES.length).isZero();
        // step 0 cannot be on a log axis; the grid starts at log10(1) = 0 and ends at the last step
        assertThat(data.getXValue(0, 0)).isEqualTo(0);
        assertThat(data.getZValue(0, 0)).isEqualTo(1); // the column of step 1
        assertThat(data.getZValue(0, n - 1)).isEqualTo(500); // the column of step 1000, frequency 3
        double width = 3.0 / (n / 3); // three decades, from step 1 to step 1,000
        for (int k = 0; k < n; k += 3) {
            double right = Math.pow(10, data.getXValue(0, k) + width);
            int column = (int) data.getZValue(0, k); // frequency 1 holds the column's index
            assertThat(STEPS[column]).isLessThanOrEqualTo(right * (1 + 1e-9)); // recorded by the cell's right edge
            if (column + 1 < STEPS.length) {
                assertThat(STEPS[column + 1]).isGreaterThan(right); // and the last such column
            }
        }
        map.write(dir);
        assertThat(Files.size(dir.resolve("spectrum.png"))).isPositive();
        assertThat(Files.readString(dir.resolve("spectrum.svg"))).contains("<svg");
    }

    @Test
    void aLinearAxisKeepsTheColumnsAndItsCellsAreTheSmallestGapWide() {
        HeatMap map = new HeatMap("m", "M", "x", false, new double[] {0, 2, 4}, "y", FREQUENCIES,
                new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, "v");
        XYZDataset data = (XYZDataset) ((XYPlot) map.chart().getPlot()).getDataset();
        assertThat(data.getItemCount(0)).isEqualTo(9);
        assertThat(data.getXValue(0, 3)).isEqualTo(2);
        assertThat(data.getZValue(0, 5)).isEqualTo(6);
    }

    @Test
    void valuesMustFillTheGrid() {
        assertThatThrownBy(() -> new HeatMap("m", "M", "x", false, new double[] {0, 1}, "y", FREQUENCIES,
                new double[][] {{1, 2, 3}}, "v")).hasMessage("heat map m needs a column of values per x, got 1 columns for 2 x values");
        assertThatThrownBy(() -> new HeatMap("m", "M", "x", false, new double[] {0}, "y", FREQUENCIES,
                new double[][] {{1, 2}}, "v")).hasMessage("heat map m: a column of 2 values for 3 rows");
    }
}

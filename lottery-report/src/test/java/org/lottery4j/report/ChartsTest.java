package org.lottery4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.TrainingRecord;

class ChartsTest {

    @TempDir
    Path dir;

    private static List<Double> sparsities(int rounds) {
        return IntStream.rangeClosed(0, rounds).mapToObj(r -> 100 * Math.pow(0.8, r)).toList();
    }

    @Test
    void theLogAxisIsLabelledAtTheRoundsOwnSparsities() throws IOException {
        List<Double> ticks = Charts.tickValues(sparsities(12), Charts.MAX_TICKS);
        assertThat(ticks.stream().map(Charts::percent)).containsExactly(
                "100", "80", "64", "51.2", "41", "32.8", "26.2", "21", "16.8", "13.4", "10.7", "8.59", "6.87");

        Charts.write(dir, TestResults.of(12, List.of("reinit")));
        String svg = Files.readString(dir.resolve("accuracy.svg"));
        assertThat(svg).contains(">51.2<", ">6.87<", ">" + Charts.WEIGHTS_AXIS + "<")
                .doesNotContain(">79.4<", ">63.1<", ">50.1<"); // JFreeChart's own log grid
        assertThat(Files.readString(dir.resolve("early-stop.svg"))).contains(">51.2<", ">" + Charts.WEIGHTS_AXIS + "<");
    }

    @Test
    void manyRoundsGetEvenlySpacedLabelsWithTheDensestAndSparsest() {
        List<Double> all = sparsities(29);
        List<Double> ticks = Charts.tickValues(all, Charts.MAX_TICKS);
        assertThat(ticks).hasSizeLessThanOrEqualTo(Charts.MAX_TICKS).startsWith(100.0).endsWith(all.get(29))
                .isSubsetOf(all);
        assertThat(Charts.spread(30, 14)).containsExactly(0, 3, 6, 9, 12, 15, 18, 21, 24, 29);
        assertThat(Charts.spread(26, 14)).containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 25);
        assertThat(Charts.spread(13, 8)).containsExactly(0, 2, 4, 6, 8, 10, 12);
        assertThat(Charts.spread(8, 8)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(Charts.spread(1, 8)).containsExactly(0);
        assertThat(Charts.spread(0, 8)).isEmpty();
        // every round at one sparsity (rate 0) is one label
        assertThat(Charts.tickValues(List.of(100.0, 100.0, 100.0), 14)).containsExactly(100.0);
    }

    @Test
    void percentagesKeepThreeSignificantDigits() {
        assertThat(List.of(100.0, 80.0376, 64.0639, 51.2814, 8.5899, 0.51234, 0.0).stream().map(Charts::percent))
                .containsExactly("100", "80", "64.1", "51.3", "8.59", "0.512", "0");
    }

    @Test
    void theLearningCurvesAxisSpansTheCurvesAfterTheirFirstEvaluation() throws IOException {
        ExperimentResult result = TestResults.of(12, List.of());
        List<ArmResult> shown = Charts.curveRounds(result.ticketRounds(), Charts.MAX_CURVES);
        assertThat(shown).extracting(ArmResult::round).containsExactly(0, 2, 4, 6, 8, 10, 12);

        // after iteration 0: from 94.1% (round 12 at iteration 50) down to 93, to 97% (round 0 at the end) up to 98
        double[] range = Charts.curveRange(shown);
        assertThat(range).containsExactly(93, 98);
        List<Double> trained = shown.stream().flatMap(r -> r.training().curve().stream().skip(1))
                .map(p -> 100 * p.testAccuracy()).toList();
        assertThat(trained).allSatisfy(p -> assertThat(p).isBetween(range[0], range[1]));
        assertThat(Charts.curvesCaption(shown, range)).isEqualTo("The accuracy axis spans 93% to 98%, the range of the "
                + "curves after their first evaluation (iteration 0, before training), which lies below it at 9.85%.");
        assertThat(Charts.curveRange(List.of(TestResults.arm(0, ArmResult.TICKET, 1, 0.5)))).containsExactly(49, 51);
        // a curve of one evaluation counts it; the axis stays within [0, 100]
        ArmResult once = new ArmResult(0, ArmResult.TICKET, 1, Map.of(), TrainingRecord.of(0,
                List.of(new CurvePoint(0, 2.3, 0.1, 0.1)), 0.1, 0, 0));
        ArmResult perfect = new ArmResult(1, ArmResult.TICKET, 0.8, Map.of(), TrainingRecord.of(10,
                List.of(new CurvePoint(0, 2.3, 0.1, 0.1), new CurvePoint(10, 0, 1, 1)), 1, 1, 1));
        assertThat(Charts.curveRange(List.of(once, perfect))).containsExactly(9, 100);
        assertThat(Charts.curvesCaption(List.of(once, perfect), new double[] {9, 100})).isEqualTo("The accuracy axis "
                + "spans 9% to 100%, the range of the curves after their first evaluation (iteration 0, before "
                + "training).");
        assertThat(Charts.curvesCaption(List.of(perfect), new double[] {99, 100})).endsWith("which lies below it at 10%.");

        List<ReportPage.Chart> charts = Charts.charts(result);
        assertThat(charts).extracting(ReportPage.Chart::name).containsExactly("accuracy", "early-stop", "curves");
        assertThat(charts.get(2).caption()).isEqualTo(Charts.curvesCaption(shown, range));
        assertThat(charts.get(2).draw().get().getXYPlot().getRangeAxis().getRange()).isEqualTo(new Range(93, 98));
        Charts.write(dir, result);
        String svg = Files.readString(dir.resolve("curves.svg"));
        assertThat(svg).contains(">round 0 (100%)<", ">round 10 (10.7%)<", ">round 12 (6.87%)<",
                ">7 of 13 rounds shown, the densest and sparsest included; results.json holds every curve<")
                .doesNotContain(">round 11 (");
    }

    @Test
    void anEarlyStoppingChartThatWouldSayNothingIsASentence() throws IOException {
        // even rounds stop at iteration 50, odd ones at 100: a chart
        ExperimentResult result = TestResults.of(3, List.of("reinit"));
        assertThat(Charts.flatEarlyStop(result)).isEmpty();
        assertThat(Charts.write(dir, result)).containsExactly("accuracy", "early-stop", "curves");

        // every run evaluated before and at the end of training only: the lowest loss has nowhere else to be
        ExperimentResult once = TestResults.withCurves(result, c -> List.of(c.get(0), c.get(2)));
        assertThat(Charts.flatEarlyStop(once)).contains("No chart of the early-stopping iteration: every run was "
                + "evaluated only before and at the end of its training, so its lowest validation loss could not fall "
                + "in between (early_stop_iteration in rounds.csv). A shorter training.evalEvery shows when each "
                + "round learned best.");
        Path onceDir = dir.resolve("once");
        assertThat(Charts.write(onceDir, once)).containsExactly("accuracy", "curves");
        assertThat(onceDir.resolve("early-stop.png")).doesNotExist();

        // three evaluations, but every round of every arm stops at iteration 50: a flat line
        ExperimentResult flat = TestResults.withCurves(result, c -> List.of(c.get(0), c.get(1),
                new CurvePoint(100, 0.35, c.get(2).validationAccuracy(), c.get(2).testAccuracy())));
        assertThat(Charts.flatEarlyStop(flat)).contains("No chart of the early-stopping iteration: every round of "
                + "every arm has its lowest validation loss at iteration 50 (early_stop_iteration in rounds.csv).");

        assertThat(Charts.constant(DoubleStream.of(3, Double.NaN, 3))).hasValue(3);
        assertThat(Charts.constant(DoubleStream.of(3, 4))).isEmpty();
        assertThat(Charts.constant(DoubleStream.of(Double.NaN))).isEmpty();
    }

    @Test
    void theArmsHaveHollowMarkersOfTheirOwnWhereTheirLinesCross() {
        List<ReportPage.Chart> charts = Charts.charts(TestResults.of(3, List.of("random_pruning", "reinit")));
        for (ReportPage.Chart chart : charts.subList(0, 2)) { // accuracy and early stop
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.draw().get().getXYPlot().getRenderer();
            for (int arm = 0; arm < 3; arm++) {
                assertThat(renderer.getSeriesShape(arm)).isSameAs(Charts.MARKERS[arm]);
                assertThat(renderer.getSeriesShapesFilled(arm)).isFalse();
            }
        }
    }

    @Test
    void fewRoundsAreAllDrawnWithoutANote() throws IOException {
        Charts.write(dir, TestResults.of(3, List.of()));
        assertThat(Files.readString(dir.resolve("curves.svg"))).contains(">round 3 (51.2%)<").doesNotContain("rounds shown");
    }

    @Test
    void roundsAreColouredFromDarkToLight() {
        List<Color> colors = IntStream.range(0, 7).mapToObj(i -> Charts.sequential(i, 7)).toList();
        assertThat(colors.get(0)).isEqualTo(new Color(68, 1, 84));
        assertThat(colors.get(6)).isEqualTo(new Color(170, 220, 50));
        assertThat(colors).doesNotHaveDuplicates();
        // lightness rises with the round, so the order reads without the legend
        List<Double> luma = colors.stream().map(c -> 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()).toList();
        assertThat(luma).isSorted();
        assertThat(Charts.sequential(0, 1)).isEqualTo(new Color(68, 1, 84));
    }

    @Test
    void drawingLeavesTheJvmsHeadlessSettingAlone() throws IOException {
        String before = System.getProperty("java.awt.headless");
        Charts.write(dir, TestResults.of(1, List.of()));
        assertThat(System.getProperty("java.awt.headless")).isEqualTo(before);
        for (String chart : List.of("accuracy", "early-stop", "curves")) {
            assertThat(Files.readAllBytes(dir.resolve(chart + ".png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            assertThat(Files.readString(dir.resolve(chart + ".svg"))).startsWith("<?xml").contains("<svg").endsWith("</svg>\n");
        }
    }
}

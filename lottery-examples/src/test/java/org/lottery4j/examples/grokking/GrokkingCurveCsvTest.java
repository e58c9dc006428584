package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.results.CurvePoint;

class GrokkingCurveCsvTest {

    @TempDir
    Path dir;

    /** A grokking point: step, train and test accuracy, train and test loss, weight norm (curve.csv's columns). */
    static CurvePoint point(long step, double trainAccuracy, double testAccuracy, double trainLoss, double testLoss,
            double weightNorm) {
        return CurvePoint.at(step).withTrain(trainLoss, trainAccuracy).withTest(testLoss, testAccuracy)
                .withWeightNorm(weightNorm);
    }

    @Test
    void aCurveRoundTripsThroughItsCsvBitForBit() throws IOException {
        List<CurvePoint> curve = List.of(point(0, 0.01, 0.0103, 0.0103, 0.01031, 14.1),
                point(600, 1.0, 0.9931, 1.0 / 3, 0.0080971234567, 64.85));
        Path file = dir.resolve("curve.csv");
        GrokkingReport.writeCurve(file, curve);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("step,train_accuracy,test_accuracy,train_loss,test_loss,weight_norm");
        assertThat(Files.readAllLines(file).get(2)).isEqualTo("600,1.0,0.9931,0.3333333333333333,0.0080971234567,64.85");
        assertThat(GrokkingReport.readCurve(file)).isEqualTo(curve);
    }

    @Test
    void aDamagedCurveIsAnErrorNamingTheFileAndLine() throws IOException {
        Path file = dir.resolve("curve.csv");
        Files.writeString(file, GrokkingReport.CSV_HEADER + "\n1,0.5,0.1,0.2,0.3,4\n2,0.5,0.1,0.2\n");
        assertThatThrownBy(() -> GrokkingReport.readCurve(file)).isInstanceOf(FileFormatException.class)
                .hasMessage(file + ": line 3 is not a curve point (4 values instead of 6): 2,0.5,0.1,0.2");
        Files.writeString(file, "round,accuracy\n");
        assertThatThrownBy(() -> GrokkingReport.readCurve(file)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("is not a curve: its first line must be step,train_accuracy");
    }
}

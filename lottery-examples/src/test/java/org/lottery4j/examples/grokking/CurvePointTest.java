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

class CurvePointTest {

    @TempDir
    Path dir;

    @Test
    void aCurveRoundTripsThroughItsCsvBitForBit() throws IOException {
        List<CurvePoint> curve = List.of(new CurvePoint(0, 0.01, 0.0103, 0.0103, 0.01031, 14.1),
                new CurvePoint(600, 1.0, 0.9931, 1.0 / 3, 0.0080971234567, 64.85));
        Path file = dir.resolve("curve.csv");
        GrokkingReport.writeCurve(file, curve);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("step,train_accuracy,test_accuracy,train_loss,test_loss,weight_norm");
        assertThat(Files.readAllLines(file).get(2)).isEqualTo("600,1.0,0.9931,0.3333333333333333,0.0080971234567,64.85");
        assertThat(CurvePoint.readCsv(file)).isEqualTo(curve);
    }

    @Test
    void aDamagedCurveIsAnErrorNamingTheFileAndLine() throws IOException {
        Path file = dir.resolve("curve.csv");
        Files.writeString(file, CurvePoint.CSV_HEADER + "\n1,0.5,0.1,0.2,0.3,4\n2,0.5,0.1,0.2\n");
        assertThatThrownBy(() -> CurvePoint.readCsv(file)).isInstanceOf(FileFormatException.class)
                .hasMessage(file + ": line 3 is not a curve point (4 values instead of 6): 2,0.5,0.1,0.2");
        Files.writeString(file, "round,accuracy\n");
        assertThatThrownBy(() -> CurvePoint.readCsv(file)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("is not a curve: its first line must be step,train_accuracy");
    }
}

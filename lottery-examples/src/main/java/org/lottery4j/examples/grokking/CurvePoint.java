package org.lottery4j.examples.grokking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lottery4j.io.FileFormatException;

/**
 * One recorded point of a grokking run, a row of its {@code curve.csv}.
 *
 * <pre>{@code
 * new CurvePoint(1_400, 1.0, 0.993, 0.0021, 0.0107, 51.9);
 * }</pre>
 *
 * @param step training steps done (full-batch updates)
 * @param trainAccuracy accuracy on the training pairs
 * @param testAccuracy accuracy on the other pairs
 * @param trainLoss the data loss on the training pairs, without the weight decay term
 * @param testLoss the data loss on the test pairs
 * @param weightNorm the L2 norm of all parameters
 */
public record CurvePoint(long step, double trainAccuracy, double testAccuracy, double trainLoss, double testLoss,
        double weightNorm) {

    /** The header of {@code curve.csv}. */
    public static final String CSV_HEADER = "step,train_accuracy,test_accuracy,train_loss,test_loss,weight_norm";

    /** This point as a {@code curve.csv} row (full precision, {@code .} as decimal point). */
    public String csvRow() {
        return step + "," + trainAccuracy + "," + testAccuracy + "," + trainLoss + "," + testLoss + "," + weightNorm;
    }

    /**
     * Reads a {@code curve.csv} written with {@link #csvRow()}.
     *
     * @throws FileFormatException naming the file and line if the header or a row is not a curve's
     */
    public static List<CurvePoint> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER)) {
            throw new FileFormatException(file, "is not a curve: its first line must be " + CSV_HEADER);
        }
        List<CurvePoint> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            try {
                if (f.length != 6) {
                    throw new NumberFormatException(f.length + " values instead of 6");
                }
                out.add(new CurvePoint(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            } catch (NumberFormatException e) {
                throw new FileFormatException(file, "line " + (i + 1) + " is not a curve point (" + e.getMessage() + "): "
                        + lines.get(i), e);
            }
        }
        return out;
    }
}

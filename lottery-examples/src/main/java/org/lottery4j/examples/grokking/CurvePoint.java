package org.lottery4j.examples.grokking;

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
}

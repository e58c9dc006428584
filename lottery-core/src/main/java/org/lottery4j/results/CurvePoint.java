package org.lottery4j.results;

/**
 * One evaluation during training, the point of every curve lottery4j records: an experiment's
 * (validation loss and accuracy, test accuracy), a grokking run's (train and test accuracy and
 * data loss, weight norm), or your own. A quantity that was not measured is {@code null} and is
 * left out of the JSON that holds the point; one that could not be (no validation split) is NaN.
 *
 * <pre>{@code
 * for (CurvePoint p : arm.training().curve()) System.out.println(p.iteration() + " " + p.testAccuracy());
 * CurvePoint.at(1_400).withTrain(0.0021, 1.0).withTest(0.0107, 0.993).withWeightNorm(51.9);
 * }</pre>
 *
 * @param iteration updates done when evaluated (0 = before training)
 * @param validationLoss loss on the validation set
 * @param validationAccuracy accuracy on the validation set
 * @param testAccuracy accuracy on the test set
 * @param trainLoss loss on the training set
 * @param trainAccuracy accuracy on the training set
 * @param testLoss loss on the test set
 * @param weightNorm the L2 norm of all parameters
 */
public record CurvePoint(long iteration, Double validationLoss, Double validationAccuracy, Double testAccuracy,
        Double trainLoss, Double trainAccuracy, Double testLoss, Double weightNorm) {

    /** An experiment's point: validation loss and accuracy, test accuracy. */
    public CurvePoint(long iteration, double validationLoss, double validationAccuracy, double testAccuracy) {
        this(iteration, validationLoss, validationAccuracy, testAccuracy, null, null, null, null);
    }

    /** A point at {@code iteration} with nothing measured yet. */
    public static CurvePoint at(long iteration) {
        return new CurvePoint(iteration, null, null, null, null, null, null, null);
    }

    /** This point with the training set's loss and accuracy. */
    public CurvePoint withTrain(double loss, double accuracy) {
        return new CurvePoint(iteration, validationLoss, validationAccuracy, testAccuracy, loss, accuracy, testLoss,
                weightNorm);
    }

    /** This point with the test set's loss and accuracy. */
    public CurvePoint withTest(double loss, double accuracy) {
        return new CurvePoint(iteration, validationLoss, validationAccuracy, accuracy, trainLoss, trainAccuracy, loss,
                weightNorm);
    }

    /** This point with the parameters' L2 norm. */
    public CurvePoint withWeightNorm(double norm) {
        return new CurvePoint(iteration, validationLoss, validationAccuracy, testAccuracy, trainLoss, trainAccuracy,
                testLoss, norm);
    }
}

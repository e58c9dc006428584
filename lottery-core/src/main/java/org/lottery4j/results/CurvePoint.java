package org.lottery4j.results;

/**
 * One evaluation during training.
 *
 * <pre>{@code
 * for (CurvePoint p : record.training().curve()) plot(p.iteration(), p.testAccuracy());
 * }</pre>
 *
 * @param iteration updates done when evaluated (0 = before training)
 * @param validationLoss loss on the validation set
 * @param validationAccuracy accuracy on the validation set
 * @param testAccuracy accuracy on the test set
 */
public record CurvePoint(long iteration, double validationLoss, double validationAccuracy, double testAccuracy) {}

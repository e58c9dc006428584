package org.lottery4j.hparams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * How {@link TrainingHparams#weightDecay()} is applied to the weights: {@code decoupled} (the
 * default; AdamW-style, {@code w -= lr * decay * w} beside the optimizer's step, DL4J's
 * {@link WeightDecay} with the learning rate applied) or {@code l2} ({@code decay * w} added to the
 * gradient, so Adam rescales it; DL4J's {@link L2Regularization}).
 *
 * <pre>{@code
 * Regularization r = WeightDecayStyle.parse("L2").regularization(5e-4);
 * }</pre>
 */
public enum WeightDecayStyle {
    /** Decoupled weight decay, scaled by the learning rate. */
    DECOUPLED("decoupled"),
    /** An L2 penalty on the loss. */
    L2("l2");

    private final String text;

    WeightDecayStyle(String text) {
        this.text = text;
    }

    /** The canonical text: {@code decoupled} or {@code l2}. */
    @JsonValue
    public String describe() {
        return text;
    }

    /**
     * Reads any case of the canonical text.
     *
     * @throws IllegalArgumentException naming the field and the allowed values
     */
    @JsonCreator
    public static WeightDecayStyle parse(String text) {
        return Hparams.parseEnum(values(), WeightDecayStyle::describe, "training.weightDecayStyle", text);
    }

    /** DL4J's regularization for this coefficient. */
    public Regularization regularization(double coefficient) {
        return this == DECOUPLED ? new WeightDecay(coefficient, true) : new L2Regularization(coefficient);
    }

    @Override
    public String toString() {
        return text;
    }
}

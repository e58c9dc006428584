package org.lottery4j.hparams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.lottery4j.internal.Momentum;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The optimizer of {@link TrainingHparams}, written {@code sgd}, {@code momentum},
 * {@code nesterov} or {@code adam}. Adam uses DL4J's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8).
 *
 * <pre>{@code
 * Optimizer o = Optimizer.parse(" Adam ");     // ADAM; o.describe() is "adam"
 * IUpdater updater = o.updater(1.2e-3, 0);     // DL4J's Adam(1.2e-3)
 * }</pre>
 */
public enum Optimizer {
    /** Plain stochastic gradient descent. */
    SGD("sgd"),
    /** Classical (heavy-ball) momentum, as PyTorch's SGD with momentum: {@link Momentum}. */
    MOMENTUM("momentum"),
    /** Nesterov momentum: DL4J's {@link Nesterovs}. */
    NESTEROV("nesterov"),
    /** Adam: DL4J's {@link Adam}. */
    ADAM("adam");

    private final String text;

    Optimizer(String text) {
        this.text = text;
    }

    /** The canonical text, such as {@code adam}. */
    @JsonValue
    public String describe() {
        return text;
    }

    /**
     * Reads any case of the canonical text, with surrounding whitespace.
     *
     * @throws IllegalArgumentException naming the field and the allowed values
     */
    @JsonCreator
    public static Optimizer parse(String text) {
        return Hparams.parseEnum(values(), Optimizer::describe, "training.optimizer", text);
    }

    /** The DL4J updater at a constant learning rate; {@code momentum} is used by MOMENTUM and NESTEROV only. */
    public IUpdater updater(double learningRate, double momentum) {
        return switch (this) {
            case SGD -> new Sgd(learningRate);
            case MOMENTUM -> new Momentum(learningRate, momentum);
            case NESTEROV -> new Nesterovs(learningRate, momentum);
            case ADAM -> new Adam(learningRate);
        };
    }

    /** The DL4J updater with a learning-rate schedule. */
    public IUpdater updater(ISchedule learningRate, double momentum) {
        IUpdater updater = updater(1, momentum);
        updater.setLrAndSchedule(Double.NaN, learningRate); // NaN, as DL4J's constructors that take a schedule
        return updater;
    }

    @Override
    public String toString() {
        return text;
    }
}

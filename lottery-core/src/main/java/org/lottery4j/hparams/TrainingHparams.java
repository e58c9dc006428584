package org.lottery4j.hparams;

import java.util.Locale;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * How each round trains: optimizer, learning rate, budget, evaluation cadence and seed.
 *
 * <pre>{@code
 * TrainingHparams t = new TrainingHparams("adam", 1.2e-3, 0.0, Step.parse("10ep"), Step.parse("1ep"), 0.0, 42);
 * IUpdater updater = t.updater();     // Adam(1.2e-3), for the network's configuration
 * }</pre>
 *
 * @param optimizer {@code adam}, {@code sgd} or {@code momentum} (Nesterov momentum)
 * @param learningRate the optimizer's learning rate, > 0
 * @param momentum momentum of {@code momentum}, in [0, 1); ignored by the others
 * @param budget training per round
 * @param evalEvery how often to evaluate on the validation and test sets (and at the end)
 * @param weightDecay decoupled weight decay coefficient, >= 0 (AdamW-style with {@code adam})
 * @param seed seed of the network's initialization, the data order and ND4J's random generator
 */
public record TrainingHparams(
        String optimizer, double learningRate, double momentum, Step budget, Step evalEvery, double weightDecay, long seed) {

    public static final TrainingHparams DEFAULTS =
            new TrainingHparams("adam", 1e-3, 0.0, Step.ofEpochs(1), Step.ofEpochs(1), 0.0, 0);

    public TrainingHparams {
        Hparams.require(optimizer != null && Hparams.oneOf(optimizer, "adam", "sgd", "momentum"),
                "training.optimizer must be adam, sgd or momentum, got " + optimizer);
        Hparams.require(learningRate > 0 && Double.isFinite(learningRate),
                "training.learningRate must be > 0, got " + learningRate);
        Hparams.require(momentum >= 0 && momentum < 1, "training.momentum must be in [0, 1), got " + momentum);
        Hparams.require(budget != null, "training.budget must be set");
        Hparams.require(evalEvery != null, "training.evalEvery must be set");
        Hparams.require(weightDecay >= 0 && Double.isFinite(weightDecay),
                "training.weightDecay must be >= 0, got " + weightDecay);
    }

    /** The DL4J updater these settings describe. */
    public IUpdater updater() {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(learningRate);
            case "sgd" -> new Sgd(learningRate);
            default -> new Nesterovs(learningRate, momentum);
        };
    }
}

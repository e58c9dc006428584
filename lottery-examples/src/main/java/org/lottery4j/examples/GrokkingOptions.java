package org.lottery4j.examples;

import java.util.Locale;
import org.lottery4j.examples.grokking.GrokkingHparams;
import org.lottery4j.examples.grokking.GrokkingModel;
import org.lottery4j.examples.grokking.ModularArithmetic;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The task, model and training options of the {@code grokking} and {@code grokking-tickets}
 * commands, read into {@link GrokkingHparams}; width and learning rate follow the model unless given.
 *
 * <pre>{@code
 * @Mixin GrokkingOptions options;
 * GrokkingHparams hp = options.hparams(spec, seed);
 * }</pre>
 */
public final class GrokkingOptions {

    @Option(names = "--p", defaultValue = "97", description = "The prime modulus (default: ${DEFAULT-VALUE}).")
    int p;

    @Option(names = "--op", defaultValue = "+", description = "The operation: +, - or x (default: ${DEFAULT-VALUE}).")
    String op;

    @Option(names = "--train-fraction", paramLabel = "F",
            description = "Fraction of the p x p pairs trained on; the rest is the test set (default: 0.25 for quadratic, "
                    + "0.35 for embed-relu).")
    Double trainFraction;

    @Option(names = "--model", defaultValue = "quadratic",
            description = "quadratic (one-hot pairs, x^2 units, MSE; Gromov 2023) or embed-relu (learned embeddings, "
                    + "ReLU MLP, cross-entropy) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--width", paramLabel = "N",
            description = "Hidden units (default: 500 for quadratic, 512 for embed-relu).")
    Integer width;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Adam's learning rate (default: 3e-3).")
    Double learningRate;

    @Option(names = "--weight-decay", defaultValue = "1",
            description = "Decoupled weight decay, as AdamW's; 0 for none, the control that does not grok "
                    + "(default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--steps", defaultValue = "3000",
            description = "Full-batch training steps (default: ${DEFAULT-VALUE}).")
    long steps;

    /**
     * The hyperparameters of these options with {@code seed}; a bad value is a usage error naming it.
     */
    GrokkingHparams hparams(CommandSpec spec, long seed) {
        try {
            return builder().seed(seed).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private GrokkingHparams.Builder builder() {
        return GrokkingHparams.builder().p(p).operation(ModularArithmetic.Operation.parse(op.strip()))
                .trainFraction(trainFraction).model(GrokkingModel.parse(model.strip().toLowerCase(Locale.ROOT)))
                .width(width).learningRate(learningRate).weightDecay(weightDecay).steps(steps);
    }
}

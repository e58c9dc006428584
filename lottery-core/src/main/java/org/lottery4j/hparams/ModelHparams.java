package org.lottery4j.hparams;

/**
 * Which network an experiment trains, by the name its workload knows it by.
 *
 * <pre>{@code
 * ModelHparams model = new ModelHparams("lenet-300-100");
 * }</pre>
 *
 * @param name the architecture (such as {@code lenet-300-100})
 */
public record ModelHparams(String name) {

    public static final ModelHparams DEFAULTS = new ModelHparams("-");

    public ModelHparams {
        Hparams.require(name != null && !name.isBlank(), "model.name must not be empty");
    }
}

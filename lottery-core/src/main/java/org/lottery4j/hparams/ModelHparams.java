package org.lottery4j.hparams;

/**
 * Which network an experiment trains, by the name its workload knows it by.
 *
 * <pre>{@code
 * ModelHparams model = ModelHparams.builder().name("lenet-300-100").build();   // or new ModelHparams("lenet-300-100")
 * }</pre>
 *
 * @param name the architecture (such as {@code lenet-300-100}); required
 */
public record ModelHparams(String name) {

    /** The values a field must differ from to enter the canonical form. */
    public static final ModelHparams DEFAULTS = new ModelHparams("-");

    public ModelHparams {
        Hparams.require(name != null && !name.isBlank(), "model.name must not be empty");
    }

    /** A builder; the name must be set. */
    public static Builder builder() {
        return new Builder(null);
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(name);
    }

    /** Named setters for {@link ModelHparams}; {@link #build()} validates. */
    public static final class Builder {
        private String name;

        private Builder(String name) {
            this.name = name;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @throws IllegalArgumentException if the name is empty */
        public ModelHparams build() {
            return new ModelHparams(name);
        }
    }
}

package org.lottery4j.hparams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.lottery4j.export.FloatType;
import org.lottery4j.internal.Sha256;
import org.lottery4j.run.RunHparams;
import org.lottery4j.run.RunIdentity;
import org.lottery4j.sparsity.NmPattern;

/**
 * Everything that decides the results of an N:M experiment ({@code NmExperiment}): train dense
 * (or start from a saved ticket), prune to an N:M pattern, fine-tune with the masks fixed, export.
 * Like {@link ExperimentHparams} it is printed, saved with the results and hashed over a canonical
 * form (sorted {@code section.field=value} lines of the fields that differ from their default) to
 * name the output folder, {@code <N>to<M>_<model>_<hash>}.
 *
 * <p>A starting ticket enters the hash by the SHA-256 of its content, never by its path: a ticket
 * file changed in place names a new folder, and the same ticket copied elsewhere names the same one.
 *
 * <pre>{@code
 * NmHparams hp = NmHparams.builder()
 *         .dataset(DatasetHparams.builder().name("mnist-10k").validationExamples(0).build())   // no validation split needed
 *         .model(new ModelHparams("lenet-300-100"))
 *         .training(TrainingHparams.builder().learningRate(1.2e-3).budget("12ep").seed(42).build())
 *         .pattern(NmPattern.TWO_FOUR)
 *         .fineTune(Step.parse("8ep"))
 *         .dtype(FloatType.F16)
 *         .build();
 * Path folder = out.resolve(hp.folderName());   // 2to4_lenet-300-100_1c9e04b2aa
 *
 * NmHparams fromTicket = hp.toBuilder().model(new ModelHparams("ticket")).ticket(Path.of("ticket.zip")).build();
 * }</pre>
 *
 * @param dataset the data; with no validation split ({@code validationExamples} 0) every example trains
 * @param model the network the workload builds; with a ticket, only a name for the folder
 * @param training optimizer, learning rate, evaluation cadence and seed of both training phases; its
 *     budget is the training before pruning: of the dense network, or of the ticket with its masks
 *     (not hashed with {@code ticketAsSaved}, which trains nothing before pruning)
 * @param pattern the N:M pattern; default 2:4
 * @param fineTune training after N:M pruning, masks enforced; {@code null} (the default) for none
 * @param dtype float type of the exported safetensors files; default F32
 * @param ticket the SHA-256 (64 hex digits) of the ticket file to start from, or {@code null} (the
 *     default) to train the workload's network from initialization
 * @param ticketAsSaved with a ticket: prune it as saved, without training it first; default false
 */
public record NmHparams(DatasetHparams dataset, ModelHparams model, TrainingHparams training, NmPattern pattern,
        Step fineTune, FloatType dtype, String ticket, boolean ticketAsSaved) implements RunHparams {

    public NmHparams {
        Hparams.require(dataset != null && model != null && training != null,
                "dataset, model and training hyperparameters must all be set");
        Hparams.require(pattern != null, "nm.pattern must be set");
        Hparams.require(dtype != null, "nm.dtype must be set");
        Hparams.require(ticket == null || ticket.matches("[0-9a-f]{64}"),
                "nm.ticket must be a SHA-256 of 64 lower-case hex digits, got '" + ticket + "'");
        Hparams.require(!ticketAsSaved || ticket != null, "nm.ticketAsSaved needs a starting ticket (nm.ticket)");
        // the schedule would be resolved over the dense budget and fine-tuning would resume at its end
        Hparams.require(training.schedule().isConstant(), "training.schedule: N:M experiments train with a constant "
                + "learning rate; '" + training.schedule().describe() + "' is not supported here");
    }

    /** A builder with pattern 2:4, no fine-tuning, F32, no ticket; dataset, model and training must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = builder().dataset(dataset).model(model).training(training).pattern(pattern).fineTune(fineTune)
                .dtype(dtype).ticketSha256(ticket);
        b.ticketAsSaved = ticketAsSaved;
        return b;
    }

    /**
     * What the workload reads: these dataset, model and training hyperparameters, with the lottery
     * experiment's pruning defaults and no control arms. One {@code Workload} serves both experiments.
     */
    public ExperimentHparams workloadHparams() {
        return new ExperimentHparams(dataset, model, training, PruningHparams.DEFAULTS, null);
    }

    /** Whether the network is trained before N:M pruning. */
    public boolean trainsBeforePruning() {
        return !ticketAsSaved;
    }

    /**
     * The experiment's fields (the workload's sections and {@code nm.*}, defaults included) and
     * canonical form: every field that differs from its default, the workload's sections hashed as
     * the lottery experiment hashes them. The folder is {@code <N>to<M>_<model>_<hash>}, such as
     * {@code 2to4_lenet-300-100_1c9e04b2aa}.
     */
    @Override
    public RunIdentity identity() {
        RunIdentity workload = workloadHparams().identity(); // its pruning at defaults adds nothing to the hash
        Map<String, String> hashed = new TreeMap<>(workload.canonicalFields());
        if (ticketAsSaved) {
            hashed.remove("training.budget"); // nothing trains before pruning
        }
        nmFields().forEach((k, v) -> {
            if (!v.equals(NM_DEFAULTS.get(k))) {
                hashed.put(k, v);
            }
        });
        Map<String, String> all = new LinkedHashMap<>();
        workload.fields().forEach((k, v) -> {
            if (!k.startsWith("pruning.") && !k.equals("controls")) {
                all.put(k, v);
            }
        });
        all.putAll(nmFields());
        return new RunIdentity("N:M experiment", pattern.n() + "to" + pattern.m() + "_" + model.name(), all, hashed);
    }

    private static final Map<String, String> NM_DEFAULTS = new NmHparams(DatasetHparams.DEFAULTS,
            ModelHparams.DEFAULTS, TrainingHparams.DEFAULTS, NmPattern.TWO_FOUR, null, FloatType.F32, null, false)
            .nmFields();

    /** The {@code nm.*} fields as canonical text, in declaration order. */
    private Map<String, String> nmFields() {
        Map<String, String> nm = new LinkedHashMap<>();
        nm.put("nm.pattern", pattern.toString());
        nm.put("nm.fineTune", fineTune == null ? "none" : fineTune.toString());
        nm.put("nm.dtype", dtype.name());
        nm.put("nm.ticket", ticket == null ? "none" : ticket);
        nm.put("nm.ticketAsSaved", Boolean.toString(ticketAsSaved));
        return nm;
    }

    /**
     * The SHA-256 of a file's content, as 64 lower-case hex digits: how a starting ticket enters
     * the hash.
     */
    public static String sha256(Path file) throws IOException {
        return Sha256.hex(file);
    }

    /** Named setters for {@link NmHparams}; {@link #build()} validates. */
    public static final class Builder {
        private DatasetHparams dataset;
        private ModelHparams model;
        private TrainingHparams training;
        private NmPattern pattern = NmPattern.TWO_FOUR;
        private Step fineTune;
        private FloatType dtype = FloatType.F32;
        private String ticket;
        private boolean ticketAsSaved;

        private Builder() {}

        public Builder dataset(DatasetHparams dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder model(ModelHparams model) {
            this.model = model;
            return this;
        }

        /** Optimizer, learning rate, seed; its budget is the training before pruning. */
        public Builder training(TrainingHparams training) {
            this.training = training;
            return this;
        }

        public Builder pattern(NmPattern pattern) {
            this.pattern = pattern;
            return this;
        }

        /** Such as {@code "2:4"}. */
        public Builder pattern(String pattern) {
            try {
                return pattern(NmPattern.parse(pattern));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("nm.pattern: " + e.getMessage(), e);
            }
        }

        /** Training after pruning, masks enforced; {@code null} for none. */
        public Builder fineTune(Step fineTune) {
            this.fineTune = fineTune;
            return this;
        }

        public Builder dtype(FloatType dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * Starts from the ticket in {@code file}, identified by the SHA-256 of its content (read now).
         * Give the runner the same file; it checks that the content did not change since.
         */
        public Builder ticket(Path file) throws IOException {
            return ticketSha256(sha256(file));
        }

        /** Starts from the ticket whose file has this SHA-256; {@code null} to train from initialization. */
        public Builder ticketSha256(String sha256) {
            this.ticket = sha256;
            return this;
        }

        /** With a ticket: prunes it as saved, without training it first. */
        public Builder ticketAsSaved() {
            this.ticketAsSaved = true;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field */
        public NmHparams build() {
            return new NmHparams(dataset, model, training, pattern, fineTune, dtype, ticket, ticketAsSaved);
        }
    }
}

package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.mnist.LenetWorkload;
import org.lottery4j.examples.mnist.MnistNmWorkload;
import org.lottery4j.examples.mnist.SmallConvNet;
import org.lottery4j.experiment.NmExperiment;
import org.lottery4j.export.FloatType;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.NmHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.prune.Pruned;
import org.lottery4j.results.NmResult;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.ticket.TicketFormatException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * N:M (2:4) structured sparsity on MNIST, end to end, as options over the library's
 * {@link NmExperiment}: train dense (or start from a saved ticket), prune to N:M, fine-tune with the
 * masks enforced, export ONNX and safetensors (dense with the pattern recorded, and compressed 2:4),
 * and check the network and every file read back. This class only turns the options into
 * {@link NmHparams} and prints the results.
 *
 * <p>Runs LeNet-300-100 and {@link SmallConvNet} (convolutions, pooling); the convnet's first
 * convolution has one input channel, so 2:4 groups do not tile it and it is reported as skipped.
 *
 * <pre>{@code
 * java -jar lottery-examples.jar mnist-2to4                       # both models, bundled digits
 * java -jar lottery-examples.jar mnist-2to4 --model lenet --dtype bf16 --ticket out/demo/ticket.zip
 * }</pre>
 */
@Command(name = "mnist-2to4", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"2:4 structured sparsity on MNIST: train dense, N:M prune, fine-tune with the masks fixed, "
                + "export model.onnx, weights.safetensors and weights-2to4.safetensors, and check them.",
                "Writes each model's files and results.json into OUT/<N>to<M>_<model>_<hash of the settings>; "
                        + "a model whose folder is complete is not run again, an interrupted one resumes "
                        + "after its last finished phase."})
final class MnistSparseCommand implements Callable<Integer> {

    /** Which networks to run. */
    enum ModelChoice { lenet, convnet, resnet20, both }

    static final int BATCH = 60;
    static final double LEARNING_RATE = 1.2e-3;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "both",
            description = "lenet (LeNet-300-100), convnet (small convolutional network), resnet20 (ResNet-20, a residual "
                    + "graph with batch normalization) or both (lenet and convnet; default: ${DEFAULT-VALUE}).")
    ModelChoice model;

    @Option(names = "--pattern", defaultValue = "2:4", description = "N:M pattern (default: ${DEFAULT-VALUE}).")
    String pattern;

    @Option(names = "--epochs", defaultValue = "12",
            description = "Dense training epochs (with --ticket: epochs of the ticket with its masks; 0 uses it as saved) "
                    + "(default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--fine-tune-epochs", defaultValue = "8",
            description = "Epochs of fine-tuning after N:M pruning, masks enforced (default: ${DEFAULT-VALUE}).")
    int fineTuneEpochs;

    @Option(names = "--ticket", paramLabel = "PATH",
            description = "Start from a saved LotteryTicket (a network reading [n, 784] digits) instead of training "
                    + "a dense model: N:M is applied within the ticket's masks.")
    Path ticket;

    @Option(names = "--out", defaultValue = "out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialization and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--limit", paramLabel = "N",
            description = "Train on the first N training digits only (default: all).")
    Integer limit;

    @Option(names = "--dtype", defaultValue = "f16", converter = FloatTypeConverter.class,
            description = "Float type of weights.safetensors and weights-2to4.safetensors: f32, f16 or bf16 "
                    + "(default: ${DEFAULT-VALUE}).")
    FloatType dtype;

    @ArgGroup(exclusive = true)
    MnistSource source;

    @Mixin
    CpuThreads threads;

    static final class FloatTypeConverter implements ITypeConverter<FloatType> {
        @Override
        public FloatType convert(String value) {
            for (FloatType t : FloatType.values()) {
                if (t.name().equalsIgnoreCase(value)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("expected f32, f16 or bf16, got '" + value + "'");
        }
    }

    @Override
    public Integer call() throws Exception {
        NmPattern nm = validatedPattern();
        validate();
        threads.apply();
        MnistNmWorkload workload = new MnistNmWorkload(MnistSource.load(source, spec), limit);
        List<String> models = ticket != null ? List.of("ticket")
                : model == ModelChoice.both ? List.of(LenetWorkload.MODEL, SmallConvNet.MODEL)
                : List.of(switch (model) {
                    case lenet -> LenetWorkload.MODEL;
                    case convnet -> SmallConvNet.MODEL;
                    default -> ImageModel.RESNET20.modelName();
                });
        List<NmResult> results = new ArrayList<>();
        for (String m : models) {
            results.add(runModel(hparams(m, nm, workload.datasetName()), workload));
        }
        System.out.println();
        System.out.print(table(nm, results));
        return results.stream().allMatch(NmResult::passed) ? 0 : 1;
    }

    private NmPattern validatedPattern() {
        try {
            return NmPattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--pattern: " + e.getMessage());
        }
    }

    private void validate() {
        if (epochs < (ticket != null ? 0 : 1)) {
            throw new ParameterException(spec.commandLine(), "--epochs must be >= " + (ticket != null ? 0 : 1)
                    + (ticket != null ? " with --ticket" : "") + ", got " + epochs);
        }
        if (fineTuneEpochs < 0) {
            throw new ParameterException(spec.commandLine(), "--fine-tune-epochs must be >= 0, got " + fineTuneEpochs);
        }
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 1, got " + limit);
        }
        if (ticket != null && spec.commandLine().getParseResult().hasMatchedOption("--model")) {
            throw new ParameterException(spec.commandLine(), "--model and --ticket exclude each other: "
                    + "with --ticket the network is the ticket's");
        }
        if (ticket != null && !Files.isRegularFile(ticket)) {
            throw new ParameterException(spec.commandLine(), "--ticket " + ticket + " is not a file");
        }
        if (ticket != null) {
            // read once before anything is printed or created: a file that is no ticket is a usage error
            try (LotteryTicket t = LotteryTicket.load(ticket)) {
                t.network(); // loaded and checked
            } catch (TicketFormatException e) {
                throw new ParameterException(spec.commandLine(), "--ticket " + e.getMessage());
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--ticket " + ticket + ": " + IoErrors.describe(e));
            }
        }
    }

    /** The options as the experiment's hyperparameters; a ticket enters them by its content's SHA-256. */
    NmHparams hparams(String modelName, NmPattern nm, String data) throws IOException {
        NmHparams.Builder b = NmHparams.builder()
                .dataset(new DatasetHparams(data, BATCH, 0))
                .model(new ModelHparams(modelName))
                .training(TrainingHparams.builder().learningRate(LEARNING_RATE)
                        .budget(Step.ofEpochs(Math.max(1, epochs))).evalEvery(Step.ofEpochs(1)).seed(seed).build())
                .pattern(nm)
                .fineTune(fineTuneEpochs == 0 ? null : Step.ofEpochs(fineTuneEpochs))
                .dtype(dtype);
        if (ticket != null) {
            b.ticket(ticket);
            if (epochs == 0) {
                b.ticketAsSaved();
            }
        }
        return b.build();
    }

    private NmResult runModel(NmHparams hp, MnistNmWorkload workload) throws IOException {
        String name = hp.model().name();
        NmExperiment experiment = ticket != null ? new NmExperiment(hp, ticket, workload, out)
                : new NmExperiment(hp, workload, out);
        Optional<NmResult> done = experiment.finished();
        if (done.isPresent()) {
            System.out.println(name + ": already done in " + experiment.folder() + " (delete the folder to run again)");
            return done.get();
        }
        NmResult r = experiment.run();
        NmPattern nm = hp.pattern();
        System.out.printf(Locale.ROOT, "%s: test accuracy %s %.2f%%%n", name, ticket != null ? "(ticket)" : "(dense)",
                100 * r.denseAccuracy());
        for (Pruned.Skipped s : r.skipped()) {
            System.out.println(name + ": " + nm + " skips " + s.name() + ": " + s.reason());
        }
        System.out.printf(Locale.ROOT, "%s: test accuracy after %s pruning %.2f%% (%.1f%% of prunable weights remaining)%n",
                name, nm, 100 * r.prunedAccuracy(), 100 * r.fractionRemaining());
        System.out.printf(Locale.ROOT, "%s: test accuracy after fine-tuning %.2f%%%n", name, 100 * r.fineTunedAccuracy());
        r.checks().forEach((k, v) -> System.out.println(name + ": " + (v ? "ok      " : "FAILED  ") + k));
        return r;
    }

    private String table(NmPattern nm, List<NmResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %9s %13s %13s %10s %10s  %s%n", "model", "dense acc",
                nm + " before ft", nm + " after ft", "remaining", "pattern", "skipped"));
        for (NmResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-16s %8.2f%% %12.2f%% %12.2f%% %9.1f%% %10s  %s%n", model(r),
                    100 * r.denseAccuracy(), 100 * r.prunedAccuracy(), 100 * r.fineTunedAccuracy(),
                    100 * r.fractionRemaining(), r.passed() ? "yes" : "NO",
                    r.skipped().isEmpty() ? "-" : String.join(", ", r.skipped().stream().map(Pruned.Skipped::name).toList())));
        }
        for (NmResult r : results) {
            sb.append(String.format(Locale.ROOT, "%s: %s/{%s} (%.0f s)%n", model(r), out.resolve(r.name()),
                    String.join(", ", r.files()) + ", results.json", r.seconds().get("total")));
        }
        return sb.toString();
    }

    private static String model(NmResult r) {
        return r.hparams().get("model.name");
    }
}

package org.lottery4j.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.examples.mnist.LenetWorkload;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.examples.mnist.SmallConvNet;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.ShuffledBatches;
import org.lottery4j.export.FloatType;
import org.lottery4j.export.OnnxExporter;
import org.lottery4j.export.OnnxInitializers;
import org.lottery4j.export.SafetensorsExporter;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.io.Json;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.ParamKey;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.ticket.Provenance;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * N:M (2:4) structured sparsity on MNIST, end to end: train dense (or start from a saved ticket),
 * prune to N:M with {@link NmPruner}, fine-tune with the masks enforced, check the pattern, and
 * export ONNX and safetensors (dense with the pattern recorded, and compressed 2:4), re-reading
 * every file to check that the pruned weights are exact zeros in the pattern.
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
                        + "a model whose folder is complete is not run again."})
final class MnistSparseCommand implements Callable<Integer> {

    /** Which networks to run. */
    enum ModelChoice { lenet, convnet, both }

    static final int BATCH = 60;
    static final double LEARNING_RATE = 1.2e-3;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "both",
            description = "lenet (LeNet-300-100), convnet (small convolutional network) or both (default: ${DEFAULT-VALUE}).")
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

    /** What one model's run found; written as results.json. */
    record ModelResult(
            String model,
            String folder,
            Map<String, String> settings,
            int trainExamples,
            int testExamples,
            double denseAccuracy,
            double prunedAccuracy,
            double fineTunedAccuracy,
            long prunableWeights,
            long weightsRemaining,
            double fractionRemaining,
            boolean patternSatisfied,
            boolean prunedWeightsZero,
            List<NmReport.Skipped> skipped,
            Map<String, Boolean> checks,
            List<String> files,
            Map<String, Double> seconds,
            Map<String, String> provenance) {}

    @Override
    public Integer call() throws Exception {
        NmPattern nm = validatedPattern();
        validate();
        threads.apply();
        Mnist mnist = MnistSource.load(source);
        DataSet train = limited(mnist.train());
        List<String> models = ticket != null ? List.of("ticket")
                : model == ModelChoice.both ? List.of(LenetWorkload.MODEL, SmallConvNet.MODEL)
                : List.of(model == ModelChoice.lenet ? LenetWorkload.MODEL : SmallConvNet.MODEL);
        List<ModelResult> results = new ArrayList<>();
        for (String m : models) {
            results.add(runModel(m, nm, mnist.name(), train, mnist.test()));
        }
        System.out.println();
        System.out.print(table(nm, results));
        boolean ok = results.stream().allMatch(r -> r.patternSatisfied() && r.prunedWeightsZero());
        return ok ? 0 : 1;
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
    }

    private DataSet limited(DataSet all) {
        if (limit == null || limit >= all.numExamples()) {
            return all;
        }
        return new DataSet(all.getFeatures().get(NDArrayIndex.interval(0, limit), NDArrayIndex.all()).dup(),
                all.getLabels().get(NDArrayIndex.interval(0, limit), NDArrayIndex.all()).dup());
    }

    /** The settings that decide a model's results, in a canonical (sorted) order. */
    Map<String, String> settings(String modelName, NmPattern nm, String data, int trainExamples) {
        Map<String, String> s = new TreeMap<>();
        s.put("model", modelName);
        s.put("pattern", nm.toString());
        s.put("epochs", Integer.toString(epochs));
        s.put("fine_tune_epochs", Integer.toString(fineTuneEpochs));
        s.put("seed", Long.toString(seed));
        s.put("train_examples", Integer.toString(trainExamples));
        s.put("dtype", dtype.name());
        s.put("data", data);
        s.put("batch", Integer.toString(BATCH));
        s.put("optimizer", "adam " + LEARNING_RATE);
        if (ticket != null) {
            s.put("ticket", ticket.toAbsolutePath().normalize().toString());
        }
        return s;
    }

    /** The first 8 hex digits of the SHA-256 of {@code k=v} lines in key order. */
    static String hash(Map<String, String> settings) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(settings).forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private ModelResult runModel(String name, NmPattern nm, String data, DataSet train, DataSet test)
            throws IOException {
        Map<String, String> settings = settings(name, nm, data, train.numExamples());
        Path folder = out.resolve(nm.n() + "to" + nm.m() + "_" + name + "_" + hash(settings));
        ModelResult done = finished(folder);
        if (done != null) {
            System.out.println(name + ": already done in " + folder + " (delete the folder to run again)");
            return done;
        }
        Files.createDirectories(folder);
        Map<String, Double> seconds = new LinkedHashMap<>();
        Random random = new Random(seed);
        long t0 = System.nanoTime();

        LotteryTicket t;
        if (ticket != null) {
            LotteryTicket saved = LotteryTicket.load(ticket);
            Model net = saved.network();
            var masks = saved.masks();
            saved.close();
            t = LotteryTicket.builder(net).masks(masks).rewindTo(RewindPoint.fineTune()).hyperparameters(settings).build();
            System.out.printf(Locale.ROOT, "%s: %s, %.1f%% of its weights remaining%n", name, ticket,
                    100 * masks.sparsity().fractionRemaining());
            train(name, "ticket", t.view(), train, epochs, random);
        } else {
            Model net = name.equals(SmallConvNet.MODEL) ? SmallConvNet.network(seed, new Adam(LEARNING_RATE))
                    : LenetWorkload.network(seed, new Adam(LEARNING_RATE));
            train(name, "dense", NetworkView.of(net), train, epochs, random);
            t = LotteryTicket.builder(net).rewindTo(RewindPoint.fineTune()).hyperparameters(settings).build();
        }
        NetworkView view = t.view();
        checkInput(name, view, test);
        double dense = view.accuracy(test);
        seconds.put("train", secondsSince(t0));
        System.out.printf(Locale.ROOT, "%s: test accuracy %s %.2f%%%n", name, ticket != null ? "(ticket)" : "(dense)",
                100 * dense);

        NmPruner.Result pruned = new NmPruner(nm).prune(view, t.masks());
        for (NmReport.Skipped s : pruned.skipped()) {
            System.out.println(name + ": " + nm + " skips " + s.name() + ": " + s.reason());
        }
        t.applyMasks(pruned.masks());
        t.rewind(); // fine-tune: keeps the trained survivors, zeroes the pruned weights, clears Adam's state
        double before = view.accuracy(test);
        System.out.printf(Locale.ROOT, "%s: test accuracy after %s pruning %.2f%% (%.1f%% of prunable weights remaining)%n",
                name, nm, 100 * before, 100 * t.sparsity().fractionRemaining());

        long t1 = System.nanoTime();
        train(name, "fine-tune", view, train, fineTuneEpochs, random);
        double after = view.accuracy(test);
        seconds.put("fine_tune", secondsSince(t1));
        System.out.printf(Locale.ROOT, "%s: test accuracy after fine-tuning %.2f%%%n", name, 100 * after);

        // the network itself: pruned weights exact zeros, pattern satisfied
        Map<String, Boolean> checks = new LinkedHashMap<>();
        long nonZero = prunedNonZeros(t);
        checks.put("network: pruned weights are exact zeros", nonZero == 0);
        NmReport netReport = new NmChecker(nm).check(view);
        checks.put("network: " + nm, netReport.satisfied());

        // the files, written then read back
        long t2 = System.nanoTime();
        List<String> files = new ArrayList<>();
        Path onnx = folder.resolve("model.onnx");
        OnnxExporter.export(view.model(), onnx);
        files.add(onnx.getFileName().toString());
        Path weights = folder.resolve("weights.safetensors");
        SafetensorsExporter.builder().dtype(dtype).pattern(nm).metadata("source", "lottery4j mnist-2to4 " + name)
                .build().export(view, weights);
        files.add(weights.getFileName().toString());
        Path compressed = null;
        if (nm.equals(NmPattern.TWO_FOUR)) {
            compressed = folder.resolve("weights-2to4.safetensors");
            SafetensorsExporter.builder().dtype(dtype).compressed24().metadata("source", "lottery4j mnist-2to4 " + name)
                    .build().export(view, compressed);
            files.add(compressed.getFileName().toString());
        }
        Path ticketFile = folder.resolve("ticket.zip");
        t.save(ticketFile);
        files.add(ticketFile.getFileName().toString());

        SafetensorsFile st = SafetensorsFile.read(weights);
        checks.put(weights.getFileName() + ": " + nm, satisfied(st.checkPattern()));
        if (compressed != null) {
            SafetensorsFile c = SafetensorsFile.read(compressed);
            checks.put(compressed.getFileName() + ": " + nm, satisfied(c.checkPattern()));
            boolean same = !c.compressedWeights().isEmpty();
            for (String w : c.compressedWeights().keySet()) {
                same &= Arrays.equals(c.decompress(w), st.floats(w));
            }
            checks.put(compressed.getFileName() + ": decodes to " + weights.getFileName(), same);
        }
        Map<String, OnnxInitializers.Tensor> init = OnnxInitializers.read(onnx);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        init.forEach((k, v) -> shapes.put(k, v.dims()));
        Function<String, float[]> values = k -> init.get(k).data();
        checks.put(onnx.getFileName() + ": " + nm, satisfied(new NmChecker(nm).checkTorch(shapes, values)));
        seconds.put("export_and_check", secondsSince(t2));
        seconds.put("total", secondsSince(t0));

        boolean patternOk = checks.entrySet().stream()
                .filter(e -> !e.getKey().equals("network: pruned weights are exact zeros"))
                .allMatch(Map.Entry::getValue);
        checks.forEach((k, v) -> System.out.println(name + ": " + (v ? "ok      " : "FAILED  ") + k));
        var overall = t.sparsity().overall();
        ModelResult r = new ModelResult(name, folder.toString(), settings, train.numExamples(), test.numExamples(),
                dense, before, after, overall.total(), overall.remaining(), overall.fractionRemaining(), patternOk,
                nonZero == 0, pruned.skipped(), checks, files, seconds, Provenance.current());
        Json.write(folder.resolve("results.json"), r);
        t.close();
        return r;
    }

    /**
     * The results of an earlier run with the same settings, when its results.json (written last,
     * atomically) and every file it lists are there; {@code null} otherwise.
     */
    private static ModelResult finished(Path folder) throws IOException {
        Path json = folder.resolve("results.json");
        if (!Files.isRegularFile(json)) {
            return null;
        }
        ModelResult r;
        try {
            r = Json.read(json, ModelResult.class);
        } catch (IOException e) {
            System.out.println(json + " is unreadable (" + e.getMessage() + "); running again");
            return null;
        }
        boolean complete = r.files() != null && r.files().stream().allMatch(f -> Files.isRegularFile(folder.resolve(f)));
        return complete ? r : null;
    }

    /** Only an NmReport with at least one checked weight counts as satisfied. */
    private static boolean satisfied(NmReport r) {
        return !r.entries().isEmpty() && r.satisfied();
    }

    private static double secondsSince(long start) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }

    private static void checkInput(String name, NetworkView view, DataSet test) {
        try {
            view.output(test.getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": the network does not take MNIST digits [n, 784]: " + e.getMessage(), e);
        }
    }

    /** Trains {@code epochs} passes over {@code data} in batches of {@link #BATCH}, reshuffled each epoch. */
    private static void train(String name, String phase, NetworkView view, DataSet data, int epochs, Random random) {
        ShuffledBatches batches = new ShuffledBatches(data);
        for (int e = 1; e <= epochs; e++) {
            long start = System.nanoTime();
            for (DataSet batch : batches.inOrder(ExperimentData.shuffled(data.numExamples(), random), BATCH)) {
                view.fit(batch);
            }
            System.out.printf(Locale.ROOT, "%s: %s epoch %d/%d (%.1f s)%n", name, phase, e, epochs, secondsSince(start));
        }
    }

    /** How many weights the ticket's masks prune are not exactly 0.0 in the network. */
    static long prunedNonZeros(LotteryTicket t) {
        long bad = 0;
        for (ParamKey key : t.masks().keys()) {
            ParamInfo p = t.view().param(key).orElseThrow();
            Mask m = t.masks().get(key);
            float[] w = t.view().read(p);
            for (int i = 0; i < w.length; i++) {
                if (!m.isKept(i) && w[i] != 0.0f) {
                    bad++;
                }
            }
        }
        return bad;
    }

    private static String table(NmPattern nm, List<ModelResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %9s %13s %13s %10s %10s  %s%n", "model", "dense acc",
                nm + " before ft", nm + " after ft", "remaining", "pattern", "skipped"));
        for (ModelResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-16s %8.2f%% %12.2f%% %12.2f%% %9.1f%% %10s  %s%n", r.model(),
                    100 * r.denseAccuracy(), 100 * r.prunedAccuracy(), 100 * r.fineTunedAccuracy(),
                    100 * r.fractionRemaining(), r.patternSatisfied() && r.prunedWeightsZero() ? "yes" : "NO",
                    r.skipped().isEmpty() ? "-" : String.join(", ", r.skipped().stream().map(NmReport.Skipped::name).toList())));
        }
        for (ModelResult r : results) {
            sb.append(String.format(Locale.ROOT, "%s: %s/{%s} (%.0f s)%n", r.model(), r.folder(),
                    String.join(", ", r.files()) + ", results.json", r.seconds().get("total")));
        }
        return sb.toString();
    }
}

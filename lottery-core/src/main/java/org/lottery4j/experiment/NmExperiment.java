package org.lottery4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.export.ExportFiles;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.hparams.NmHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.internal.OnnxInitializers;
import org.lottery4j.io.Provenance;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.Pruned;
import org.lottery4j.results.CurvePoint;
import org.lottery4j.results.NmResult;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.run.Phase;
import org.lottery4j.run.RunFolder;
import org.lottery4j.runtime.RuntimeSettings;
import org.lottery4j.sparsity.NmChecker;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The N:M experiment: train the workload's network dense (or start from a saved ticket), prune it
 * to an N:M pattern such as 2:4, fine-tune with the masks fixed, export it, and check the result.
 * The phases resume like the lottery rounds: each writes its output atomically, a record last, and
 * is skipped when that record exists, so a run killed at any point ({@code kill -9} included)
 * finishes on the next run with the same results as one never interrupted.
 *
 * <p>The output folder, {@code <out>/<N>to<M>_<model>_<hash>} ({@link NmHparams#folderName()}), holds:
 * <ul>
 *   <li>{@code hparams.json};
 *   <li>{@code pretrained.zip} and {@code pretrained.json}: the network before pruning, as a ticket
 *       (the trained dense network, or the starting ticket after its training), and its accuracy;
 *   <li>{@code ticket.zip} and {@code fine_tuned.json}: the N:M-pruned, fine-tuned ticket, the
 *       accuracy right after pruning and after fine-tuning, and the parameters the pattern skipped;
 *   <li>{@code model.onnx}, {@code weights.safetensors} (dense, with the pattern recorded) and, for
 *       2:4, {@code weights-2to4.safetensors} (compressed: kept values and 2-bit indices), each read
 *       back and checked: the pattern holds in the network and in every file, the network's pruned
 *       weights are exact zeros, the compressed file decodes to the dense one;
 *   <li>{@code results.json} ({@link NmResult}), written last.
 * </ul>
 * The data order of each phase is seeded from the training seed and the phase alone, and each
 * phase starts from the file the one before wrote, whether or not the run was interrupted.
 *
 * <pre>{@code
 * NmResult r = new NmExperiment(nm, workload, Path.of("out")).run();
 * // from a saved ticket: hyperparameters built with .ticket(file), and the same file here
 * NmResult t = new NmExperiment(nm, Path.of("ticket.zip"), workload, Path.of("out")).run();
 * }</pre>
 */
public final class NmExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(NmExperiment.class);

    static final String PRETRAINED = "pretrained";
    static final String FINE_TUNED = "fine_tuned";

    private final NmHparams hp;
    private final Path startingTicket;
    private final Workload workload;
    private final Path folder;

    /** Trains the workload's network from initialization. */
    public NmExperiment(NmHparams hp, Workload workload, Path outputRoot) {
        this(hp, null, workload, outputRoot);
    }

    /**
     * Starts from the ticket in {@code ticketFile}, whose content must be the one {@code hp} names
     * ({@link NmHparams.Builder#ticket(Path)}); the workload gives only the data.
     */
    public NmExperiment(NmHparams hp, Path ticketFile, Workload workload, Path outputRoot) {
        this.hp = Objects.requireNonNull(hp, "hparams");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.folder = outputRoot.resolve(hp.folderName());
        if ((hp.ticket() == null) != (ticketFile == null)) {
            throw new IllegalArgumentException(hp.ticket() == null
                    ? "a ticket file was given but the hyperparameters name none: build them with .ticket(file)"
                    : "the hyperparameters start from a ticket (nm.ticket): give its file");
        }
        this.startingTicket = ticketFile;
    }

    /** Where this experiment writes: {@code <out>/<N>to<M>_<model>_<hash>}. */
    public Path folder() {
        return folder;
    }

    /**
     * The results of an earlier run of this experiment, when its {@code results.json} and every
     * file it lists are there; empty otherwise (an unreadable {@code results.json} counts as absent).
     */
    public Optional<NmResult> finished() {
        Optional<NmResult> r;
        try {
            r = Phase.done(folder.resolve("results.json"), NmResult.class);
        } catch (IOException e) {
            LOG.warn("{} is unreadable ({}); running the export again", folder.resolve("results.json"), e.getMessage());
            return Optional.empty();
        }
        return r.filter(done -> done.files().stream().allMatch(f -> Files.isRegularFile(folder.resolve(f))));
    }

    /**
     * Runs (or resumes, or returns the results of) the experiment.
     *
     * @throws IOException if the folder holds another experiment, the starting ticket's content is
     *     not the one the hyperparameters name, or a file cannot be written or read back
     * @throws IllegalArgumentException if the network does not take the data's examples
     */
    public NmResult run() throws IOException {
        Optional<NmResult> done = finished();
        if (done.isPresent()) {
            LOG.info("{} is complete", folder);
            return done.get();
        }
        RunFolder dir = RunFolder.create(folder); // before anything is printed: a folder that cannot be made
        try {
            LOG.info("{}", hp.describe());
            LOG.info("{}", RuntimeSettings.describeBackend()); // which machine produced the results
            dir.bind(hp.identity(), hp, LOG);
            ExperimentData data = workload.loadData(hp.workloadHparams()).requireAugmentation(hp.dataset().augment());
            Progress progress = new Progress(1);
            Trainer trainer = new Trainer(hp.training(), hp.dataset().batchSize(), data, progress);
            progress.plan(plannedIterations(trainer));
            NmResult.Phase pretraining = pretrain(trainer, data);
            NmResult.Phase fineTuning = pruneAndFineTune(trainer, data);
            NmResult result = exportAndCheck(data, pretraining, fineTuning);
            LOG.info("done: {}", folder);
            return result;
        } catch (IOException | RuntimeException e) {
            dir.discardIfUnused(e); // a refused input (a file that is no ticket, say) leaves no folder behind
            throw e;
        }
    }

    /** The iterations the phases still to run will train, for the estimate of the time left. */
    private long plannedIterations(Trainer trainer) {
        long planned = 0;
        if (!Files.exists(record(PRETRAINED)) && hp.trainsBeforePruning()) {
            planned += trainer.budget();
        }
        if (!Files.exists(record(FINE_TUNED)) && hp.fineTune() != null) {
            planned += hp.fineTune().toIterations(trainer.iterationsPerEpoch());
        }
        return planned;
    }

    private Path record(String phase) {
        return folder.resolve(phase + ".json");
    }

    /** Phase 1: the network before pruning, trained, saved as {@code pretrained.zip}. */
    private NmResult.Phase pretrain(Trainer trainer, ExperimentData data) throws IOException {
        return Phase.run(record(PRETRAINED), NmResult.Phase.class, () -> {
            long start = System.nanoTime();
            LotteryTicket ticket;
            String phase;
            TrainingRecord training = null;
            if (startingTicket == null) {
                phase = "dense";
                Model net = workload.createNetwork(hp.workloadHparams());
                hp.training().applyTo(net, trainer.iterationsPerEpoch()); // the library sets the optimizer
                // trained before the ticket exists: dense training needs no mask enforcement
                training = trainer.train(NetworkAdapter.of(net), 0, phase);
                ticket = newTicket(net, null);
            } else {
                phase = "ticket";
                ticket = loadStartingTicket(data);
                hp.training().applyTo(ticket.network(), trainer.iterationsPerEpoch());
                // its saved counter would start the schedule and Adam's bias correction at its old end
                NetworkAdapter.of(ticket.network()).resetTrainingState();
                if (hp.trainsBeforePruning()) {
                    training = trainer.train(NetworkAdapter.of(ticket.network()), 0, phase);
                }
            }
            try (ticket) {
                double accuracy = Evaluation.accuracy(ticket.network(), data.test());
                ticket.save(folder.resolve(PRETRAINED + ".zip"));
                LOG.info("{}: test accuracy before {} pruning {}", hp.model().name(), hp.pattern(), percent(accuracy));
                return phase(phase, training, accuracy, accuracy, start, List.of());
            }
        });
    }

    private LotteryTicket newTicket(Model net, MaskSet masks) {
        LotteryTicket.Builder b = LotteryTicket.builder(net)
                .strategy(new NmPruner(hp.pattern()))
                .rewindTo(RewindPoint.fineTune())
                .hyperparameters(hyperparameterMap());
        return (masks == null ? b : b.masks(masks)).build();
    }

    private LotteryTicket loadStartingTicket(ExperimentData data) throws IOException {
        String sha = NmHparams.sha256(startingTicket);
        if (!sha.equals(hp.ticket())) {
            throw new IOException(startingTicket + " has changed since the hyperparameters were made: its SHA-256 is "
                    + sha + ", they name " + hp.ticket() + "; build them again from the file");
        }
        Model net;
        MaskSet masks;
        try (LotteryTicket saved = LotteryTicket.load(startingTicket)) {
            net = saved.network();
            masks = saved.masks();
        }
        try {
            NetworkAdapter.of(net).output(data.test().getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the network of " + startingTicket + " does not take the examples of "
                    + hp.dataset().name() + " " + Arrays.toString(data.test().getFeatures().shape()) + ": "
                    + e.getMessage(), e);
        }
        LOG.info("{}: {}, {}% of its weights remaining", hp.model().name(), startingTicket,
                String.format(Locale.ROOT, "%.1f", 100 * masks.sparsity().fractionRemaining()));
        return newTicket(net, masks);
    }

    /** Phase 2: N:M masks within the pretrained masks, then fine-tuning; saved as {@code ticket.zip}. */
    private NmResult.Phase pruneAndFineTune(Trainer trainer, ExperimentData data) throws IOException {
        return Phase.run(record(FINE_TUNED), NmResult.Phase.class, () -> {
            long start = System.nanoTime();
            // from the file, also when phase 1 just wrote it: a resumed run takes the same path
            try (LotteryTicket ticket = LotteryTicket.load(folder.resolve(PRETRAINED + ".zip"))) {
                Pruned pruned = ticket.prune(0); // the ticket's strategy is the pattern, which fixes the sparsity
                for (Pruned.Skipped s : pruned.skipped()) {
                    LOG.info("{}: {} skips {}: {}", hp.model().name(), hp.pattern(), s.name(), s.reason());
                }
                ticket.rewind(); // fine-tune: keeps the trained survivors, zeroes the pruned weights, clears the updater
                NetworkAdapter network = NetworkAdapter.of(ticket.network());
                double before = Evaluation.accuracy(network, data.test());
                LOG.info("{}: test accuracy after {} pruning {} ({}% of prunable weights remaining)", hp.model().name(),
                        hp.pattern(), percent(before),
                        String.format(Locale.ROOT, "%.1f", 100 * ticket.sparsity().fractionRemaining()));
                TrainingRecord training = hp.fineTune() == null ? null
                        : trainer.train(network, 1, "fine_tune", hp.fineTune());
                double after = training == null ? before : Evaluation.accuracy(network, data.test());
                ticket.save(folder.resolve("ticket.zip"));
                return phase("fine_tune", training, before, after, start, pruned.skipped());
            }
        });
    }

    private static NmResult.Phase phase(String name, TrainingRecord training, double before, double after, long start,
            List<Pruned.Skipped> skipped) {
        List<CurvePoint> curve = training == null ? List.of() : training.curve();
        double first = curve.isEmpty() ? before : curve.get(0).testAccuracy();
        return new NmResult.Phase(name, first, after, training == null ? 0 : training.iterations(), curve,
                training == null ? 0 : training.trainSeconds(), secondsSince(start), skipped);
    }

    /** Phase 3: the files, each read back and checked; {@code results.json} last. */
    private NmResult exportAndCheck(ExperimentData data, NmResult.Phase pretraining, NmResult.Phase fineTuning)
            throws IOException {
        long start = System.nanoTime();
        NmPattern nm = hp.pattern();
        try (LotteryTicket t = LotteryTicket.load(folder.resolve("ticket.zip"))) {
            NetworkView view = t.view();
            Map<String, Boolean> checks = new LinkedHashMap<>();
            long nonZero = prunedNonZeros(t.masks(), view);
            checks.put(ZEROS, nonZero == 0);
            checks.put("network: " + nm, new NmChecker(nm).check(view).satisfied());

            List<String> files = new ArrayList<>(ExportFiles.write(t.network(), folder, hp.pattern(), hp.dtype(),
                    "lottery4j " + folder.getFileName()));
            files.add("ticket.zip");
            SafetensorsFile dense = SafetensorsFile.readChecked(folder.resolve(WEIGHTS));
            checks.put(WEIGHTS + ": " + nm, satisfied(dense.checkPattern()));
            if (files.contains(COMPRESSED)) {
                SafetensorsFile c = SafetensorsFile.readChecked(folder.resolve(COMPRESSED));
                checks.put(COMPRESSED + ": " + nm, satisfied(c.checkPattern()));
                boolean same = !c.compressedWeights().isEmpty();
                for (String w : c.compressedWeights().keySet()) {
                    same &= Arrays.equals(c.decompress(w), dense.floats(w));
                }
                checks.put(COMPRESSED + ": decodes to " + WEIGHTS, same);
            }
            Map<String, OnnxInitializers.Tensor> init = OnnxInitializers.readChecked(folder.resolve(ONNX));
            Map<String, long[]> shapes = new LinkedHashMap<>();
            init.forEach((k, v) -> shapes.put(k, v.dims()));
            checks.put(ONNX + ": " + nm, satisfied(new NmChecker(nm).checkTorch(shapes, k -> init.get(k).data())));
            checks.forEach((k, v) -> {
                if (!v) {
                    LOG.warn("{}: FAILED {}", hp.model().name(), k);
                }
            });

            boolean patternOk = checks.entrySet().stream().filter(e -> !e.getKey().equals(ZEROS))
                    .allMatch(Map.Entry::getValue);
            Map<String, Double> seconds = new LinkedHashMap<>();
            seconds.put("train", pretraining.seconds());
            seconds.put("fine_tune", fineTuning.seconds());
            seconds.put("export_and_check", secondsSince(start));
            seconds.put("total", Math.round(100 * (pretraining.seconds() + fineTuning.seconds()
                    + seconds.get("export_and_check"))) / 100.0);
            SparsityReport.Entry overall = t.sparsity().overall();
            NmResult r = new NmResult(folder.getFileName().toString(), hp.fields(), hp.canonical(),
                    data.train().numExamples(), data.test().numExamples(), pretraining.accuracyAfter(),
                    fineTuning.accuracyBefore(), fineTuning.accuracyAfter(), overall.total(), overall.remaining(),
                    overall.fractionRemaining(), patternOk, nonZero == 0, fineTuning.skipped(), checks, files,
                    pretraining, fineTuning, seconds, Provenance.current());
            // the record of the last phase, written last; unlike the others, it is redone when a file it lists is gone
            Json.writeChecked(folder.resolve("results.json"), r);
            return r;
        }
    }

    static final String ZEROS = "network: pruned weights are exact zeros";
    static final String ONNX = ExportFiles.ONNX;
    static final String WEIGHTS = ExportFiles.WEIGHTS;
    static final String COMPRESSED = ExportFiles.COMPRESSED;

    /** How many weights the masks prune are not exactly 0.0 in the network. */
    static long prunedNonZeros(MaskSet masks, NetworkView view) {
        long bad = 0;
        for (ParamKey key : masks.keys()) {
            Mask m = masks.get(key);
            float[] w = view.read(view.param(key).orElseThrow());
            for (int i = 0; i < w.length; i++) {
                if (!m.isKept(i) && w[i] != 0.0f) {
                    bad++;
                }
            }
        }
        return bad;
    }

    /** Only a report with at least one checked weight counts as satisfied. */
    private static boolean satisfied(NmReport r) {
        return !r.entries().isEmpty() && r.satisfied();
    }

    private Map<String, String> hyperparameterMap() {
        Map<String, String> out = new LinkedHashMap<>(hp.canonicalFields());
        out.put("experiment", hp.folderName());
        return out;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static double secondsSince(long start) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }
}

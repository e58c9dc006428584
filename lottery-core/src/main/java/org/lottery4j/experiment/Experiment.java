package org.lottery4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.io.Json;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.mask.SparsityReport;
import org.lottery4j.network.NetworkAdapter;
import org.lottery4j.optim.Optimizers;
import org.lottery4j.prune.RandomMasks;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentReport;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.results.ResultsWriter;
import org.lottery4j.results.TrainingRecord;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;
import org.lottery4j.runtime.RuntimeSettings;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.io.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lottery-ticket experiment: round 0 trains the dense network; each later round prunes the
 * previous round's trained network, rewinds the survivors and trains again. Control arms train,
 * for each pruned round, the same masks from a random re-initialization ({@code reinit}) and
 * random masks of the same per-layer sparsity from the ticket's rewind point ({@code random_pruning};
 * for {@code fine-tune} and {@code lr-rewind}, from the weights and schedule position the ticket's
 * round started from). Every network the workload creates is given the training hyperparameters'
 * optimizer, schedule and weight decay before it trains.
 *
 * <p>The output folder, {@code <out>/lottery_<hash>}, holds {@code hparams.json}, one folder per
 * round ({@code round-03/ticket.zip}, {@code round-03/ticket.json}, {@code round-03/reinit.json}),
 * {@code rounds.csv}, {@code results.json} and whatever the {@link ExperimentReport} writes (the
 * {@code lottery-report} module's {@code HtmlReport}: {@code charts/} and {@code index.html}).
 * Every file is written atomically, and an arm's record only after its ticket, so running the same
 * experiment on the same folder again resumes after the last finished arm, even after
 * {@code kill -9}, and gives the same results as a run that was never interrupted. The tables and
 * the report show every arm record the folder holds: a control arm that an earlier run of the same
 * experiment trained stays in them when a later run leaves it out of {@code controls}; they are
 * written again whenever a round has finished, so they can be read while the experiment runs.
 *
 * <p>The control arms of a round and the tickets of later rounds do not depend on each other:
 * {@link #withWorkers(int)} trains that many arms at once, each on a thread of its own with one
 * ND4J thread ({@link RuntimeSettings#threads(int)}). The ticket of the next round always goes
 * first (the tickets are the critical path); the other workers train the controls waiting. Every
 * arm is seeded by the training seed, its round and its name alone, so the results are those of
 * one worker, bit for bit; the number of workers is not a hyperparameter and does not change the
 * folder. One worker (the default) trains the arms in order on the calling thread, with its ND4J
 * settings: a study's {@code LocalExecutor}, which runs several experiments at once, keeps it so.
 *
 * <pre>{@code
 * ExperimentResult result = new Experiment(hparams, workload, Path.of("out")).run();
 * new Experiment(hparams, workload, Path.of("out"), HtmlReport::write).run();   // with charts and index.html
 * new Experiment(hparams, workload, Path.of("out")).withWorkers(2).run();      // two arms at once
 * }</pre>
 */
public final class Experiment {

    private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);

    private final ExperimentHparams hp;
    private final Workload workload;
    private final Path folder;
    private final ExperimentReport report;
    private final int workers;

    /** An experiment that writes its tables and no report. */
    public Experiment(ExperimentHparams hp, Workload workload, Path outputRoot) {
        this(hp, workload, outputRoot, ExperimentReport.NONE);
    }

    /** An experiment that also writes {@code report} after every round. */
    public Experiment(ExperimentHparams hp, Workload workload, Path outputRoot, ExperimentReport report) {
        this(hp, workload, outputRoot.resolve(hp.folderName()), report, 1);
    }

    private Experiment(ExperimentHparams hp, Workload workload, Path folder, ExperimentReport report, int workers) {
        this.hp = Objects.requireNonNull(hp, "hparams");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.folder = folder;
        this.report = Objects.requireNonNull(report, "report");
        this.workers = workers;
    }

    /**
     * This experiment, training up to {@code workers} arms at once (see the class documentation).
     * With more than one, the workload's {@code createNetwork} is called from several threads at
     * once, and each worker sets ND4J to one thread.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public Experiment withWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        return new Experiment(hp, workload, folder, report, workers);
    }

    /** How many arms train at once, at most. */
    public int workers() {
        return workers;
    }

    /** Where this experiment writes: {@code <out>/lottery_<hash>}. */
    public Path folder() {
        return folder;
    }

    /** The folder of one round. */
    public Path roundFolder(int round) {
        return folder.resolve(String.format("round-%02d", round));
    }

    /**
     * Runs (or resumes) every round and arm, then writes the tables and the report.
     *
     * @throws IOException if the output folder holds another experiment or cannot be written
     */
    public ExperimentResult run() throws IOException {
        RunFolder dir = RunFolder.create(folder); // before anything is printed: a folder that cannot be made
        try {
            LOG.info("{}", hp.describe());
            LOG.info("{}", RuntimeSettings.describeBackend()); // which machine produced the results
            dir.bind(hp, ExperimentHparams.class, ExperimentHparams::canonical, LOG);
            return train();
        } catch (IOException | RuntimeException e) {
            dir.discardIfUnused(e); // a refused input leaves no folder behind
            throw e;
        }
    }

    private ExperimentResult train() throws IOException {
        ExperimentData data = workload.loadData(hp).requireAugmentation(hp.dataset().augment());
        if (!data.hasValidation()) {
            throw new IllegalArgumentException("the lottery experiment finds the early-stopping iteration on a "
                    + "validation split, but the workload's data has none: set dataset.validationExamples above 0");
        }
        Progress progress = new Progress(hp.pruning().rounds());
        Trainer trainer = new Trainer(hp, data, progress);
        progress.plan(trainer.budget() * countMissingArms());
        // with no controls there is nothing beside the tickets to train
        int threads = hp.controls().isEmpty() || hp.pruning().rounds() == 0 ? 1 : workers;
        LOG.info("writing to {} ({} iterations per round, {} worker{})", folder, trainer.budget(), threads,
                threads == 1 ? "" : "s");
        Arms arms = new Arms(armsToShow(), threads);
        try {
            if (threads == 1) {
                arms.work(0, trainer); // on the calling thread, with its ND4J settings
            } else {
                arms.workInParallel(data, progress);
            }
        } finally {
            arms.closeTicket();
        }
        arms.rethrowFailure();
        ExperimentResult result = write(arms.shown, arms.results());
        LOG.info("done: {}", folder);
        return result;
    }

    /**
     * The control arms of the tables and report, sorted: those this run trains, and any other arm
     * an earlier run of this experiment left records of, so that leaving an arm out of
     * {@code controls} never hides results that are on disk.
     */
    private List<ControlArm> armsToShow() {
        return Arrays.stream(ControlArm.values())
                .filter(arm -> hp.controls().contains(arm) || Stream.iterate(1, r -> r <= hp.pruning().rounds(), r -> r + 1)
                        .anyMatch(r -> Files.exists(record(r, arm.describe()))))
                .sorted(Comparator.comparing(ControlArm::describe))
                .toList();
    }

    private long countMissingArms() {
        long missing = 0;
        for (int round = 0; round <= hp.pruning().rounds(); round++) {
            if (!Files.exists(record(round, ArmResult.TICKET))) {
                missing++;
            }
            for (ControlArm arm : round == 0 ? List.<ControlArm>of() : hp.controls()) {
                if (!Files.exists(record(round, arm.describe()))) {
                    missing++;
                }
            }
        }
        return missing;
    }

    private Path record(int round, String arm) {
        return roundFolder(round).resolve(arm + ".json");
    }

    /**
     * What a round's controls need of its trained ticket, copied (the snapshots) before the next
     * round prunes and rewinds the live ticket; the masks and rewind point are immutable.
     */
    private record ControlSource(MaskSet masks, RewindSnapshots snapshots, RewindPoint rewindPoint) {
        static ControlSource of(LotteryTicket ticket) {
            return new ControlSource(ticket.masks(), RewindSnapshots.of(ticket.snapshots().asMap()), ticket.rewindPoint());
        }
    }

    /** An arm to train: the ticket of a round ({@code control == null}) or one of its controls. */
    private record Job(int round, ControlArm control, ControlSource source) {}

    /**
     * The arms of one {@link #run()} and the workers that train them. Worker 0 trains the tickets,
     * one round after another, and holds the live ticket; when the controls waiting outnumber what
     * the other workers can take (one round each), it trains a control first, which bounds the
     * copies waiting and, with one worker, trains the arms in the order ticket, its controls, next
     * round. Workers take jobs and record results under {@code lock}; the tables are written
     * under {@code writeLock}, one writer at a time, always with the newest results.
     */
    private final class Arms {
        final List<ControlArm> shown;
        private final int rounds = hp.pruning().rounds();
        private final int threads;
        private final int backlog;
        private final Object lock = new Object();
        private final Object writeLock = new Object();
        /** Finished arms, and records of arms this run does not train, by round and arm name. */
        private final Map<String, ArmResult> done = new HashMap<>();
        private final Deque<Job> waiting = new ArrayDeque<>();
        private final int[] unfinished;
        private int nextTicket;
        private Throwable failure;

        /** The trained ticket of {@link #currentRound}, kept between rounds, loaded when resuming: worker 0's. */
        private LotteryTicket current;
        private int currentRound = -1;

        Arms(List<ControlArm> shown, int threads) throws IOException {
            this.shown = shown;
            this.threads = threads;
            this.backlog = (threads - 1) * hp.controls().size();
            this.unfinished = new int[rounds + 1];
            for (int round = 0; round <= rounds; round++) {
                unfinished[round] = 1 + (round == 0 ? 0 : hp.controls().size());
                for (ControlArm arm : round == 0 ? List.<ControlArm>of() : shown) {
                    if (!hp.controls().contains(arm) && Files.exists(record(round, arm.describe()))) {
                        done.put(key(round, arm.describe()), Json.readChecked(record(round, arm.describe()), ArmResult.class));
                    }
                }
            }
        }

        /**
         * Trains jobs on {@link #threads} new threads until every arm is done or one fails. An
         * interrupt stops the workers once their arms in training are done (and recorded).
         */
        void workInParallel(ExperimentData data, Progress progress) {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "experiment-worker");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int worker = i;
                    futures.add(pool.submit(() -> {
                        try {
                            RuntimeSettings.threads(1); // per worker: OpenMP keeps its thread count per calling thread
                        } catch (RuntimeException | LinkageError e) {
                            fail(e);
                            return;
                        }
                        work(worker, new Trainer(hp, data, progress)); // a trainer of its own: its batch buffers
                    }));
                }
                boolean interrupted = false;
                for (Future<?> f : futures) {
                    while (true) {
                        try {
                            f.get();
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true; // the live ticket is closed only once its worker is done with it
                            fail(new IOException("interrupted while the experiment ran", e));
                        } catch (ExecutionException e) {
                            fail(e.getCause());
                            break;
                        }
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                pool.shutdown();
            }
        }

        /** Takes and trains jobs until none is left or some worker failed; records a failure, never throws it. */
        void work(int worker, Trainer trainer) {
            try {
                while (true) {
                    Job job;
                    synchronized (lock) {
                        while ((job = next(worker)) == null && failure == null && !(nextTicket > rounds && waiting.isEmpty())) {
                            lock.wait();
                        }
                        if (job == null) {
                            return;
                        }
                    }
                    if (job.control() == null) {
                        ticket(job.round(), trainer);
                    } else {
                        ArmResult result = controlArm(job.round(), job.control(), job.source(), trainer);
                        finished(job.round(), job.control().describe(), result, List.of());
                    }
                }
            } catch (Throwable e) {
                fail(e);
            }
        }

        /** The next job for {@code worker}, or null to wait (or stop). Under {@code lock}. */
        private Job next(int worker) {
            if (failure != null) {
                return null;
            }
            boolean chain = worker == 0 && nextTicket <= rounds;
            if (chain && waiting.size() <= backlog) {
                return new Job(nextTicket, null, null);
            }
            if (!waiting.isEmpty()) {
                return waiting.poll();
            }
            return chain ? new Job(nextTicket, null, null) : null;
        }

        private void ticket(int round, Trainer trainer) throws IOException {
            ArmResult result = ticketRound(round, trainer);
            List<ControlArm> toTrain = new ArrayList<>();
            for (ControlArm arm : round == 0 ? List.<ControlArm>of() : shown) {
                if (hp.controls().contains(arm)) {
                    toTrain.add(arm);
                }
            }
            ControlSource source = toTrain.stream().allMatch(arm -> Files.exists(record(round, arm.describe())))
                    ? null : ControlSource.of(trainedTicket(round));
            List<Job> controls = toTrain.stream().map(arm -> new Job(round, arm, source)).toList();
            finished(round, ArmResult.TICKET, result, controls);
        }

        /**
         * Records a finished arm, queues the controls its ticket makes ready (those on disk count as
         * finished at once), and writes the tables if its round is complete.
         */
        private void finished(int round, String arm, ArmResult result, List<Job> controls) throws IOException {
            boolean roundComplete;
            synchronized (lock) {
                done.put(key(round, arm), result);
                unfinished[round]--;
                for (Job c : controls) {
                    Path record = record(round, c.control().describe());
                    if (Files.exists(record)) {
                        done.put(key(round, c.control().describe()), Json.readChecked(record, ArmResult.class));
                        unfinished[round]--;
                    } else {
                        waiting.add(c);
                    }
                }
                if (arm.equals(ArmResult.TICKET)) {
                    nextTicket = round + 1;
                }
                roundComplete = unfinished[round] == 0;
                lock.notifyAll();
            }
            if (roundComplete) {
                synchronized (writeLock) {
                    write(shown, results()); // after every round: a person can look while it runs
                }
            }
        }

        private void fail(Throwable e) {
            synchronized (lock) {
                if (failure == null) {
                    failure = e;
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
                lock.notifyAll();
            }
        }

        /** The finished arms in the tables' order: by round, the ticket, then the controls by name. */
        List<ArmResult> results() {
            synchronized (lock) {
                List<ArmResult> out = new ArrayList<>();
                for (int round = 0; round <= rounds && done.containsKey(key(round, ArmResult.TICKET)); round++) {
                    out.add(done.get(key(round, ArmResult.TICKET)));
                    for (ControlArm arm : shown) {
                        ArmResult r = done.get(key(round, arm.describe()));
                        if (r != null) {
                            out.add(r);
                        }
                    }
                }
                return out;
            }
        }

        void rethrowFailure() throws IOException {
            Throwable e;
            synchronized (lock) {
                e = failure;
            }
            if (e instanceof IOException io) {
                throw io;
            } else if (e instanceof RuntimeException re) {
                throw re;
            } else if (e instanceof Error err) {
                throw err;
            } else if (e != null) {
                throw new IOException(e);
            }
        }

        private static String key(int round, String arm) {
            return round + "/" + arm;
        }

        private ArmResult ticketRound(int round, Trainer trainer) throws IOException {
            Path record = record(round, ArmResult.TICKET);
            if (Files.exists(record)) {
                return Json.readChecked(record, ArmResult.class);
            }
            LotteryTicket ticket;
            if (round == 0) {
                ticket = LotteryTicket.builder(newNetwork(trainer))
                        .strategy(hp.pruning().pruningStrategy())
                        .rewindTo(hp.pruning().rewind())
                        .hyperparameters(hyperparameterMap())
                        .build();
            } else {
                ticket = trainedTicket(round - 1);
                ticket.pruneAndRewind(hp.pruning().fraction());
            }
            TrainingRecord training = trainer.train(NetworkAdapter.of(ticket.network()), round, ArmResult.TICKET);
            ticket.save(roundFolder(round).resolve("ticket.zip"));
            ArmResult result = result(round, ArmResult.TICKET, ticket.sparsity(), training);
            Json.writeChecked(record, result); // last: its presence means the round is complete
            if (current != null && current != ticket) {
                current.close();
            }
            current = ticket;
            currentRound = round;
            return result;
        }

        /** The ticket as trained in {@code round}: the live one, or the one saved in the round's folder. */
        private LotteryTicket trainedTicket(int round) throws IOException {
            if (current == null || currentRound != round) {
                closeTicket();
                // with the hyperparameters' strategy: a method of the user's own is not rebuilt from its name
                current = LotteryTicket.load(roundFolder(round).resolve("ticket.zip"), hp.pruning().pruningStrategy());
                currentRound = round;
            }
            return current;
        }

        void closeTicket() {
            if (current != null) {
                current.close();
                current = null;
                currentRound = -1;
            }
        }
    }

    /** The workload's network with the training hyperparameters' optimizer, decay and schedule. */
    private Model newNetwork(Trainer trainer) {
        Model net = workload.createNetwork(hp);
        hp.training().applyTo(net, trainer.iterationsPerEpoch());
        return net;
    }

    private ArmResult controlArm(int round, ControlArm arm, ControlSource ticket, Trainer trainer) throws IOException {
        long seed = hp.training().seed() * 7919 + round;
        Model net = newNetwork(trainer);
        // a copy: the control must not share (and on close detach) the ticket's recorder
        LotteryTicket.Builder control = LotteryTicket.builder(net)
                .snapshots(RewindSnapshots.of(ticket.snapshots().asMap()));
        if (arm == ControlArm.REINIT) {
            control.masks(ticket.masks()).rewindTo(RewindPoint.randomReinit(seed));
        } else {
            control.masks(RandomMasks.matching(ticket.masks(), seed)).rewindTo(ticket.rewindPoint());
            if (ticket.rewindPoint().keepsTrainedWeights()) {
                continueFrom(net, round - 1);
            }
        }
        try (LotteryTicket c = control.build()) {
            c.rewind();
            TrainingRecord training = trainer.train(NetworkAdapter.of(c.network()), round, arm.describe());
            ArmResult result = result(round, arm.describe(), c.sparsity(), training);
            Json.writeChecked(record(round, arm.describe()), result);
            return result;
        }
    }

    /**
     * Gives a control the weights and schedule position the ticket's round started from, for rewind
     * points that keep the trained weights: those {@code round} ended with.
     */
    private void continueFrom(Model net, int round) throws IOException {
        try (LotteryTicket trained = LotteryTicket.load(roundFolder(round).resolve("ticket.zip"))) {
            net.params().assign(trained.network().params());
            Optimizers.startScheduleAt(net, Optimizers.schedulePosition(trained.network()));
        }
    }

    private static ArmResult result(int round, String arm, SparsityReport sparsity, TrainingRecord training) {
        Map<String, Double> layers = new LinkedHashMap<>();
        sparsity.byLayer().forEach((k, v) -> layers.put(k, v.fractionRemaining()));
        return new ArmResult(round, arm, sparsity.fractionRemaining(), layers, training);
    }

    private Map<String, String> hyperparameterMap() {
        Map<String, String> out = new LinkedHashMap<>(hp.canonicalFields());
        out.put("experiment", hp.folderName());
        return out;
    }

    private ExperimentResult write(List<ControlArm> arms, List<ArmResult> results) throws IOException {
        ExperimentResult result = new ExperimentResult(hp.folderName(), hp.fields(), hp.canonical(),
                arms.stream().map(ControlArm::describe).toList(),
                results, Provenance.current());
        ResultsWriter.write(folder, result);
        report.write(folder, result);
        return result;
    }
}

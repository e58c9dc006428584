package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.lottery4j.report.StudyReport;
import org.lottery4j.study.LocalExecutor;
import org.lottery4j.study.StudyFolder;
import org.lottery4j.study.StudyRun;
import org.lottery4j.study.StudySpec;
import org.lottery4j.study.StudyStatus;
import org.lottery4j.study.Summary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Studies of LeNet-300-100 on MNIST and of the convolutional models on MNIST or CIFAR-10
 * ({@link StudyWorkloads} says which a study file can name): {@code study run SPEC --out DIR} runs (or resumes) every
 * experiment of a study file on a pool of workers (or, with {@code --executor spark}, as Spark
 * tasks), {@code study status DIR} counts what finished,
 * failed or is left, {@code study report DIR} rebuilds {@code summary.csv},
 * {@code summary.json} and the page of charts {@code index.html} from whatever finished. {@code run} keeps a copy of the study file in
 * {@code DIR/study.json} for the other two ({@link StudyFolder}: a folder belongs to one study).
 *
 * <pre>{@code
 * java -jar lottery-examples.jar study run lottery-examples/studies/quick.json --workers 2 --out quick
 * java -jar lottery-examples.jar study run lottery-examples/studies/quick.json --executor spark --master 'local[2]' --out quick
 * java -jar lottery-examples.jar study status quick
 * }</pre>
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a study (many experiments: LeNet-300-100, Conv-2/4/6 or ResNet-20 on MNIST or CIFAR-10, several seeds) and summarize it.",
        subcommands = {StudyCommand.Run.class, StudyCommand.Status.class, StudyCommand.Report.class})
final class StudyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a study command: run, status or report");
    }

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Runs every experiment of the study file SPEC not finished in DIR (failed ones again), "
                    + "then writes DIR/summary.csv, DIR/summary.json and DIR/index.html (charts and table).",
                    "Each experiment writes DIR/lottery_<hash>; running the same command again resumes."})
    static final class Run implements Callable<Integer> {

        /** Where the experiments train. */
        enum Executor { local, spark }

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SPEC", description = "The study file (JSON).")
        Path file;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The study's folder.")
        Path out;

        @Option(names = "--executor", paramLabel = "local|spark", defaultValue = "local",
                description = {"local (default): a pool of workers on this machine.",
                        "spark: one Spark task per experiment (under spark-submit, or in this JVM on --master); "
                                + "DIR must be a path that every Spark executor sees."})
        Executor executor;

        @Option(names = "--workers", paramLabel = "N",
                description = "With the local executor: experiments trained at once, each with one ND4J thread "
                        + "(default: the number of cores).")
        Integer workers;

        @Option(names = "--master", paramLabel = "URL",
                description = "With --executor spark: Spark inside this JVM, such as local[2] (default: local[*]); "
                        + "under spark-submit, its --master (spark://HOST:7077, yarn, k8s://...) if given here too.")
        String master;

        @ArgGroup(exclusive = true)
        MnistSource source;

        @Mixin
        MaxRuns maxRuns;

        @Option(names = "--cifar-dir", paramLabel = "DIR",
                description = "For dataset.name cifar10 (or a subset, such as cifar10-first5000-test1000): the folder "
                        + Cifar10Command.BATCHES_FOLDER + " of the binary release.")
        Path cifarDir;

        @Override
        public Integer call() throws IOException {
            if (workers != null && workers < 1) {
                throw new ParameterException(spec.commandLine(), "--workers must be >= 1, got " + workers);
            }
            if (executor == Executor.spark && workers != null) {
                throw new ParameterException(spec.commandLine(), "--workers is for --executor local; on Spark, "
                        + "as many experiments train at once as the executors have task slots");
            }
            if (maxRuns.value() < 1) {
                throw new ParameterException(spec.commandLine(), "--max-runs must be >= 1, got " + maxRuns.value());
            }
            if (executor == Executor.local && master != null) {
                throw new ParameterException(spec.commandLine(), "--master is for --executor spark");
            }
            if (master != null && SparkStudy.masterIsSet()) {
                if (!master.equals(SparkStudy.master())) {
                    throw new ParameterException(spec.commandLine(), "--master " + master + ": spark.master is "
                            + SparkStudy.master() + " already (spark-submit's --master); give one master");
                }
                master = null; // spark-submit's, the same
            } else if (master != null && !master.startsWith("local")) {
                throw new ParameterException(spec.commandLine(), "--master " + master + ": without spark-submit, "
                        + "--master runs Spark inside this JVM (local[N]); to run a study on a cluster, submit "
                        + "lottery-spark-job.jar with spark-submit --master " + master + " (docs/spark-cluster.md)");
            }
            try {
                StudyFolder.requireLocal(out);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--out: " + e.getMessage());
            }
            String text = StudySpec.text(file);
            StudySpec study = StudySpec.parse(text, file, maxRuns.value());
            System.out.println("study '" + study.name() + "': " + study.summary()); // before anything else
            List<StudyRun> runs = study.runs();
            if (cifarDir != null && !Files.isDirectory(cifarDir)) {
                throw new ParameterException(spec.commandLine(), "--cifar-dir " + cifarDir + " is not a folder");
            }
            StudyWorkloads workloads = StudyWorkloads.of(source, MnistSource.load(source, spec), cifarDir);
            for (StudyRun run : runs) { // before anything runs (loads each dataset once)
                try {
                    workloads.create(run);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
                }
            }
            StudyFolder.claim(out, study, text); // a folder belongs to one study
            LocalExecutor.SummaryReport page = (folder, summary) -> StudyReport.write(folder, study.name(), summary);
            StudyStatus status = executor == Executor.spark
                    ? SparkStudy.run(study.name(), runs, out, workloads, master, page)
                    : new LocalExecutor(out, workloads, workers == null ? LocalExecutor.defaultWorkers() : workers,
                            page).run(runs);
            print(status, out);
            return status.failed().isEmpty() ? 0 : 1;
        }
    }

    /** The most runs a study may expand to, for every study command. */
    static final class MaxRuns {

        @Option(names = "--max-runs", paramLabel = "N", defaultValue = "10000",
                description = "Refuse a study that expands to more than N experiments (default: ${DEFAULT-VALUE}).")
        long value;

        long value() {
            return value;
        }
    }

    /** A command on the folder {@code study run} wrote, which holds the study file's copy. */
    abstract static class SavedStudy implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The study's folder (where 'study run' wrote).")
        Path dir;

        @Mixin
        MaxRuns maxRuns;

        /** The study file that {@code study run} copied into {@code dir}. */
        StudySpec savedStudy() throws IOException {
            if (!Files.isRegularFile(dir.resolve(StudyFolder.SPEC_COPY))) {
                throw new ParameterException(spec.commandLine(), dir + " holds no " + StudyFolder.SPEC_COPY
                        + ": is it a folder that 'study run' wrote?");
            }
            if (maxRuns.value() < 1) {
                throw new ParameterException(spec.commandLine(), "--max-runs must be >= 1, got " + maxRuns.value());
            }
            return StudyFolder.study(dir, maxRuns.value());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Counts the study's experiments in DIR that finished, are running (where, since when), failed (with their messages) or are left.")
    static final class Status extends SavedStudy {

        @Override
        public Integer call() throws IOException {
            List<StudyRun> runs = savedStudy().runs();
            print(StudyStatus.of(runs, dir), dir);
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Rebuilds DIR/summary.csv, DIR/summary.json and DIR/index.html from the study's finished experiments.")
    static final class Report extends SavedStudy {

        @Override
        public Integer call() throws IOException {
            StudySpec study = savedStudy();
            List<StudyRun> runs = study.runs();
            if (report(study, dir).isEmpty()) {
                throw new IllegalArgumentException("no experiment of the study in " + dir + " has finished yet");
            }
            StudyStatus status = StudyStatus.of(runs, dir);
            System.out.println("summary of " + status.done().size() + " of " + status.total() + " experiments: "
                    + dir.resolve("summary.csv") + ", charts: " + dir.resolve("index.html"));
            return 0;
        }
    }

    /**
     * Writes the summary of the finished runs and the study's {@code index.html} into {@code dir};
     * empty (nothing written) when none has finished.
     */
    private static Optional<Summary> report(StudySpec study, Path dir) throws IOException {
        return LocalExecutor.writeSummary(study.runs(), dir,
                (folder, summary) -> StudyReport.write(folder, study.name(), summary));
    }

    private static void print(StudyStatus status, Path dir) {
        System.out.println(status.total() + " experiments: " + status.done().size() + " done, "
                + status.running().size() + " running, " + status.failed().size() + " failed, "
                + status.left().size() + " left");
        status.running().forEach((run, r) -> System.out.println("running: " + run.hparams().folderName() + " "
                + run.varied() + " since " + r.started() + " (process " + r.pid() + " on " + r.host() + ")"));
        status.failed().forEach((run, message) -> System.out.println("failed: " + run.hparams().folderName() + " "
                + run.varied() + ": " + message));
        if (!status.done().isEmpty()) {
            System.out.println("summary: " + dir.resolve("summary.csv") + ", charts: " + dir.resolve("index.html"));
        }
    }
}

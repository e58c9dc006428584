package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.ticket.LotteryTicket;

class MainTest {

    @TempDir
    Path dir;

    private static final String NL = System.lineSeparator();

    @Test
    void anUnknownExampleIsReportedInOneLine() {
        String err = Console.err(() -> assertThat(Main.run("nope")).isEqualTo(2));
        assertThat(err).isEqualTo("error: Unmatched argument at index 0: 'nope' (see 'lottery-examples --help')" + NL);
        err = Console.err(() -> assertThat(Main.run(new String[0])).isEqualTo(2));
        assertThat(err).isEqualTo("error: name an example to run, such as 'mnist-lenet' (see 'lottery-examples --help')" + NL);
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--epoch", "3")).isEqualTo(2));
        assertThat(err).isEqualTo("error: Unknown options: '--epoch', '3'; did you mean --epochs? "
                + "(see 'lottery-examples mnist-lenet --help')" + NL);
    }

    /** Every command, as {@code lottery-examples help} lists them. */
    private static final String[] COMMANDS = {"mnist-lenet", "mnist-2to4", "cifar10", "study", "grokking",
        "grokking-tickets", "double-descent", "predict"};

    @Test
    void everyCommandPrintsItsVersionAndHelpWithoutPicocliWarnings() {
        String[] all = Stream.concat(Stream.of(""), Stream.of(COMMANDS)).toArray(String[]::new);
        for (String command : all) {
            String[] help = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
            String[] version = command.isEmpty() ? new String[] {"-V"} : new String[] {command, "-V"};
            String[] out = new String[1];
            String err = Console.err(() -> out[0] = Console.out(() -> assertThat(Main.run(help)).isZero()));
            assertThat(err).as("%s --help", command).doesNotContain("picocli").isEmpty(); // an unescaped % warns
            assertThat(out[0]).as("%s --help", command).contains("Usage:");
            String v = Console.out(() -> assertThat(Main.run(version)).isZero());
            assertThat(v).as("%s -V", command).startsWith("lottery4j ");
        }
    }

    @Test
    void theCifarFootersOptionsKeepTheirValuesOnTheirLine() {
        String help = Console.out(() -> assertThat(Main.run("cifar10", "--help")).isZero());
        String footer = help.substring(help.indexOf("The papers' settings"));
        for (String line : footer.lines().toList()) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(80);
            assertThat(line).as("a flag without its value").doesNotMatch(".*--[a-z-]+\\s*$");
        }
        assertThat(footer).contains("--epochs 182 --rounds 12 --rewind iteration:500");
    }

    @Test
    void mnistLenetRunsWritesItsReportAndResumes() throws Exception {
        Path out = dir.resolve("mnist");
        String[] args = {"mnist-lenet", "--rounds", "1", "--epochs", "1", "--controls", "reinit", "--validation", "500",
                "--eval-every", "50it", "--out", out.toString()};
        String first = Console.out(() -> assertThat(Main.run(args)).isZero());
        assertThat(first).contains("round,weights_remaining,test_accuracy,best_test_accuracy,early_stop_iteration,"
                + "train_seconds,reinit_test_accuracy", "report: ");
        Path folder;
        try (var dirs = java.nio.file.Files.list(out)) {
            folder = dirs.filter(p -> p.getFileName().toString().startsWith("lottery_")).findFirst().orElseThrow();
        }
        for (String f : new String[] {"rounds.csv", "results.json", "index.html", "hparams.json",
                "charts/accuracy.png", "charts/curves.svg", "round-01/ticket.zip", "round-01/reinit.json"}) {
            assertThat(folder.resolve(f)).exists();
        }
        // 20% of the hidden layers, 10% of the output layer
        LotteryTicket ticket = LotteryTicket.load(folder.resolve("round-01/ticket.zip"));
        assertThat(ticket.sparsity().byLayer().get("fc1").pruned()).isEqualTo(Math.round(0.2 * 784 * 300));
        assertThat(ticket.sparsity().byLayer().get("output").pruned()).isEqualTo(100);
        // the same command again trains nothing and prints the same table
        long before = java.nio.file.Files.getLastModifiedTime(folder.resolve("round-01/ticket.zip")).toMillis();
        String second = Console.out(() -> assertThat(Main.run(args)).isZero());
        assertThat(java.nio.file.Files.getLastModifiedTime(folder.resolve("round-01/ticket.zip")).toMillis()).isEqualTo(before);
        assertThat(second.substring(second.indexOf("round,"))).isEqualTo(first.substring(first.indexOf("round,")));
    }

    @Test
    void mnistLenetRejectsBadOptionsInOneLineNamingThem() {
        assertThat(badOption("--epochs", "0")).isEqualTo(usageError("--epochs must be >= 1, got 0"));
        assertThat(badOption("--output-fraction", "1")).isEqualTo(usageError("--output-fraction must be in [0, 1), got 1.0"));
        assertThat(badOption("--rewind", "late")).startsWith("error: pruning.rewind: not a rewind point: 'late'");
        assertThat(badOption("--schedule", "sometimes")).startsWith("error: pruning.schedule: not a pruning schedule: "
                + "'sometimes'");
        assertThat(badOption("--method", "snap")).startsWith("error: pruning.method: not a pruning method: 'snap'");
        assertThat(badOption("--controls", "shuffle")).startsWith("error: controls: 'shuffle' is not one of reinit, random_pruning, inverted, stability");
        assertThat(badOption("--eval-every", "often")).startsWith("error: training.evalEvery: not a step: 'often'");
        assertThat(badOption("--threads", "0")).isEqualTo(usageError("--threads must be >= 1, got 0"));
        assertThat(badOption("--workers", "0")).isEqualTo(usageError("--workers must be >= 1, got 0"));
        assertThat(badOption("--threads", "2", "--workers", "3")).isEqualTo(usageError("--threads 2 and --workers 3 do "
                + "not go together: each worker trains with one ND4J thread; pass --workers 1 to train one arm at a time "
                + "with 2 threads"));
        assertThat(badOption("--epochs", "many")).isEqualTo(usageError("Invalid value for option '--epochs': 'many' is not an int"));
        assertThat(badOption("--mnist-dir", "x", "--download")).contains("mutually exclusive");
        assertThat(badOption("--mnist-dir", dir.resolve("none").toString()))
                .isEqualTo(usageError("--mnist-dir " + dir.resolve("none") + " is not a folder"));
        for (String[] option : new String[][] {{"--rewind", "late"}, {"--controls", "shuffle"}, {"--eval-every", "often"},
                {"--mnist-dir", "x", "--download"}}) {
            assertThat(badOption(option)).as(option[0]).endsWith(" (see 'lottery-examples mnist-lenet --help')" + NL)
                    .hasLineCount(1);
        }
    }

    @Test
    void mnistLenetTrainsOneArmPerProcessorUnlessTheThreadsAreAskedFor() {
        assertThat(workers("--workers", "3")).isEqualTo(3);
        assertThat(workers("--threads", "1", "--workers", "3")).isEqualTo(3);
        assertThat(workers("--threads", "2", "--workers", "1")).isEqualTo(1);
        assertThat(workers("--threads", "2")).isEqualTo(1);
        String omp = System.getenv("OMP_NUM_THREADS"); // the tests run with 1, as the README's command does
        boolean ompThreads = omp != null && omp.trim().matches("\\d{1,9}") && Integer.parseInt(omp.trim()) > 1;
        assertThat(workers()).isEqualTo(ompThreads ? 1 : Runtime.getRuntime().availableProcessors());
    }

    private static int workers(String... options) {
        MnistLenetCommand command = new MnistLenetCommand();
        new picocli.CommandLine(command).parseArgs(options);
        return command.workers();
    }

    @Test
    void anOutputFolderThatCannotBeCreatedIsReportedWithTheReason() throws Exception {
        // tests run as root here, where permissions are not enforced: a regular file in the path
        // is the failure every user can reproduce
        Path file = Files.writeString(dir.resolve("results.txt"), "not a folder");
        String err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--rounds", "0", "--epochs", "1",
                "--controls", "none", "--out", file.resolve("sub").toString())).isEqualTo(1));
        // before anything else: no log of the experiment's settings, no data loaded
        assertThat(err).isEqualTo("error: cannot create directory " + file.resolve("sub") + ": not a directory" + NL);
    }

    /** The one line of a value error of mnist-lenet. */
    private static String usageError(String problem) {
        return "error: " + problem + " (see 'lottery-examples mnist-lenet --help')" + NL;
    }

    /** What mnist-lenet prints with these options, which must end it with exit status 2. */
    private String badOption(String... options) {
        String[] args = Stream.concat(Stream.of("mnist-lenet", "--out", dir.toString()),
                Stream.of(options)).toArray(String[]::new);
        return Console.err(() -> assertThat(Main.run(args)).as(String.join(" ", options)).isEqualTo(2));
    }
}

package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.ticket.LotteryTicket;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownExampleIsReported() {
        String err = Console.err(() -> assertThat(Main.run("nope")).isEqualTo(2));
        assertThat(err).contains("Unmatched argument at index 0: 'nope'");
        err = Console.err(() -> assertThat(Main.run(new String[0])).isEqualTo(2));
        assertThat(err).contains("name an example to run, such as 'mnist-lenet'");
    }

    @Test
    void mnistLenetRunsWritesItsReportAndResumes() throws Exception {
        Path out = dir.resolve("mnist");
        String[] args = {"mnist-lenet", "--rounds", "1", "--epochs", "1", "--controls", "reinit", "--validation", "500",
                "--eval-every", "50it", "--out", out.toString()};
        String first = Console.out(() -> assertThat(Main.run(args)).isZero());
        assertThat(first).contains("round,weights_remaining,test_accuracy,best_test_accuracy,best_iteration,"
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
    void mnistLenetRejectsBadOptionsNamingThem() {
        String err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--epochs", "0")).isEqualTo(2));
        assertThat(err).startsWith("--epochs must be >= 1, got 0");
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--output-fraction", "1")).isEqualTo(2));
        assertThat(err).startsWith("--output-fraction must be in [0, 1), got 1.0");
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--rewind", "late")).isEqualTo(2));
        assertThat(err).startsWith("not a rewind point: 'late'");
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--controls", "shuffle")).isEqualTo(2));
        assertThat(err).startsWith("controls: 'shuffle' is not one of reinit, random_pruning");
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--eval-every", "often")).isEqualTo(2));
        assertThat(err).startsWith("not a step: 'often'");
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--threads", "0", "--out", dir.toString())).isEqualTo(1));
        assertThat(err).startsWith("error: --threads must be >= 1, got 0");
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--mnist-dir", "x", "--download")).isEqualTo(2));
        assertThat(err).contains("mutually exclusive");
        err = Console.err(() -> assertThat(Main.run("mnist-lenet", "--mnist-dir", dir.resolve("none").toString(),
                "--out", dir.toString())).isEqualTo(1));
        assertThat(err).startsWith("error: --mnist-dir " + dir.resolve("none") + " is not a folder");
    }
}

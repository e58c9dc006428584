package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.ticket.LotteryTicket;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void demoPrunesAndSavesATicket() throws Exception {
        Path out = dir.resolve("demo");
        String stdout = capture(() -> assertThat(Main.run("demo", "--rounds", "2", "--epochs", "1", "--out", out.toString()))
                .isZero());
        assertThat(stdout).contains("weights_remaining", "ticket saved to");
        LotteryTicket ticket = LotteryTicket.load(out.resolve("ticket.zip"));
        assertThat(ticket.round()).isEqualTo(2);
        assertThat(ticket.sparsity().byLayer().get("hidden1").pruned()).isEqualTo(800 + 640);
    }

    @Test
    void badOptionsFailWithAMessage() {
        String err = captureErr(() -> assertThat(Main.run("demo", "--fraction", "abc")).isEqualTo(2));
        assertThat(err).contains("Invalid value for option '--fraction': 'abc' is not a double");
        err = captureErr(() -> assertThat(Main.run("demo", "--epochs", "0", "--out", dir.toString())).isEqualTo(2));
        assertThat(err).contains("--epochs >= 1");
        err = captureErr(() -> assertThat(Main.run("nope")).isEqualTo(2));
        assertThat(err).contains("Unmatched argument at index 0: 'nope'");
    }

    @Test
    void aFractionOutsideTheRangeIsReported() {
        String err = captureErr(() -> assertThat(Main.run("demo", "--fraction", "1.5", "--out", dir.toString())).isEqualTo(2));
        assertThat(err).startsWith("--fraction must be in [0, 1), got 1.5");
    }

    private static String capture(Runnable r) {
        return capture(r, System.out, System::setOut);
    }

    private static String captureErr(Runnable r) {
        return capture(r, System.err, System::setErr);
    }

    private static String capture(Runnable r, PrintStream old, java.util.function.Consumer<PrintStream> set) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        set.accept(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            set.accept(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}

package org.lottery4j.experiment;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per evaluation with the round, arm, iteration, accuracies and an estimate of the
 * time left: the iterations still planned divided by the iterations done per second of wall time
 * so far in this process (evaluation included), which counts every worker of an experiment that
 * trains several arms at once. Safe to call from several threads.
 */
final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger("lottery4j.experiment");

    private final int rounds;
    private final AtomicLong doneIterations = new AtomicLong();
    private volatile long plannedIterations;
    private volatile long startNanos = System.nanoTime();

    Progress(int rounds) {
        this.rounds = rounds;
    }

    /** Sets how many iterations this process will train in all, for the estimate of the time left. */
    void plan(long iterations) {
        this.plannedIterations = iterations;
        this.startNanos = System.nanoTime();
    }

    /** Counts {@code iterations} more done. */
    void advance(long iterations) {
        doneIterations.addAndGet(iterations);
    }

    void evaluated(int round, String arm, long iteration, long total, double validationLoss, double validationAccuracy,
            double testAccuracy) {
        LOG.info(String.format(Locale.ROOT,
                "round %d/%d %-14s it %6d/%-6d val_loss %.4f val_acc %.4f test_acc %.4f | left ~%s",
                round, rounds, arm, iteration, total, validationLoss, validationAccuracy, testAccuracy, left()));
    }

    private String left() {
        long done = doneIterations.get();
        if (done == 0) {
            return "?";
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long s = Math.round(seconds / done * Math.max(0, plannedIterations - done));
        Duration d = Duration.ofSeconds(s);
        return d.toHours() > 0
                ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}

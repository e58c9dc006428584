package org.lottery4j.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lottery4j.runtime.RuntimeSettings;

/**
 * Trains an experiment's arms on {@code workers} threads, in the order their dependencies allow:
 * round r's ticket after round r-1's (it prunes that ticket), each control arm of round r after
 * its round's ticket (it copies that ticket's masks and snapshots). The tickets are the critical
 * path, so the chain of tickets runs as one job that holds a worker until the last round and never
 * waits behind a control; each control is a {@link CompletableFuture} on the pool, queued when its
 * ticket finishes, trained by the other workers in that order and by the chain's worker once the
 * tickets are done. Each worker sets ND4J to one thread. With one worker, everything runs on the
 * calling thread with its ND4J settings: a round's ticket, then its controls, then the next round.
 *
 * <p>The first failure stops the work: arms not yet started are skipped, arms in training finish
 * (and are recorded), and the failure is thrown with any later ones suppressed. An interrupt of the
 * calling thread counts as a failure, after which it waits for the arms in training.
 */
final class ArmScheduler {

    /** One arm's training. */
    @FunctionalInterface
    interface Job {
        void run() throws Exception;
    }

    /** Trains a round's ticket and returns the control arms it makes ready. */
    @FunctionalInterface
    interface Tickets {
        List<Job> train(int round) throws Exception;
    }

    /** Whether this worker thread has set ND4J to one thread. */
    private static final ThreadLocal<Boolean> ONE_THREAD = ThreadLocal.withInitial(() -> false);

    private final ExecutorService pool;
    private final List<CompletableFuture<Void>> controls = Collections.synchronizedList(new ArrayList<>());
    private Throwable failure;

    private ArmScheduler(ExecutorService pool) {
        this.pool = pool;
    }

    /** Trains the tickets of rounds {@code 0..rounds} and their controls on {@code workers} threads. */
    static void run(int workers, int rounds, Tickets tickets) throws IOException {
        if (workers == 1) {
            rethrow(() -> {
                for (int round = 0; round <= rounds; round++) {
                    for (Job control : tickets.train(round)) {
                        control.run();
                    }
                }
            });
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "experiment-worker");
            t.setDaemon(true);
            return t;
        });
        ArmScheduler s = new ArmScheduler(pool);
        try {
            CompletableFuture<Void> chain = s.submit(() -> {
                for (int round = 0; round <= rounds && !s.failed(); round++) {
                    for (Job control : tickets.train(round)) {
                        s.controls.add(s.submit(control));
                    }
                }
            });
            s.await(chain); // every control is queued once the chain is done
            s.await(CompletableFuture.allOf(s.controls.toArray(CompletableFuture[]::new)));
        } finally {
            pool.shutdown();
        }
        Throwable e = s.failure();
        if (e instanceof Error error) {
            throw error;
        } else if (e != null) {
            rethrow(() -> {
                throw (Exception) e;
            });
        }
    }

    /** Runs {@code job} on the pool unless some job failed; its failure is recorded, never thrown. */
    private CompletableFuture<Void> submit(Job job) {
        return CompletableFuture.runAsync(() -> {
            if (failed()) {
                return;
            }
            try {
                if (!ONE_THREAD.get()) {
                    RuntimeSettings.threads(1); // per worker: OpenMP keeps its thread count per calling thread
                    ONE_THREAD.set(true);
                }
                job.run();
            } catch (Throwable e) {
                fail(e);
            }
        }, pool);
    }

    /** Waits for {@code f}; an interrupt records a failure (no new arm starts) and waits on. */
    private void await(CompletableFuture<Void> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the live ticket is closed only once its worker is done with it
                fail(new IOException("interrupted while the experiment ran", e));
            } catch (ExecutionException e) {
                fail(e.getCause()); // jobs record their failures: not expected
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        } else if (failure != e) {
            failure.addSuppressed(e);
        }
    }

    private synchronized boolean failed() {
        return failure != null;
    }

    private synchronized Throwable failure() {
        return failure;
    }

    /** Runs {@code job}, throwing what it throws as an {@code IOException}, unchecked exception or error. */
    private static void rethrow(Job job) throws IOException {
        try {
            job.run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}

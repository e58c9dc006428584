package org.lottery4j.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Runs the garbage collector every so often during training. ND4J frees an array's native memory
 * only when the collector finds the array unreachable, and with JavaCPP's resident-memory check off
 * ({@code RuntimeSettings.disableMemoryCheck()}, faster small steps) nothing asks for a collection:
 * a heap with little Java garbage then lets gigabytes of dead native arrays pile up. A ResNet-20
 * study on 2 workers grew to 24 GB and was killed by the kernel; with JavaCPP's check at 9 GB it
 * stayed there, so the memory was garbage. Every worker shares one pace, so a process collects at
 * most once per interval. The experiments tick it after each step; so should any other loop that
 * trains a DL4J network for long with the check off (the examples' grokking and double-descent runs).
 *
 * <pre>{@code
 * GarbageCollection.DEFAULT.tick();   // after each training step: collects if 10 s have passed
 * }</pre>
 */
public final class GarbageCollection {

    /** Collections at most every 10 seconds, which costs well under 1% of training. */
    public static final GarbageCollection DEFAULT = new GarbageCollection(10_000_000_000L, System::nanoTime, System::gc);

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Runnable collect;
    private final AtomicLong last;

    public GarbageCollection(long intervalNanos, LongSupplier clock, Runnable collect) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.collect = collect;
        this.last = new AtomicLong(clock.getAsLong());
    }

    /** Collects garbage if the interval has passed since the last collection; returns whether it did. */
    public boolean tick() {
        long now = clock.getAsLong();
        long previous = last.get();
        if (now - previous < intervalNanos || !last.compareAndSet(previous, now)) {
            return false;
        }
        collect.run();
        return true;
    }
}

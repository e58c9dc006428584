package org.lottery4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.GarbageCollection;

class GarbageCollectionTest {

    @Test
    void collectsOncePerIntervalAndNoMore() {
        AtomicLong now = new AtomicLong(0);
        AtomicInteger collections = new AtomicInteger();
        GarbageCollection gc = new GarbageCollection(10, now::get, collections::incrementAndGet);

        now.set(9);
        assertThat(gc.tick()).isFalse();
        now.set(10);
        assertThat(gc.tick()).isTrue();
        assertThat(gc.tick()).isFalse(); // right after: nothing to do
        now.set(19);
        assertThat(gc.tick()).isFalse();
        now.set(35);
        assertThat(gc.tick()).isTrue();
        assertThat(collections).hasValue(2);
    }
}

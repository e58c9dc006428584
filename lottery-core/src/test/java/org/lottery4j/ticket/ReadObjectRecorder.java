package org.lottery4j.ticket;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** A serializable class whose {@code readObject} records that it ran: a stand-in for a gadget. */
final class ReadObjectRecorder implements Serializable {

    private static final long serialVersionUID = 1L;

    static final AtomicInteger RUNS = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        RUNS.incrementAndGet();
        in.defaultReadObject();
    }
}

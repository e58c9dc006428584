package org.lottery4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** What a command prints, captured for the examples' tests. */
final class Console {

    private Console() {}

    /** What {@code r} prints on standard output. */
    static String out(Runnable r) {
        return capture(r, System.out, System::setOut);
    }

    /** What {@code r} prints on standard error. */
    static String err(Runnable r) {
        return capture(r, System.err, System::setErr);
    }

    private static String capture(Runnable r, PrintStream old, Consumer<PrintStream> set) {
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

package org.lottery4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Seeded fuzzing of a reader of users' files: thousands of damaged copies of a valid file, each
 * written to disk and read, and each outcome classified against the original, exactly (the caller's
 * {@code same} compares arrays bit for bit, masks with {@code equals}).
 *
 * <ul>
 *   <li>Damage ({@link Damage}: truncation, bit flips, runs of random bytes inserted, deleted or
 *       written over, extreme numbers written over bytes) must end in the format's own exception or
 *       read as the original: {@link Outcome#SAME} or {@link Outcome#REFUSED}.
 *   <li>A structural edit ({@link #structural}, such as a JSON field deleted, duplicated or given an
 *       extreme number, with the format's checksums recomputed as whoever edits a file on purpose
 *       would) may also read as a valid file other than the original, {@link Outcome#AS_WRITTEN},
 *       but only if the caller's oracle confirms that what was read is what the edited file says.
 *   <li>A format with no integrity data of its own (an uncompressed IDX file, a CIFAR batch, a study
 *       file someone wrote by hand) may read damage as written too ({@link #noIntegrity}), again
 *       only as its oracle confirms.
 * </ul>
 *
 * Anything else fails the test: a read that differs from the original otherwise
 * ({@link Outcome#SILENTLY_DIFFERENT}), or any other exception ({@link Outcome#OTHER_EXCEPTION}),
 * including errors such as {@code OutOfMemoryError}. How many copies of each kind: the system
 * property {@code lottery4j.fuzz.cases} (the {@code fuzz} Maven profile raises it), else the
 * caller's default; {@code lottery4j.fuzz.keep}, a folder, keeps the copies that failed.
 *
 * <pre>{@code
 * Fuzz.Report r = Fuzz.of("ticket", bytes, LotteryTicket::load, TicketFormatException.class)
 *         .same(loaded -> identical(loaded, original))
 *         .structural(edits::apply, (edited, loaded) -> readsAsWritten(edited, loaded))
 *         .run(dir, 20261207, 400);
 * r.print();
 * r.assertClean();
 * }</pre>
 */
public final class Fuzz<T> {

    /** Kinds of damage to the file's bytes. */
    public enum Damage {
        TRUNCATE, FLIP_ONE_BIT, FLIP_SEVERAL_BITS, OVERWRITE_RUN, INSERT_RUN, DELETE_RUN, EXTREME_NUMBER, STRUCTURAL
    }

    /** What became of one copy. */
    public enum Outcome { SAME, REFUSED, AS_WRITTEN, SILENTLY_DIFFERENT, OTHER_EXCEPTION }

    /** Reads a file as the format's reader does. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws Exception;
    }

    /** A copy of the original with a structural edit, checksums recomputed. */
    @FunctionalInterface
    public interface Edit {
        byte[] apply(byte[] original, Random random) throws Exception;
    }

    /** Whether what was read from {@code bytes} is what they say: an independent reading, or a round trip. */
    @FunctionalInterface
    public interface AsWritten<T> {
        boolean holds(byte[] bytes, T read) throws Exception;
    }

    /** Compares what was read with the original. */
    @FunctionalInterface
    public interface Same<T> {
        boolean holds(T read) throws Exception;
    }

    private final String format;
    private final byte[] original;
    private final Reader<T> reader;
    private final Class<? extends Exception> refusal;
    private Same<T> same;
    private Edit structural;
    private AsWritten<T> asWritten;
    private boolean noIntegrity;
    private String suffix = ".bin";

    private Fuzz(String format, byte[] original, Reader<T> reader, Class<? extends Exception> refusal) {
        this.format = format;
        this.original = original.clone();
        this.reader = reader;
        this.refusal = refusal;
    }

    /**
     * Fuzzes {@code reader} on copies of {@code original}; {@code refusal} is the format's own
     * exception, whose message must start with the file.
     */
    public static <T> Fuzz<T> of(String format, byte[] original, Reader<T> reader, Class<? extends Exception> refusal) {
        return new Fuzz<>(format, original, reader, refusal);
    }

    /** How to tell a read from the original one, exactly. */
    public Fuzz<T> same(Same<T> same) {
        this.same = same;
        return this;
    }

    /** Structural edits of the format, and how to confirm that an edited file was read as written. */
    public Fuzz<T> structural(Edit edit, AsWritten<T> asWritten) {
        this.structural = edit;
        this.asWritten = asWritten;
        return this;
    }

    /** The format carries no integrity data: damage may read as written, as {@code asWritten} confirms. */
    public Fuzz<T> noIntegrity(AsWritten<T> asWritten) {
        this.noIntegrity = true;
        this.asWritten = asWritten;
        return this;
    }

    /** The copies' file name ending, for readers that look at it ({@code .gz}). */
    public Fuzz<T> suffix(String suffix) {
        this.suffix = suffix;
        return this;
    }

    /** The number of copies per kind: the {@code lottery4j.fuzz.cases} system property, or {@code fallback}. */
    public static int cases(int fallback) {
        return Integer.getInteger("lottery4j.fuzz.cases", fallback);
    }

    /**
     * Reads {@code perKind} copies of every kind of damage (and of structural edits, if given), the
     * kinds in order, from one {@link Random} seeded with {@code seed}.
     */
    public Report run(Path dir, long seed, int perKind) throws Exception {
        Random random = new Random(seed);
        Map<Damage, int[]> counts = new EnumMap<>(Damage.class);
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (Damage kind : Damage.values()) {
            if (kind == Damage.STRUCTURAL && structural == null) {
                continue;
            }
            int[] c = new int[Outcome.values().length];
            counts.put(kind, c);
            for (int i = 0; i < perKind; i++) {
                byte[] copy = kind == Damage.STRUCTURAL ? structural.apply(original, random) : damage(original, kind, random);
                // a new name each time: nothing (ZipFile's cache of open archives) can see an older copy
                Path file = dir.resolve(format.replaceAll("[^A-Za-z0-9]", "-") + "-" + kind.name().toLowerCase(Locale.ROOT)
                        + "-" + i + suffix);
                Files.write(file, copy);
                Outcome o = read(file, copy, kind, failures, i);
                c[o.ordinal()]++;
                String keep = System.getProperty("lottery4j.fuzz.keep"); // a folder to keep failing copies in
                if (keep != null && !keep.isBlank() && (o == Outcome.SILENTLY_DIFFERENT || o == Outcome.OTHER_EXCEPTION)) {
                    Files.createDirectories(Path.of(keep));
                    Files.copy(file, Path.of(keep).resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                Files.delete(file);
            }
        }
        return new Report(format, counts, failures, (System.nanoTime() - start) / 1e9);
    }

    private Outcome read(Path file, byte[] copy, Damage kind, List<String> failures, int i) {
        String what = kind + " #" + i;
        try {
            T read = reader.read(file);
            if (same.holds(read)) {
                return Outcome.SAME;
            }
            boolean mayDiffer = kind == Damage.STRUCTURAL || noIntegrity;
            if (mayDiffer && asWritten.holds(copy, read)) {
                return Outcome.AS_WRITTEN;
            }
            failures.add(what + ": read as something other than " + (mayDiffer ? "the original or what it says" : "the original"));
            return Outcome.SILENTLY_DIFFERENT;
        } catch (Exception | Error e) {
            if (refusal.isInstance(e) && String.valueOf(e.getMessage()).startsWith(file + ": ")) {
                return Outcome.REFUSED;
            }
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            failures.add(what + ": " + trace.toString().lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse(""));
            return Outcome.OTHER_EXCEPTION;
        }
    }

    /** A damaged copy of {@code bytes}. */
    public static byte[] damage(byte[] bytes, Damage kind, Random random) {
        byte[] copy = bytes.clone();
        int at = random.nextInt(Math.max(1, bytes.length));
        switch (kind) {
            case TRUNCATE -> {
                return Arrays.copyOf(bytes, random.nextInt(Math.max(1, bytes.length)));
            }
            case FLIP_ONE_BIT -> copy[at] ^= (byte) (1 << random.nextInt(8));
            case FLIP_SEVERAL_BITS -> {
                for (int n = 2 + random.nextInt(15); n > 0; n--) {
                    copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case OVERWRITE_RUN -> {
                for (int j = at, end = Math.min(copy.length, at + 1 + random.nextInt(32)); j < end; j++) {
                    copy[j] = (byte) random.nextInt(256);
                }
            }
            case INSERT_RUN -> {
                byte[] run = new byte[1 + random.nextInt(32)];
                random.nextBytes(run);
                byte[] out = new byte[bytes.length + run.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(run, 0, out, at, run.length);
                System.arraycopy(bytes, at, out, at + run.length, bytes.length - at);
                return out;
            }
            case DELETE_RUN -> {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(32));
                byte[] out = new byte[bytes.length - n];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + n, out, at, bytes.length - at - n);
                return out;
            }
            case EXTREME_NUMBER -> {
                // a length, count, offset or dimension bent to an edge: 1, 2, 4 or 8 bytes, either byte order
                long[] values = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 32, Long.MAX_VALUE,
                        Long.MIN_VALUE, 65_535, 65_536, 0x7f, 0x80, 0xff};
                long v = values[random.nextInt(values.length)];
                int width = new int[] {1, 2, 4, 8}[random.nextInt(4)];
                ByteBuffer b = ByteBuffer.allocate(8).order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                b.putLong(v);
                byte[] number = b.order() == ByteOrder.LITTLE_ENDIAN ? Arrays.copyOf(b.array(), width)
                        : Arrays.copyOfRange(b.array(), 8 - width, 8);
                System.arraycopy(number, 0, copy, at, Math.min(width, copy.length - at));
            }
            default -> throw new IllegalArgumentException("structural edits are the format's: " + kind);
        }
        return copy;
    }

    /**
     * The counts of one reader's fuzzing.
     *
     * @param format what was fuzzed
     * @param counts per kind, how many copies ended in each {@link Outcome} (by ordinal)
     * @param failures the copies that did not end well, with what happened (the first few stack lines)
     * @param seconds how long it took
     */
    public record Report(String format, Map<Damage, int[]> counts, List<String> failures, double seconds) {

        public int total() {
            return counts.values().stream().mapToInt(c -> Arrays.stream(c).sum()).sum();
        }

        public int count(Outcome o) {
            return counts.values().stream().mapToInt(c -> c[o.ordinal()]).sum();
        }

        /** Prints one line per kind and a total, for the suite's output and the closing notes. */
        public Report print() {
            System.out.printf(Locale.ROOT, "fuzz %s: %,d copies in %.1f s: %,d read the same, %,d refused, %,d read as "
                    + "written (valid edits, or a format without checksums), %,d silently different, %,d other exceptions%n",
                    format, total(), seconds, count(Outcome.SAME), count(Outcome.REFUSED), count(Outcome.AS_WRITTEN),
                    count(Outcome.SILENTLY_DIFFERENT), count(Outcome.OTHER_EXCEPTION));
            counts.forEach((kind, c) -> System.out.printf(Locale.ROOT, "fuzz %s:   %-18s same %5d  refused %5d  as written %5d"
                    + "  different %d  other %d%n", format, kind, c[0], c[1], c[2], c[3], c[4]));
            failures.stream().limit(5).forEach(f -> System.out.println("fuzz " + format + ": FAILED " + f));
            return this;
        }

        /** No copy read silently different, and none ended in another exception than the format's. */
        public void assertClean() {
            assertThat(failures).as(format + ": copies that read different or threw another exception").isEmpty();
        }
    }
}

package org.lottery4j.ticket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.lottery4j.internal.Sha256;

/**
 * A ticket archive opened for checked reading. Every entry is read at most up to a size limit and
 * its bytes are compared with the zip's CRC-32 ({@link ZipFile} does not check it for stored
 * entries, nor reliably for deflated ones) and, when the manifest lists one, with its size and
 * SHA-256. Every failure is a {@link TicketFormatException} naming the file and the entry.
 *
 * <pre>{@code
 * try (TicketZip zip = TicketZip.open(file)) {
 *     byte[] masks = zip.read("masks.bin", sums.get("masks.bin"));
 * }
 * }</pre>
 */
final class TicketZip implements AutoCloseable {

    /** The largest entry a ticket may hold: the largest Java array. */
    static final int MAX_ENTRY = Integer.MAX_VALUE - 8;

    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    private TicketZip(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
    }

    static TicketZip open(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new TicketFormatException(file, "not a ticket file, or a truncated or corrupted one: " + e.getMessage()
                    + whatElse(file), e);
        }
        TicketZip t = new TicketZip(file, zip);
        try {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (t.entries.put(e.getName(), e) != null) {
                    // ZipFile.getEntry would silently pick one of the two
                    throw new TicketFormatException(file, "entry " + e.getName() + " appears twice");
                }
            }
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
        return t;
    }

    /**
     * What a file that is no zip archive looks like, for the message: a sparse model or another
     * safetensors file, the other files lottery4j writes that people take for tickets.
     */
    private static String whatElse(Path file) {
        byte[] head;
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            head = in.readNBytes(1 << 16);
        } catch (IOException e) {
            return "";
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (head.length > 9 && b.getLong(0) > 1 && head[8] == '{') {
            String header = new String(head, 8, head.length - 8, java.nio.charset.StandardCharsets.ISO_8859_1);
            return header.contains("\"lottery4j-sparse-model\"")
                    ? " (it is a sparse model file, which SparseModel.load reads)" : " (it is a safetensors file)";
        }
        return "";
    }

    /** The names of all entries, in the archive's order. */
    Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    boolean has(String name) {
        return entries.containsKey(name);
    }

    /** Reads an entry whose manifest records its size and SHA-256, and checks both and the CRC-32. */
    byte[] read(String name, TicketFile.EntrySum sum) throws IOException {
        byte[] bytes = read(name, sum.size());
        if (bytes.length != sum.size()) {
            throw new TicketFormatException(file, "entry " + name + " has " + bytes.length + " bytes, "
                    + TicketFile.MANIFEST + " says " + sum.size());
        }
        String sha = sha256(bytes);
        if (!sha.equals(sum.sha256())) {
            throw new TicketFormatException(file, "entry " + name + " is corrupted: its SHA-256 is " + sha + ", "
                    + TicketFile.MANIFEST + " says " + sum.sha256());
        }
        return bytes;
    }

    /** Reads an entry of at most {@code maxBytes} bytes and checks its CRC-32. */
    byte[] read(String name, long maxBytes) throws IOException {
        ZipEntry e = entries.get(name);
        if (e == null) {
            throw new TicketFormatException(file, "missing entry " + name + " (not a ticket file, or a damaged one)");
        }
        long limit = Math.min(maxBytes, MAX_ENTRY);
        if (e.getSize() > limit) {
            throw new TicketFormatException(file, "entry " + name + " holds " + e.getSize() + " bytes, more than the "
                    + limit + " it can have");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = readAll(in, name, e.getSize(), limit);
        } catch (ZipException | EOFException ex) {
            throw new TicketFormatException(file, "entry " + name + " is corrupted or truncated: " + ex.getMessage(), ex);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (crc.getValue() != e.getCrc()) {
            throw new TicketFormatException(file, String.format("entry %s is corrupted: its CRC-32 is %08x, the zip says %08x",
                    name, crc.getValue(), e.getCrc()));
        }
        return bytes;
    }

    /**
     * The entry's bytes: exactly as many as the zip's directory says (never more than
     * {@code limit}), or, where it says none, up to {@code limit}; a size that does not match the
     * data is an error, so neither a lying size field nor a decompression bomb allocates more.
     */
    private byte[] readAll(InputStream in, String name, long size, long limit) throws IOException {
        if (size < 0) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, MAX_ENTRY));
            if (bytes.length > limit) {
                throw new TicketFormatException(file, "entry " + name + " holds more than the " + limit
                        + " bytes it can have");
            }
            return bytes;
        }
        // readNBytes(len) grows its buffer as data arrives: a size field bent by damage costs no
        // more memory than the entry really holds
        byte[] bytes = in.readNBytes((int) size);
        int n = bytes.length;
        if (n < size || in.read() != -1) {
            throw new TicketFormatException(file, "entry " + name + " is corrupted: the zip says it has " + size
                    + " bytes, it holds " + (n < size ? n : "more"));
        }
        return bytes;
    }

    /** SHA-256 of {@code bytes} as lower-case hex. */
    static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}

package org.lottery4j.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.lottery4j.internal.Json;

/** Reads, edits and forges ticket files for tests. */
final class TicketFiles {

    private TicketFiles() {}

    /** All entries of a zip file, in order. */
    static Map<String, byte[]> entries(Path zipFile) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** One entry of a zip file. */
    static byte[] read(Path zipFile, String entry) {
        return entries(zipFile).get(entry);
    }

    /** Writes entries as a zip (deflated, with correct CRCs). */
    static void writeZip(Path out, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(out)) {
            os.write(zip(entries));
        }
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zos.putNextEntry(new ZipEntry(e.getKey()));
                zos.write(e.getValue());
                zos.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * A copy of a ticket with one entry changed ({@code null} from {@code change} drops it). With
     * {@code resign}, the manifest's size and SHA-256 of the changed entry are updated, as a
     * deliberate edit (or a forger) would, so that the checks behind the checksums are reached.
     */
    static Path rewrite(Path file, Path out, String entry, UnaryOperator<byte[]> change, boolean resign)
            throws IOException {
        Map<String, byte[]> entries = entries(file);
        byte[] changed = change.apply(entries.get(entry));
        if (changed == null) {
            entries.remove(entry);
        } else {
            entries.put(entry, changed);
        }
        if (resign && changed != null && !entry.equals(TicketFile.MANIFEST)) {
            ObjectNode manifest = (ObjectNode) Json.reader().readTree(entries.get(TicketFile.MANIFEST));
            for (JsonNode sum : manifest.path("entries")) {
                if (sum.get("name").asText().equals(entry)) {
                    ((ObjectNode) sum).put("size", changed.length).put("sha256", TicketZip.sha256(changed));
                }
            }
            entries.put(TicketFile.MANIFEST, Json.writer().writeValueAsBytes(manifest));
        }
        writeZip(out, entries);
        return out;
    }

    /**
     * The version-1 file of a ticket, as lottery4j 0.1 wrote it: the network as a DL4J
     * {@code ModelSerializer} zip in {@code network.zip} (plus {@code extraNetworkEntries}), no
     * checksums in the manifest.
     */
    static void writeVersion1(LotteryTicket ticket, Path out, Map<String, byte[]> extraNetworkEntries)
            throws IOException {
        Path v2 = Files.createTempFile(out.getParent(), "v2-", ".zip");
        ticket.save(v2);
        Map<String, byte[]> current = entries(v2);
        Files.delete(v2);
        ObjectNode manifest = (ObjectNode) Json.reader().readTree(current.get(TicketFile.MANIFEST));
        manifest.put("formatVersion", 1);
        manifest.remove("entries");

        ByteArrayOutputStream model = new ByteArrayOutputStream();
        ModelSerializer.writeModel(ticket.network(), model, false);
        Map<String, byte[]> network = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(model.toByteArray()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                network.put(e.getName(), in.readAllBytes());
            }
        }
        network.putAll(extraNetworkEntries);

        Map<String, byte[]> v1 = new LinkedHashMap<>();
        v1.put(TicketFile.MANIFEST, Json.writer().writeValueAsBytes(manifest));
        v1.put("network.zip", zip(network));
        v1.put("masks.bin", current.get("masks.bin"));
        current.forEach((name, bytes) -> {
            if (name.startsWith("rewind/")) {
                v1.put(name, bytes);
            }
        });
        writeZip(out, v1);
    }
}

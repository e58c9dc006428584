package org.lottery4j.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.Utf8;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ticket file format (version 2): a zip archive with
 *
 * <ul>
 *   <li>{@code network/configuration.json}: the network's DL4J configuration ({@code toJson()});
 *   <li>{@code network/params.bin}: its flat parameters, little-endian, in the network's data type
 *       (FLOAT or DOUBLE);
 *   <li>{@code masks.bin}: each mask in {@code ticket.json}'s order, one bit per weight (bit
 *       {@code i % 8} of byte {@code i / 8}, least significant first, set = kept), each mask
 *       starting on a byte boundary; the archive compresses it further;
 *   <li>{@code rewind/iteration-K.bin}: the flat parameters after K updates, as {@code params.bin};
 *   <li>{@code ticket.json}, last: format name and version, {@link TicketMetadata}, per-parameter
 *       sparsity, the network's parameter layout, the masked parameters, the snapshots, and the
 *       size and SHA-256 of every other entry.
 * </ul>
 *
 * Reading never deserializes Java objects: see {@link NetworkEntries} and {@link ConfigurationReader}.
 * Every entry is checked against its zip CRC-32 and, from version 2 on, against the size and
 * SHA-256 in the manifest, before any of it reaches DL4J. Version 1 (the network as a DL4J
 * {@code ModelSerializer} zip in {@code network.zip}, no checksums in the manifest) is still read.
 *
 * <p>The manifest itself is covered by its zip CRC-32 and by parsing: a CRC-32 catches every
 * burst of up to 32 damaged bits and misses random damage with probability 2^-32, and damage that
 * slipped through would still have to leave valid JSON with fields that fit the network. A hash of
 * the manifest stored in the same file would add no protection against tampering (whoever edits
 * the file recomputes it), so there is none; checksums here guard against damage, not against a
 * crafted file, which is why loading also refuses anything that could run code.
 *
 * <pre>{@code
 * ticket.save(path);                              // TicketFile.write, atomic
 * LotteryTicket again = LotteryTicket.load(path); // TicketFile.read, checked
 * }</pre>
 */
final class TicketFile {

    static final String FORMAT = "lottery4j-ticket";
    static final int VERSION = 2;
    static final String MANIFEST = "ticket.json";
    static final String MASKS = "masks.bin";

    /** A manifest larger than this is refused before it is parsed. */
    static final int MAX_MANIFEST = 64 << 20;



    /** The JSON manifest. Records map one-to-one to its fields. */
    record Manifest(
            String format,
            Integer formatVersion,
            String networkType,
            String dataType,
            Long numParams,
            TicketMetadata metadata,
            List<Sparsity> sparsity,
            List<Param> params,
            List<MaskEntry> masks,
            List<Snapshot> snapshots,
            List<EntrySum> entries) {}

    record Sparsity(String param, long total, long pruned, double fractionRemaining) {}

    record Param(String layer, String param, long[] shape, String order, long offset) {}

    record MaskEntry(String layer, String param, long[] shape) {}

    record Snapshot(int iteration, String entry) {}

    /** Size in bytes and SHA-256 (lower-case hex) of an entry other than the manifest. */
    record EntrySum(String name, long size, String sha256) {}

    private TicketFile() {}

    static void write(LotteryTicket ticket, Path file) throws IOException {
        NetworkView view = ticket.view();
        DataType dtype = view.dataType();
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("ticket files hold FLOAT or DOUBLE networks, not " + dtype);
        }
        MaskSet masks = ticket.masks();
        List<Sparsity> sparsity = new ArrayList<>();
        ticket.sparsity().params().forEach(e ->
                sparsity.add(new Sparsity(e.name(), e.total(), e.pruned(), e.fractionRemaining())));
        List<Param> params = layout(view);
        List<MaskEntry> maskEntries = masks.asMap().entrySet().stream()
                .map(e -> new MaskEntry(e.getKey().layer(), e.getKey().param(), e.getValue().shape()))
                .toList();
        List<Snapshot> snapshots = ticket.snapshots().asMap().keySet().stream()
                .map(k -> new Snapshot(k, "rewind/iteration-" + k + ".bin"))
                .toList();
        TicketMetadata metadata = ticket.metadata();

        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            List<EntrySum> sums = new ArrayList<>();
            putEntry(zip, NetworkEntries.CONFIGURATION, NetworkEntries.configuration(ticket.adapter()), sums);
            zip.setLevel(Deflater.BEST_SPEED); // trained floats barely compress: do not spend time on it
            putEntry(zip, NetworkEntries.PARAMS, NetworkEntries.toBytes(ticket.adapter().flatParams(), dtype), sums);
            for (Snapshot s : snapshots) {
                putEntry(zip, s.entry(), NetworkEntries.toBytes(ticket.snapshots().at(s.iteration()).orElseThrow(), dtype), sums);
            }
            zip.setLevel(Deflater.DEFAULT_COMPRESSION); // masks shrink well below 1 bit per weight
            ByteArrayOutputStream bits = new ByteArrayOutputStream();
            for (Mask m : masks.asMap().values()) {
                bits.write(m.toPackedBytes());
            }
            putEntry(zip, MASKS, bits.toByteArray(), sums);
            // last, because it holds the checksums of everything before it
            Manifest manifest = new Manifest(FORMAT, VERSION, view.networkType(), dtype.name(),
                    view.numParams(), metadata, sparsity, params, maskEntries, snapshots, sums);
            putEntry(zip, MANIFEST, Json.writer().writeValueAsBytes(manifest), null);
            zip.finish(); // not close(): AtomicFiles flushes, syncs and closes the file
        });
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes, List<EntrySum> sums) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
        if (sums != null) {
            sums.add(new EntrySum(name, bytes.length, TicketZip.sha256(bytes)));
        }
    }

    private static List<Param> layout(NetworkView view) {
        return view.params().stream()
                .map(p -> new Param(p.key().layer(), p.key().param(), p.shape(), String.valueOf(p.order()), p.offset()))
                .toList();
    }

    /** @param strategy the strategy to prune further with, or {@code null} for the one the file names */
    static LotteryTicket read(Path file, PruningStrategy strategy) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such ticket file");
        }
        try (TicketZip zip = TicketZip.open(file)) {
            Manifest m = readManifest(zip, file);
            DataType dtype = DataType.valueOf(m.dataType());
            Entries entries = checkEntries(zip, file, m);
            // every entry is read and checked before DL4J sees any of it
            byte[] maskBits = entries.read(MASKS);
            Map<Integer, INDArray> snapshots = new TreeMap<>();
            for (Snapshot s : m.snapshots()) {
                snapshots.put(s.iteration(), NetworkEntries.fromBytes(entries.read(s.entry()), dtype,
                        m.numParams(), file, "snapshot " + s.entry()));
            }
            Model network;
            if (m.formatVersion() == 1) {
                network = NetworkEntries.readVersion1(entries.read(NetworkEntries.V1_NETWORK), m.networkType(), dtype,
                        m.numParams(), file);
            } else {
                byte[] json = entries.read(NetworkEntries.CONFIGURATION);
                INDArray params = NetworkEntries.fromBytes(entries.read(NetworkEntries.PARAMS), dtype, m.numParams(),
                        file, "entry " + NetworkEntries.PARAMS);
                network = NetworkEntries.build(file, m.networkType(), json, NetworkEntries.CONFIGURATION, params);
            }
            NetworkView view = NetworkView.of(network);
            checkLayout(view, m, file);
            Long seed = m.metadata().seeds() == null ? null : m.metadata().seeds().get("network");
            long networkSeed = org.lottery4j.internal.NetworkAdapter.of(network).seed();
            if (seed != null && seed != networkSeed) {
                throw new TicketFormatException(file, "the network's configuration has the seed " + networkSeed + " but "
                        + MANIFEST + " says " + seed);
            }
            MaskSet masks = readMasks(maskBits, file, m, view);
            checkPrunedAreZero(view, masks, file);
            TicketMetadata meta = m.metadata();
            LotteryTicket.Builder b = LotteryTicket.builder(network).masks(masks)
                    .snapshots(RewindSnapshots.of(snapshots))
                    .round(meta.round()).hyperparameters(meta.hyperparameters());
            try {
                b.strategy(strategy == null ? SavedStrategies.parse(meta.method(), meta.scope())
                        : SavedStrategies.matching(strategy, meta.method(), meta.scope()))
                        .rewindTo(RewindPoint.parse(meta.rewindPoint()));
                return b.build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new TicketFormatException(file, e.getMessage(), e);
            }
        } catch (ZipException | EOFException e) {
            throw new TicketFormatException(file, "not a ticket file, or a truncated or corrupted one: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a manifest with missing or mistyped fields deep inside: still the file's fault, say so
            throw new TicketFormatException(file, "malformed ticket: " + e, e);
        }
    }

    /** Reads the entries a manifest names: checked against its sums (version 2) or the CRC only (version 1). */
    @FunctionalInterface
    private interface Entries {
        byte[] read(String name) throws IOException;
    }

    /**
     * Checks that the archive holds exactly the entries the manifest expects, each listed once
     * with its checksum (version 2), and returns how to read them.
     */
    private static Entries checkEntries(TicketZip zip, Path file, Manifest m) throws IOException {
        Set<String> expected = new LinkedHashSet<>();
        if (m.formatVersion() == 1) {
            expected.add(NetworkEntries.V1_NETWORK);
        } else {
            expected.add(NetworkEntries.CONFIGURATION);
            expected.add(NetworkEntries.PARAMS);
        }
        expected.add(MASKS);
        for (Snapshot s : m.snapshots()) {
            String name = "rewind/iteration-" + s.iteration() + ".bin";
            if (!name.equals(s.entry())) {
                throw new TicketFormatException(file, MANIFEST + " stores the snapshot at iteration " + s.iteration()
                        + " as " + s.entry() + ", expected " + name);
            }
            if (!expected.add(name)) {
                throw new TicketFormatException(file, MANIFEST + " lists the snapshot at iteration " + s.iteration()
                        + " twice");
            }
        }
        for (String name : expected) {
            if (!zip.has(name)) {
                throw new TicketFormatException(file, "missing entry " + name + " (not a ticket file, or a damaged one)");
            }
        }
        for (String name : zip.names()) {
            if (!name.equals(MANIFEST) && !expected.contains(name)) {
                throw new TicketFormatException(file, "entry " + name + " is not part of a ticket");
            }
        }
        if (m.formatVersion() == 1) {
            return name -> zip.read(name, TicketZip.MAX_ENTRY);
        }
        require(m.entries(), "entries", file);
        Map<String, EntrySum> sums = new HashMap<>();
        for (EntrySum s : m.entries()) {
            require(s.name(), "entries[].name", file);
            require(s.sha256(), "entries[].sha256", file);
            if (!expected.contains(s.name())) {
                throw new TicketFormatException(file, MANIFEST + " lists a checksum for " + s.name()
                        + ", which is not an entry of a ticket");
            }
            long max = s.name().equals(NetworkEntries.CONFIGURATION) ? NetworkEntries.MAX_CONFIGURATION : TicketZip.MAX_ENTRY;
            if (s.size() < 0 || s.size() > max) {
                throw new TicketFormatException(file, MANIFEST + " gives entry " + s.name() + " a size of " + s.size()
                        + " bytes, expected 0 to " + max);
            }
            if (sums.put(s.name(), s) != null) {
                throw new TicketFormatException(file, MANIFEST + " lists the checksum of " + s.name() + " twice");
            }
        }
        for (String name : expected) {
            if (!sums.containsKey(name)) {
                throw new TicketFormatException(file, MANIFEST + " has no checksum for entry " + name);
            }
        }
        return name -> zip.read(name, sums.get(name));
    }

    private static Manifest readManifest(TicketZip zip, Path file) throws IOException {
        if (!zip.has(MANIFEST)) {
            throw new TicketFormatException(file, "not a ticket file: it has no " + MANIFEST + " entry");
        }
        Manifest m;
        try {
            m = Json.reader().forType(Manifest.class).readValue(Utf8.decode(zip.read(MANIFEST, MAX_MANIFEST)));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TicketFormatException(file, MANIFEST + " is not valid: it is not UTF-8 text", e);
        } catch (JsonProcessingException e) {
            throw new TicketFormatException(file, MANIFEST + " is not valid: " + e.getOriginalMessage(), e);
        }
        if (m == null) {
            throw new TicketFormatException(file, MANIFEST + " is not valid: it is empty");
        }
        if (!FORMAT.equals(m.format())) {
            throw new TicketFormatException(file, "not a ticket file: format is '" + m.format() + "', expected '" + FORMAT + "'");
        }
        if (m.formatVersion() == null || m.formatVersion() > VERSION || m.formatVersion() < 1) {
            throw new TicketFormatException(file, "ticket format version " + m.formatVersion()
                    + " is not supported by this version of lottery4j (it reads versions 1 to " + VERSION + ")");
        }
        require(m.networkType(), "networkType", file);
        require(m.dataType(), "dataType", file);
        require(m.numParams(), "numParams", file);
        require(m.metadata(), "metadata", file);
        require(m.params(), "params", file);
        require(m.masks(), "masks", file);
        require(m.snapshots(), "snapshots", file);
        if (!m.dataType().equals("FLOAT") && !m.dataType().equals("DOUBLE")) {
            throw new TicketFormatException(file, MANIFEST + " gives the data type '" + m.dataType()
                    + "', expected FLOAT or DOUBLE");
        }
        long maxParams = TicketZip.MAX_ENTRY / (m.dataType().equals("DOUBLE") ? 8 : 4);
        if (m.numParams() < 1 || m.numParams() > maxParams) {
            throw new TicketFormatException(file, MANIFEST + " gives numParams " + m.numParams()
                    + ", expected 1 to " + maxParams);
        }
        return m;
    }

    private static void require(Object value, String field, Path file) throws TicketFormatException {
        if (value == null) {
            throw new TicketFormatException(file, MANIFEST + " has no '" + field + "' field");
        }
    }

    private static void checkLayout(NetworkView view, Manifest m, Path file) throws IOException {
        if (view.numParams() != m.numParams() || !view.dataType().name().equals(m.dataType())) {
            throw new TicketFormatException(file, "the network has " + view.numParams() + " " + view.dataType()
                    + " parameters but " + MANIFEST + " lists " + m.numParams() + " " + m.dataType());
        }
        List<Param> actual = layout(view);
        for (int i = 0; i < Math.max(actual.size(), m.params().size()); i++) {
            Param a = i < actual.size() ? actual.get(i) : null;
            Param e = i < m.params().size() ? m.params().get(i) : null;
            if (a == null || e == null || !a.layer().equals(e.layer()) || !a.param().equals(e.param())
                    || !Arrays.equals(a.shape(), e.shape()) || a.offset() != e.offset()) {
                throw new TicketFormatException(file, "the network's parameter " + describe(a)
                        + " does not match " + MANIFEST + "'s " + describe(e));
            }
        }
    }

    private static String describe(Param p) {
        return p == null ? "(none)" : p.layer() + "/" + p.param() + Arrays.toString(p.shape()) + "@" + p.offset();
    }

    private static MaskSet readMasks(byte[] bits, Path file, Manifest m, NetworkView view) throws IOException {
        Map<ParamKey, Mask> masks = new LinkedHashMap<>();
        int at = 0;
        for (MaskEntry e : m.masks()) {
            ParamKey key = ParamKey.of(e.layer(), e.param());
            ParamInfo p = view.param(key).orElseThrow(() -> new TicketFormatException(file,
                    "mask of " + key + " names a parameter the network does not have; its layers are " + view.layerNames()));
            if (!Arrays.equals(p.shape(), e.shape())) {
                throw new TicketFormatException(file, "mask of " + key + " has shape " + Arrays.toString(e.shape())
                        + " but layer " + key.layer() + "'s parameter " + key.param() + " has shape "
                        + Arrays.toString(p.shape()));
            }
            int n = (int) ((p.length() + 7) / 8);
            if (at + n > bits.length) {
                throw new TicketFormatException(file, MASKS + " is too short: " + bits.length
                        + " bytes, the masks need " + (at + n) + " or more");
            }
            Mask previous;
            try {
                previous = masks.put(key, Mask.fromPackedBytes(e.shape(), Arrays.copyOfRange(bits, at, at + n)));
            } catch (IllegalArgumentException ex) {
                throw new TicketFormatException(file, "mask of " + key + ": " + ex.getMessage(), ex);
            }
            if (previous != null) {
                throw new TicketFormatException(file, MANIFEST + " lists the mask of " + key + " twice");
            }
            at += n;
        }
        if (at != bits.length) {
            throw new TicketFormatException(file, MASKS + " has " + bits.length + " bytes, the masks in "
                    + MANIFEST + " need " + at);
        }
        return MaskSet.of(masks);
    }

    private static void checkPrunedAreZero(NetworkView view, MaskSet masks, Path file) throws IOException {
        for (Map.Entry<ParamKey, Mask> e : masks.asMap().entrySet()) {
            float[] w = view.read(view.param(e.getKey()).orElseThrow());
            Mask mask = e.getValue();
            for (int i = 0; i < w.length; i++) {
                if (w[i] != 0f && !mask.isKept(i)) {
                    throw new TicketFormatException(file, "the network and its masks disagree: weight " + i + " of "
                            + e.getKey() + " is pruned but holds " + w[i]);
                }
            }
        }
    }
}

package org.lottery4j.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.Json;
import org.lottery4j.mask.Mask;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.ParamKey;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.rewind.RewindSnapshots;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ticket file format (version 1): a zip archive with
 *
 * <ul>
 *   <li>{@code ticket.json}: format name and version, {@link TicketMetadata}, per-parameter
 *       sparsity, the network's parameter layout, the masked parameters and the snapshots;
 *   <li>{@code network.zip}: the network as DL4J's {@code ModelSerializer} writes it (no updater);
 *   <li>{@code masks.bin}: each mask in {@code ticket.json}'s order, one bit per weight (bit
 *       {@code i % 8} of byte {@code i / 8}, least significant first, set = kept), each mask
 *       starting on a byte boundary; the archive compresses it further;
 *   <li>{@code rewind/iteration-K.bin}: the flat parameters after K updates, little-endian,
 *       in the network's data type (FLOAT or DOUBLE).
 * </ul>
 *
 * <pre>{@code
 * ticket.save(path);                              // TicketFile.write, atomic
 * LotteryTicket again = LotteryTicket.load(path); // TicketFile.read, checked
 * }</pre>
 */
final class TicketFile {

    static final String FORMAT = "lottery4j-ticket";
    static final int VERSION = 1;
    static final String MANIFEST = "ticket.json";
    static final String NETWORK = "network.zip";
    static final String MASKS = "masks.bin";

    private static final ObjectMapper JSON = Json.MAPPER;

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
            List<Snapshot> snapshots) {}

    record Sparsity(String param, long total, long pruned, double fractionRemaining) {}

    record Param(String layer, String param, long[] shape, String order, long offset) {}

    record MaskEntry(String layer, String param, long[] shape) {}

    record Snapshot(int iteration, String entry) {}

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
        List<Param> params = view.params().stream()
                .map(p -> new Param(p.key().layer(), p.key().param(), p.shape(), String.valueOf(p.order()), p.offset()))
                .toList();
        List<MaskEntry> maskEntries = masks.asMap().entrySet().stream()
                .map(e -> new MaskEntry(e.getKey().layer(), e.getKey().param(), e.getValue().shape()))
                .toList();
        List<Snapshot> snapshots = ticket.snapshots().asMap().keySet().stream()
                .map(k -> new Snapshot(k, "rewind/iteration-" + k + ".bin"))
                .toList();
        Manifest manifest = new Manifest(FORMAT, VERSION, view.networkType(), dtype.name(),
                view.numParams(), ticket.metadata(), sparsity, params, maskEntries, snapshots);

        ByteArrayOutputStream network = new ByteArrayOutputStream();
        ModelSerializer.writeModel(ticket.network(), network, false);

        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            putEntry(zip, MANIFEST, JSON.writeValueAsBytes(manifest));
            zip.setLevel(Deflater.NO_COMPRESSION); // ModelSerializer's output is a zip already
            putEntry(zip, NETWORK, network.toByteArray());
            zip.setLevel(Deflater.DEFAULT_COMPRESSION); // masks shrink well below 1 bit per weight
            zip.putNextEntry(new ZipEntry(MASKS));
            for (Mask m : masks.asMap().values()) {
                zip.write(m.toPackedBytes());
            }
            zip.closeEntry();
            zip.setLevel(Deflater.BEST_SPEED); // trained floats barely compress: do not spend time on it
            for (Snapshot s : snapshots) {
                putEntry(zip, s.entry(), toBytes(ticket.snapshots().at(s.iteration()).orElseThrow(), dtype));
            }
            zip.finish(); // not close(): AtomicFiles flushes, syncs and closes the file
        });
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] toBytes(INDArray flat, DataType dtype) {
        if (dtype == DataType.DOUBLE) {
            double[] v = flat.toDoubleVector();
            ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(v);
            return b.array();
        }
        float[] v = flat.toFloatVector();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static LotteryTicket read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such ticket file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Manifest m = readManifest(zip, file);
            Model network = readNetwork(zip, file, m);
            NetworkView view = NetworkView.of(network);
            checkLayout(view, m, file);
            MaskSet masks = readMasks(zip, file, m, view);
            RewindSnapshots snapshots = readSnapshots(zip, file, m, view);
            checkPrunedAreZero(view, masks, file);
            TicketMetadata meta = m.metadata();
            LotteryTicket.Builder b = LotteryTicket.builder(network).masks(masks).snapshots(snapshots)
                    .round(meta.round()).hyperparameters(meta.hyperparameters());
            try {
                b.strategy(SavedStrategies.parse(meta.method(), meta.scope()))
                        .rewindTo(RewindPoint.parse(meta.rewindPoint()));
                return b.build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new TicketFormatException(file, e.getMessage(), e);
            }
        } catch (ZipException e) {
            throw new TicketFormatException(file, "not a ticket file, or a truncated or corrupted one: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a manifest with missing or mistyped fields deep inside: still the file's fault, say so
            throw new TicketFormatException(file, "malformed ticket: " + e, e);
        }
    }

    private static byte[] entry(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new TicketFormatException(file, "missing entry " + name + " (not a ticket file, or a damaged one)");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (ZipException | java.io.EOFException ex) {
            throw new TicketFormatException(file, "entry " + name + " is corrupted or truncated: " + ex.getMessage(), ex);
        }
    }

    private static Manifest readManifest(ZipFile zip, Path file) throws IOException {
        if (zip.getEntry(MANIFEST) == null) {
            throw new TicketFormatException(file, "not a ticket file: it has no " + MANIFEST + " entry");
        }
        Manifest m;
        try {
            m = JSON.readValue(entry(zip, file, MANIFEST), Manifest.class);
        } catch (JsonProcessingException e) {
            throw new TicketFormatException(file, MANIFEST + " is not valid: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new TicketFormatException(file, "not a ticket file: format is '" + m.format() + "', expected '" + FORMAT + "'");
        }
        if (m.formatVersion() == null || m.formatVersion() > VERSION || m.formatVersion() < 1) {
            throw new TicketFormatException(file, "ticket format version " + m.formatVersion()
                    + " is not supported by this version of lottery4j (it reads version " + VERSION + ")");
        }
        require(m.networkType(), "networkType", file);
        require(m.dataType(), "dataType", file);
        require(m.numParams(), "numParams", file);
        require(m.metadata(), "metadata", file);
        require(m.params(), "params", file);
        require(m.masks(), "masks", file);
        require(m.snapshots(), "snapshots", file);
        return m;
    }

    private static void require(Object value, String field, Path file) throws TicketFormatException {
        if (value == null) {
            throw new TicketFormatException(file, MANIFEST + " has no '" + field + "' field");
        }
    }

    private static Model readNetwork(ZipFile zip, Path file, Manifest m) throws IOException {
        byte[] bytes = entry(zip, file, NETWORK);
        try {
            return switch (m.networkType()) {
                case "MultiLayerNetwork" -> ModelSerializer.restoreMultiLayerNetwork(
                        new java.io.ByteArrayInputStream(bytes), false);
                case "ComputationGraph" -> ModelSerializer.restoreComputationGraph(
                        new java.io.ByteArrayInputStream(bytes), false);
                default -> throw new TicketFormatException(file, "unknown network type '" + m.networkType()
                        + "', expected MultiLayerNetwork or ComputationGraph");
            };
        } catch (TicketFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TicketFormatException(file, "entry " + NETWORK + " does not hold a readable "
                    + m.networkType() + ": " + e, e);
        }
    }

    private static void checkLayout(NetworkView view, Manifest m, Path file) throws IOException {
        if (view.numParams() != m.numParams() || !view.dataType().name().equals(m.dataType())) {
            throw new TicketFormatException(file, "the network has " + view.numParams() + " " + view.dataType()
                    + " parameters but " + MANIFEST + " lists " + m.numParams() + " " + m.dataType());
        }
        List<Param> actual = view.params().stream()
                .map(p -> new Param(p.key().layer(), p.key().param(), p.shape(), String.valueOf(p.order()), p.offset()))
                .toList();
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

    private static MaskSet readMasks(ZipFile zip, Path file, Manifest m, NetworkView view) throws IOException {
        byte[] bits = entry(zip, file, MASKS);
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
            try {
                masks.put(key, Mask.fromPackedBytes(e.shape(), Arrays.copyOfRange(bits, at, at + n)));
            } catch (IllegalArgumentException ex) {
                throw new TicketFormatException(file, "mask of " + key + ": " + ex.getMessage(), ex);
            }
            at += n;
        }
        if (at != bits.length) {
            throw new TicketFormatException(file, MASKS + " has " + bits.length + " bytes, the masks in "
                    + MANIFEST + " need " + at);
        }
        return MaskSet.of(masks);
    }

    private static RewindSnapshots readSnapshots(ZipFile zip, Path file, Manifest m, NetworkView view)
            throws IOException {
        Map<Integer, INDArray> out = new TreeMap<>();
        int width = view.dataType() == DataType.DOUBLE ? 8 : 4;
        for (Snapshot s : m.snapshots()) {
            byte[] bytes = entry(zip, file, s.entry());
            if (bytes.length != view.numParams() * width) {
                throw new TicketFormatException(file, "snapshot " + s.entry() + " has " + bytes.length
                        + " bytes, expected " + view.numParams() * width + " for " + view.numParams() + " "
                        + view.dataType() + " parameters");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            INDArray flat;
            if (width == 8) {
                double[] v = new double[(int) view.numParams()];
                b.asDoubleBuffer().get(v);
                flat = Nd4j.createFromArray(v);
            } else {
                float[] v = new float[(int) view.numParams()];
                b.asFloatBuffer().get(v);
                flat = Nd4j.createFromArray(v);
            }
            out.put(s.iteration(), flat.reshape(1, view.numParams()));
        }
        return RewindSnapshots.of(out);
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

package org.lottery4j.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.internal.SafetensorsChecksum;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.sparsity.NmTestNets;
import org.lottery4j.testing.Fuzz;
import org.lottery4j.testing.JsonEdits;

/**
 * Thousands of damaged copies of the two safetensors files an export writes ({@link Fuzz}), a dense
 * 2:4 one in F16 and a compressed 2:4 one, read as a user of an export reads them
 * ({@link SafetensorsFile#readChecked}, every tensor's values, the pattern check that decodes the
 * compressed weights): each refused with a {@link SafetensorsFormatException} naming the file or
 * read the same. Structural edits of the header, with the checksum recomputed, may read as another
 * file only as the edited header says, read by a plain JSON parser.
 */
class SafetensorsFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static MultiLayerNetwork prunedTwoFour() {
        MultiLayerNetwork net = NmTestNets.conv(21);
        NetworkAdapter adapter = NetworkAdapter.of(net);
        adapter.flatParams().muli(new NmPruner(NmPattern.TWO_FOUR).prune(adapter.view(), MaskSet.of(Map.of()), 0).masks().toFlat(adapter.model()));
        return net;
    }

    @Test
    @Timeout(600)
    void damagedExportsFailClearlyOrReadTheSame() throws Exception {
        Path dense = dir.resolve("dense.safetensors");
        SafetensorsExporter.builder().dtype(FloatType.F16).pattern(NmPattern.TWO_FOUR).build().export(prunedTwoFour(), dense);
        fuzz("safetensors export", dense, 20261210);
    }

    @Test
    @Timeout(600)
    void damagedCompressedExportsFailClearlyOrReadTheSame() throws Exception {
        Path compressed = dir.resolve("compressed.safetensors");
        SafetensorsExporter.builder().compressed24().build().export(prunedTwoFour(), compressed);
        fuzz("safetensors 2:4 compressed", compressed, 20261211);
    }

    private void fuzz(String format, Path file, long seed) throws Exception {
        SafetensorsFile original = readAll(file);
        Fuzz.of(format, Files.readAllBytes(file), SafetensorsFuzzTest::readAll, SafetensorsFormatException.class)
                .same(read -> same(read, original))
                .structural((bytes, random) -> resign(editHeader(bytes, random)), SafetensorsFuzzTest::readsAsWritten)
                .run(dir, seed, Fuzz.cases(400))
                .print()
                .assertClean();
    }

    /** What a user of an export reads: the checked file, every tensor's values, the pattern (decoding compressed weights). */
    private static SafetensorsFile readAll(Path file) throws Exception {
        SafetensorsFile f = SafetensorsFile.readChecked(file);
        for (Map.Entry<String, SafetensorsFile.Entry> e : f.tensors().entrySet()) {
            if (FloatType.ofName(e.getValue().dtype()) != null) {
                f.floats(e.getKey());
            }
        }
        f.checkPattern();
        return f;
    }

    private static boolean same(SafetensorsFile a, SafetensorsFile b) {
        if (!a.metadata().equals(b.metadata()) || !a.tensors().equals(b.tensors())
                || !List.copyOf(a.tensors().keySet()).equals(List.copyOf(b.tensors().keySet()))) {
            return false;
        }
        return a.tensors().keySet().stream().allMatch(name -> Arrays.equals(a.bytes(name), b.bytes(name)));
    }

    /** One structural edit of the header's JSON; the header length follows the new text. */
    private static byte[] editHeader(byte[] file, Random random) {
        long length = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(file, 8, (int) length, StandardCharsets.UTF_8);
        byte[] edited = JsonEdits.edit(header, random).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + edited.length + file.length - 8 - (int) length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(edited.length).put(edited).put(file, 8 + (int) length, file.length - 8 - (int) length);
        return out.array();
    }

    /**
     * The checksum a forger would write for an edited header, where the header still says enough to
     * compute one (metadata of strings with a checksum, entries with numbers that fit the data);
     * otherwise the file as it is.
     */
    private static byte[] resign(byte[] file) throws Exception {
        Header h = Header.parse(file);
        if (h == null || !h.metadata.containsKey(SafetensorsChecksum.KEY)) {
            return file;
        }
        SafetensorsChecksum sum = new SafetensorsChecksum(h.metadata);
        for (Map.Entry<String, long[][]> e : new TreeMap<>(h.entries).entrySet()) {
            long[] shape = e.getValue()[0];
            long begin = e.getValue()[1][0];
            long end = e.getValue()[1][1];
            if (begin < 0 || end < begin || end > file.length - h.dataStart) {
                return file;
            }
            OutputStream out = sum.tensor(e.getKey(), h.dtypes.get(e.getKey()), shape, begin, end);
            out.write(file, (int) (h.dataStart + begin), (int) (end - begin));
        }
        String old = h.metadata.get(SafetensorsChecksum.KEY);
        String text = new String(file, StandardCharsets.ISO_8859_1);
        return old.length() == 64 && text.contains(old)
                ? text.replace(old, sum.hex()).getBytes(StandardCharsets.ISO_8859_1) : file;
    }

    /** An edited file that read is what its header says, read here by a plain JSON parser. */
    private static boolean readsAsWritten(byte[] bytes, SafetensorsFile read) throws Exception {
        Header h = Header.parse(bytes);
        if (h == null || !h.metadata.equals(read.metadata())
                || !List.copyOf(h.entries.keySet()).equals(List.copyOf(read.tensors().keySet()))) {
            return false;
        }
        for (Map.Entry<String, long[][]> e : h.entries.entrySet()) {
            SafetensorsFile.Entry r = read.tensor(e.getKey());
            long[][] w = e.getValue();
            if (!r.dtype().equals(h.dtypes.get(e.getKey())) || !Arrays.equals(r.shape(), w[0])
                    || r.begin() != w[1][0] || r.end() != w[1][1] || w[1][1] > bytes.length - h.dataStart
                    || !Arrays.equals(read.bytes(e.getKey()), Arrays.copyOfRange(bytes, (int) (h.dataStart + w[1][0]),
                            (int) (h.dataStart + w[1][1])))) {
                return false;
            }
        }
        return true;
    }

    /** A header as a plain parser reads it: metadata strings; each tensor's dtype, shape and offsets. */
    private record Header(Map<String, String> metadata, Map<String, String> dtypes, Map<String, long[][]> entries,
            long dataStart) {

        static Header parse(byte[] file) {
            try {
                long length = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                JsonNode root = JSON.readTree(new String(file, 8, (int) length, StandardCharsets.UTF_8));
                Map<String, String> meta = new TreeMap<>();
                Map<String, String> dtypes = new LinkedHashMap<>();
                Map<String, long[][]> entries = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    if (e.getKey().equals("__metadata__")) {
                        v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().isTextual() ? m.getValue().textValue() : null));
                        continue;
                    }
                    long[] shape = new long[v.get("shape").size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = v.get("shape").get(i).longValue();
                    }
                    dtypes.put(e.getKey(), v.get("dtype").textValue());
                    entries.put(e.getKey(), new long[][] {shape,
                            {v.get("data_offsets").get(0).longValue(), v.get("data_offsets").get(1).longValue()}});
                }
                return meta.containsValue(null) || dtypes.containsValue(null) ? null : new Header(meta, dtypes, entries, 8 + length);
            } catch (Exception e) {
                return null; // the header says too little to compute a checksum or compare with
            }
        }
    }
}

package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.sparsity.NmTestNets;
import org.lottery4j.testing.SafetensorsFiles;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    private Path export(FloatType type) throws IOException {
        MultiLayerNetwork net = NmTestNets.conv(21);
        NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
        viewAdapter.flatParams().muli(new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0).masks().toFlat(viewAdapter.model()));
        Path file = dir.resolve(type + ".safetensors");
        SafetensorsExporter.builder().dtype(type).pattern(NmPattern.TWO_FOUR).build().export(net, file);
        return file;
    }

    @Test
    void readsWhatTheExporterWrote() throws IOException {
        for (FloatType type : FloatType.values()) {
            Path file = export(type);
            SafetensorsFile f = SafetensorsFile.read(file);
            assertThat(f.metadata()).containsEntry("sparsity_pattern", "2:4").containsEntry("format", "pt");
            assertThat(f.tensor("conv.weight").shape()).containsExactly(8, 4, 3, 3);
            assertThat(f.tensor("conv.weight").dtype()).isEqualTo(type.name());
            assertThat(f.floats("dense.weight")).hasSize(8 * 128);
            NmReport r = f.checkPattern();
            assertThat(r.satisfied()).as(type.name()).isTrue();
            assertThat(r.entries()).extracting(NmReport.Entry::name)
                    .containsExactly("conv.weight", "dense.weight", "output.weight");
            assertThat(r.entries().get(0).groups()).isEqualTo(72);
        }
    }

    @Test
    void theCheckerFindsEveryNonZeroThatBreaksThePattern() throws IOException {
        Path file = export(FloatType.F32);
        float[] w = SafetensorsFile.read(file).floats("dense.weight");
        // the smallest subnormal in a zero slot of the first group: exact zeros, no tolerance
        int zero = 0;
        while (w[zero] != 0) {
            zero++;
        }
        int slot = zero;
        Path tampered = dir.resolve("tampered.safetensors");
        SafetensorsFiles.rewrite(file, tampered, m -> { }, (name, bytes) -> {
            if (name.equals("dense.weight")) {
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * slot, Float.MIN_VALUE);
            }
            return bytes;
        });

        NmReport r = SafetensorsFile.read(tampered).checkPattern();
        assertThat(r.satisfied()).isFalse();
        assertThat(r.violating()).containsExactly(new NmReport.Entry("dense.weight", 8 * 32, 1));
        assertThat(SafetensorsFile.read(tampered).checkPattern(new NmPattern(3, 4)).satisfied()).isTrue();
    }

    @Test
    void corruptedCompressedIndicesAreNamed() throws IOException {
        MultiLayerNetwork net = NmTestNets.conv(22);
        NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
        viewAdapter.flatParams().muli(new NmPruner(NmPattern.TWO_FOUR).prune(view, MaskSet.of(Map.of()), 0).masks().toFlat(viewAdapter.model()));
        Path file = dir.resolve("c.safetensors");
        SafetensorsExporter.builder().compressed24().build().export(net, file);
        SafetensorsFile f = SafetensorsFile.read(file);
        assertThat(f.checkPattern().satisfied()).isTrue();

        Path bad = dir.resolve("bad.safetensors");
        SafetensorsFiles.rewrite(file, bad, m -> { }, (name, bytes) -> {
            if (name.equals("dense.weight_indices")) {
                bytes[0] = 0x05; // group 0: positions 1 and 1
            }
            return bytes;
        });
        assertThatThrownBy(() -> SafetensorsFile.read(bad).checkPattern())
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("compressed weight 'dense.weight'")
                .hasMessageContaining("row 0, group 0: positions 1 and 1");
        assertThatThrownBy(() -> f.compressed("dense.bias")).hasMessageContaining("not stored compressed");
    }

    /** The same change made as damage, without a new checksum: refused on reading, naming the file. */
    @Test
    void damageAnywhereIsCaughtByTheChecksum() throws IOException {
        Path file = export(FloatType.F16);
        byte[] bytes = Files.readAllBytes(file);
        SafetensorsFile f = SafetensorsFile.read(file);
        assertThat(f.checksummed()).isTrue();
        assertThat(SafetensorsFile.readChecked(file).metadata()).isEqualTo(f.metadata());
        long dataStart = 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(bytes, 8, (int) dataStart - 8, StandardCharsets.UTF_8);
        int[] places = {(int) dataStart + (int) f.tensor("dense.weight").begin() + 1, // a weight's bits
                8 + header.indexOf("\"2:4\"") + 1, // the recorded pattern
                8 + header.indexOf("[8,4,3,3]") + 3}; // a shape (and so the data's meaning)
        for (int at : places) {
            byte[] copy = bytes.clone();
            copy[at] ^= 0x01;
            Path damaged = dir.resolve("damaged.safetensors");
            Files.write(damaged, copy);
            assertThatThrownBy(() -> SafetensorsFile.read(damaged))
                    .isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageStartingWith(damaged + ": ");
        }
        // a file without the checksum is anyone's file: read() takes it, readChecked() does not
        Path foreign = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertThat(SafetensorsFile.read(foreign).checksummed()).isFalse();
        assertThatThrownBy(() -> SafetensorsFile.readChecked(foreign))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(foreign + ": has no sha256 in its metadata: it is not a file lottery4j wrote, or the entry "
                        + "was damaged");
    }

    /** Numbers a reader must not compute with unchecked (issue 21): each a clear error. */
    @Test
    void shapesAndOffsetsBeyondWhatAFileHoldsAreRefused() throws IOException {
        Path huge = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> SafetensorsFile.read(huge)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(huge + ": tensor 'w' of shape [4611686018427387904,4] has more values than a file can hold");
        Path wraps = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0);
        assertThatThrownBy(() -> SafetensorsFile.read(wraps)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(wraps + ": tensor 'w' of shape [4611686018427387904] has more values than a file can hold");
        Path offsets = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[18446744073709551616,18446744073709551616]}}", 0);
        assertThatThrownBy(() -> SafetensorsFile.read(offsets)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(offsets + ": tensor 'w' has bad data_offsets [18446744073709551616,18446744073709551616]: two "
                        + "integers from 0 to 9223372036854775807, the second not below the first");
        Path dimension = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4);
        assertThatThrownBy(() -> SafetensorsFile.read(dimension)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(dimension + ": tensor 'w' has a bad shape [1.5]");
        Path duplicate = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 4);
        assertThatThrownBy(() -> SafetensorsFile.read(duplicate)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("Duplicate field 'w'");
        Path trailing = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} {}", 4);
        assertThatThrownBy(() -> SafetensorsFile.read(trailing)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("Trailing token");
        Path latin1 = withHeaderBytes(new byte[] {'{', '"', (byte) 0xE9, '"', ':', '{', '}', '}'}, 0);
        assertThatThrownBy(() -> SafetensorsFile.read(latin1)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(latin1 + ": not a safetensors file: the header is not UTF-8 text");
    }

    @Test
    void filesThatAreNotSafetensorsAreNamed() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a tensor file at all");
        assertThatThrownBy(() -> SafetensorsFile.read(text))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("notes.txt")
                .hasMessageContaining("not a safetensors file: header length");

        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.read(tiny)).hasMessageContaining("shorter than the 8-byte header length");

        Path notJson = withHeader("this is not json", 0);
        assertThatThrownBy(() -> SafetensorsFile.read(notJson)).hasMessageContaining("the header is not JSON");

        Path badType = withHeader("{\"w\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> SafetensorsFile.read(badType)).hasMessageContaining("tensor 'w' has unknown dtype 'F33'");

        Path wrongSize = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> SafetensorsFile.read(wrongSize)).hasMessageContaining("needs 12 bytes");

        Path gap = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertThatThrownBy(() -> SafetensorsFile.read(gap)).hasMessageContaining("starts at byte 4 of the data, expected 0");

        Path exported = export(FloatType.F16);
        byte[] bytes = Files.readAllBytes(exported);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> SafetensorsFile.read(truncated)).hasMessageContaining("truncated.safetensors")
                .hasMessageContaining("truncated or trailing bytes");

        SafetensorsFile ok = SafetensorsFile.read(exported);
        assertThatThrownBy(() -> ok.floats("nope")).hasMessageContaining("no tensor 'nope'");
        assertThatThrownBy(() -> ok.shorts("conv.weight")).hasMessageContaining("is F16, not U16");

        Path unpatterned = dir.resolve("plain.safetensors");
        SafetensorsExporter.builder().build().export(NmTestNets.conv(1), unpatterned);
        assertThatThrownBy(() -> SafetensorsFile.read(unpatterned).checkPattern())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("records no N:M sparsity pattern");
    }

    private Path withHeader(String json, int dataBytes) throws IOException {
        return withHeaderBytes(json.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private Path withHeaderBytes(byte[] header, int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Path file = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(file, b.array());
        return file;
    }
}

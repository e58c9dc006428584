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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.network.NetworkAdapter;
import org.lottery4j.network.NetworkView;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.sparsity.NmReport;
import org.lottery4j.sparsity.NmTestNets;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    private Path export(FloatType type) throws IOException {
        MultiLayerNetwork net = NmTestNets.conv(21);
        NetworkAdapter viewAdapter = NetworkAdapter.of(net);
        NetworkView view = viewAdapter.view();
        viewAdapter.flatParams().muli(new NmPruner(NmPattern.TWO_FOUR).prune(view).masks().toFlat(viewAdapter));
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
        byte[] bytes = Files.readAllBytes(file);
        SafetensorsFile f = SafetensorsFile.read(file);
        long dataStart = 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        float[] w = f.floats("dense.weight");
        // the smallest subnormal in a zero slot of the first group: exact zeros, no tolerance
        int zero = 0;
        while (w[zero] != 0) {
            zero++;
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .putFloat((int) (dataStart + f.tensor("dense.weight").begin() + 4L * zero), Float.MIN_VALUE);
        Path tampered = dir.resolve("tampered.safetensors");
        Files.write(tampered, bytes);

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
        viewAdapter.flatParams().muli(new NmPruner(NmPattern.TWO_FOUR).prune(view).masks().toFlat(viewAdapter));
        Path file = dir.resolve("c.safetensors");
        SafetensorsExporter.builder().compressed24().build().export(net, file);
        SafetensorsFile f = SafetensorsFile.read(file);
        assertThat(f.checkPattern().satisfied()).isTrue();

        byte[] bytes = Files.readAllBytes(file);
        long dataStart = 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int at = (int) (dataStart + f.tensor("dense.weight_indices").begin());
        bytes[at] = 0x05; // group 0: positions 1 and 1
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, bytes);
        assertThatThrownBy(() -> SafetensorsFile.read(bad).checkPattern())
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("compressed weight 'dense.weight'")
                .hasMessageContaining("row 0, group 0: positions 1 and 1");
        assertThatThrownBy(() -> f.compressed("dense.bias")).hasMessageContaining("not stored compressed");
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
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Path file = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(file, b.array());
        return file;
    }
}

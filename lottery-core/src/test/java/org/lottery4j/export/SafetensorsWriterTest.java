package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.SafetensorsWriter;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void tensorsOfEachTypeReadBackExactly() throws IOException {
        Path file = dir.resolve("t.safetensors");
        byte[] ints = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(0).putInt(70000).array();
        byte[] floats = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-0f).array();
        SafetensorsWriter.write(file, Map.of("format", "test"), List.of(
                new SafetensorsWriter.Tensor("b.ints", "I32", new long[] {3}, ints.length, out -> out.write(ints)),
                new SafetensorsWriter.Tensor("a.floats", "F32", new long[] {1, 2}, floats.length, out -> out.write(floats)),
                SafetensorsWriter.Tensor.u16("c.words", new long[] {2}, new short[] {(short) 0xffff, 7})));
        SafetensorsFile f = SafetensorsFile.read(file);
        assertThat(f.metadata()).containsEntry("format", "test");
        assertThat(f.ints("b.ints")).containsExactly(-1, 0, 70000);
        assertThat(f.floats("a.floats")).containsExactly(1.5f, -0f);
        assertThat(f.chars("c.words")).containsExactly((char) 0xffff, (char) 7);
        assertThat(f.tensor("b.ints").begin()).isZero(); // data in the order given, header keys sorted
        assertThat(f.tensor("a.floats").begin()).isEqualTo(12);
        assertThatThrownBy(() -> f.ints("a.floats")).hasMessageContaining("tensor 'a.floats' is F32, not I32");
        assertThatThrownBy(() -> f.chars("b.ints")).hasMessageContaining("tensor 'b.ints' is I32, not U16");
    }

    @Test
    void aTensorThatWritesOtherThanItsBytesFailsAndLeavesNoFile() throws IOException {
        Path file = dir.resolve("t.safetensors");
        assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of(), List.of(
                new SafetensorsWriter.Tensor("short", "F32", new long[] {2}, 8, out -> out.write(new byte[4])))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor 'short' wrote 4 of its 8 bytes");
        assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of(), List.of(
                new SafetensorsWriter.Tensor("long", "F32", new long[] {1}, 4, out -> out.write(new byte[8])))))
                .hasMessage("tensor 'long' writes more than its 4 bytes");
        assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of(), List.of(
                SafetensorsWriter.Tensor.u16("x", new long[] {1}, new short[1]),
                SafetensorsWriter.Tensor.u16("x", new long[] {1}, new short[1]))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor name 'x' is used twice or reserved");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}

package org.lottery4j.examples.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class IdxFileTest {

    /** An IDX file of unsigned bytes with these dimensions and values. */
    static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        return buf.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(raw);
        }
        return buf.toByteArray();
    }

    private static IdxFile read(byte[] bytes, String name) throws IOException {
        return IdxFile.read(new ByteArrayInputStream(bytes), name);
    }

    @Test
    void readsRawAndGzipAlike() throws IOException {
        byte[] values = {0, 1, 2, (byte) 255, 4, 5};
        byte[] raw = idx(new int[] {3, 2}, values);
        IdxFile a = read(raw, "x");
        IdxFile b = read(gzip(raw), "x");
        assertThat(a).isEqualTo(b);
        assertThat(a.dims()).containsExactly(3, 2);
        assertThat(a.data()).isEqualTo(values);
        assertThat(a.count()).isEqualTo(3);
    }

    @Test
    void aFileThatIsNotIdxIsNamed() {
        assertThatThrownBy(() -> read("hello, world".getBytes(), "notes.txt"))
                .hasMessage("notes.txt: is not an IDX file: it starts with 0x68656c6c, expected 0x000008DD "
                        + "(DD = number of dimensions, such as 0x00000803 for images, 0x00000801 for labels)");
        assertThatThrownBy(() -> read(new byte[] {0, 0}, "tiny")).hasMessageContaining("tiny: is not an IDX file");
    }

    @Test
    void otherValueTypesAreRejected() {
        byte[] floats = {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0};
        assertThatThrownBy(() -> read(floats, "f.idx"))
                .hasMessage("f.idx: holds IDX type 0x0d; only unsigned bytes (0x08) are supported");
    }

    @Test
    void truncatedFilesAreReported() throws IOException {
        byte[] raw = idx(new int[] {4, 5}, new byte[20]);
        assertThatThrownBy(() -> read(Arrays.copyOf(raw, raw.length - 3), "cut"))
                .hasMessage("cut: is truncated: its header [4, 5] promises 20 bytes of data, it holds 17");
        byte[] gz = gzip(raw);
        assertThatThrownBy(() -> read(Arrays.copyOf(gz, gz.length / 2), "cut.gz"))
                .hasMessageStartingWith("cut.gz: is truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(raw, 6), "head")).hasMessage("head: is truncated inside its header");
    }

    @Test
    void imagesAndLabelsMustAgree() throws IOException {
        byte[] images = idx(new int[] {3, 2, 2}, new byte[12]);
        byte[] labels = idx(new int[] {2}, new byte[] {1, 2});
        assertThatThrownBy(() -> Mnist.load(source("img", images), source("lab", labels)))
                .hasMessage("img: holds 3 images but lab holds 2 labels");
        byte[] badLabel = idx(new int[] {3}, new byte[] {1, 12, 2});
        assertThatThrownBy(() -> Mnist.load(source("img", images), source("lab", badLabel)))
                .hasMessage("lab: holds label 12 at item 1, expected 0-9");
        assertThatThrownBy(() -> Mnist.load(source("lab", labels), source("img", images)))
                .hasMessage("lab: holds 1-dimensional data, expected images [n, rows, cols]");
    }

    @Test
    void pixelsAreScaledToZeroOneAndLabelsOneHot() throws IOException {
        byte[] images = idx(new int[] {2, 1, 2}, new byte[] {0, (byte) 255, (byte) 51, 102});
        byte[] labels = idx(new int[] {2}, new byte[] {7, 0});
        DataSet d = Mnist.load(source("img", images), source("lab", labels));
        assertThat(d.getFeatures().toFloatMatrix()).isEqualTo(new float[][] {{0f, 1f}, {0.2f, 0.4f}});
        assertThat(d.getLabels().getRow(0).argMax().getInt(0)).isEqualTo(7);
        assertThat(d.getLabels().sumNumber().intValue()).isEqualTo(2);
    }

    static Mnist.Source source(String name, byte[] bytes) {
        return new Mnist.Source(name, () -> new ByteArrayInputStream(bytes));
    }
}

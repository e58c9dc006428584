package org.lottery4j.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lottery4j.mask.Mask;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPruner;
import org.lottery4j.testing.Nets;

class Compressed24Test {

    @Test
    void tinyExampleByteForByte() {
        // the Javadoc's example row, then a row using every group shape
        float[] dense = {
            0, 3, 0, 5, /**/ 7, 0, 0, 0,
            0, 0, 0, 0, /**/ 0, 0, 9, -1,
        };
        Compressed24 c = Compressed24.encode(dense, 2, 8);
        assertThat(c.values()).containsExactly(3, 5, 7, 0, /**/ 0, 0, 9, -1);
        // row 0: group 0 = 1 | 3<<2 = 0xD, group 1 = 0 | 1<<2 = 0x4; row 1: 0x4, then 2 | 3<<2 = 0xE
        assertThat(c.indices()).containsExactly((short) 0x004D, (short) 0x00E4);
        assertThat(c.indexBytes()).containsExactly(0x4D, 0x00, 0xE4, 0x00);
        assertThat(Nets.bits(c.decode())).containsExactly(Nets.bits(dense));
    }

    @Test
    void fourGroupsShareAWordAndRowsStartNewWords() {
        // k = 20: five groups per row, two words per row; word 0 = groups 0-3, word 1 = group 4 alone
        float[] dense = new float[2 * 20];
        int[][] kept = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {1, 3}, {0, 3}, {2, 3}, {0, 1}};
        for (int g = 0; g < 10; g++) {
            dense[g * 4 + kept[g][0]] = g + 1;
            dense[g * 4 + kept[g][1]] = -(g + 1);
        }
        Compressed24 c = Compressed24.encode(dense, 2, 20);
        int[] code = new int[10];
        for (int g = 0; g < 10; g++) {
            code[g] = kept[g][0] | kept[g][1] << 2;
        }
        assertThat(c.indices()).containsExactly(
                (short) (code[0] | code[1] << 4 | code[2] << 8 | code[3] << 12), (short) code[4],
                (short) (code[5] | code[6] << 4 | code[7] << 8 | code[8] << 12), (short) code[9]);
        byte[] bytes = c.indexBytes();
        assertThat(bytes).hasSize(8);
        assertThat(bytes[0] & 0xff).isEqualTo(code[0] | code[1] << 4); // low byte: groups 0 and 1
        assertThat(bytes[1] & 0xff).isEqualTo(code[2] | code[3] << 4); // high byte: groups 2 and 3
        assertThat(c.values()).startsWith(1, -1, 2, -2);
        assertThat(c.decode()).containsExactly(dense);
    }

    @Test
    void roundTripIsExactOnPrunedRandomMatrices() {
        Random random = new Random(7);
        for (int[] size : new int[][] {{1, 4}, {3, 8}, {5, 16}, {4, 36}, {17, 64}, {0, 8}}) {
            int rows = size[0];
            int k = size[1];
            float[] w = new float[rows * k];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextInt(6) == 0 ? 0 : (float) random.nextGaussian() * 1e3f;
            }
            Mask m = NmPruner.select(NmPattern.TWO_FOUR, w, rows, k, Mask.allKept(new long[] {rows, k}));
            for (int i = 0; i < w.length; i++) {
                w[i] = m.isKept(i) ? w[i] : 0;
            }
            Compressed24 c = Compressed24.encode(w, rows, k);
            assertThat(c.values()).hasSize(rows * k / 2);
            assertThat(c.indices()).hasSize(rows * ((k + 15) / 16));
            assertThat(Nets.bits(c.decode())).containsExactly(Nets.bits(w));
            assertThat(Compressed24.of(rows, k, c.values(), c.indices())).isEqualTo(c);
        }
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> Compressed24.encode(new float[] {1, 2, 3, 0, 0, 0, 0, 0}, 2, 4))
                .hasMessageContaining("row 0, columns 0..3 hold 3 non-zeros").hasMessageContaining("not 2:4");
        assertThatThrownBy(() -> Compressed24.encode(new float[] {0, 0, 0, 0, 1, 1, 0, 1}, 1, 8))
                .hasMessageContaining("row 0, columns 4..7");
        assertThatThrownBy(() -> Compressed24.encode(new float[6], 1, 6)).hasMessageContaining("multiple of 4");
        assertThatThrownBy(() -> Compressed24.encode(new float[7], 1, 8)).hasMessageContaining("[1, 8]");
        assertThatThrownBy(() -> Compressed24.of(1, 8, new float[4], new short[] {(short) 0x0045}))
                .hasMessageContaining("group 0: positions 1 and 1").hasMessageContaining("not in increasing order");
        assertThatThrownBy(() -> Compressed24.of(1, 8, new float[4], new short[] {(short) 0x4444}))
                .hasMessageContaining("past the row's last group");
        assertThatThrownBy(() -> Compressed24.of(1, 8, new float[3], new short[1]))
                .hasMessageContaining("needs 4 values and 1 index words, got 3 and 1");
    }
}

package org.lottery4j.examples.cifar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lottery4j.examples.conv.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** {@link CropFlip} and {@link Normalization} on tiny images whose every pixel is checked. */
class CifarAugmentationTest {

    /** Two channels of 3x3: 1..9 and 11..19, row by row. */
    private static final ImageShape SHAPE = new ImageShape(2, 3, 3);
    private static final double[] FILL = {-1, -2};

    private static INDArray image() {
        float[] x = new float[18];
        for (int p = 0; p < 9; p++) {
            x[p] = p + 1;
            x[9 + p] = p + 11;
        }
        return Nd4j.create(x, new long[] {1, 18}, 'c');
    }

    /** A Random that answers the crop offsets and flips it is told to, in order. */
    private static Random scripted(Object... answers) {
        Deque<Object> queue = new ArrayDeque<>(List.of(answers));
        return new Random() {
            @Override
            public int nextInt(int bound) {
                assertThat(bound).as("offsets are drawn from 0..2*pad").isEqualTo(3);
                return (Integer) queue.pop();
            }

            @Override
            public boolean nextBoolean() {
                return (Boolean) queue.pop();
            }
        };
    }

    private static float[] augment(Random random) {
        return new CropFlip(SHAPE, 1, FILL, 0).apply(image(), random).toFloatVector();
    }

    @Test
    void aCropShiftsThePixelsAndPadsWithEachChannelsFill() {
        // dy = 0 - 1: output row i is source row i - 1; dx = 2 - 1: output column j is source column j + 1
        assertThat(augment(scripted(0, 2, false))).containsExactly(
                -1, -1, -1, 2, 3, -1, 5, 6, -1,
                -2, -2, -2, 12, 13, -2, 15, 16, -2);
    }

    @Test
    void aFlipMirrorsEachRow() {
        assertThat(augment(scripted(1, 1, true))).containsExactly(
                3, 2, 1, 6, 5, 4, 9, 8, 7,
                13, 12, 11, 16, 15, 14, 19, 18, 17);
    }

    @Test
    void aFlipAppliesToTheCrop() {
        // dy = +1, dx = -1, then the flip: output (i, j) is source (i + 1, (2 - j) - 1)
        assertThat(augment(scripted(2, 0, true))).containsExactly(
                5, 4, -1, 8, 7, -1, -1, -1, -1,
                15, 14, -2, 18, 17, -2, -2, -2, -2);
    }

    @Test
    void theSameSeedGivesTheSameBatches() {
        INDArray batch = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 3 * 8 * 8);
        INDArray copy = batch.dup();
        ImageShape shape = new ImageShape(3, 8, 8);
        CropFlip a = new CropFlip(shape, 4, new double[] {0, 0, 0}, 42);
        CropFlip b = new CropFlip(shape, 4, new double[] {0, 0, 0}, 42);
        CropFlip other = new CropFlip(shape, 4, new double[] {0, 0, 0}, 43);
        DataSet a1 = new DataSet(batch, null);
        DataSet b1 = new DataSet(batch, null);
        a.preProcess(a1);
        b.preProcess(b1);
        assertThat(a1.getFeatures()).isEqualTo(b1.getFeatures()).isNotEqualTo(batch);
        assertThat(batch).as("the batch's own array is not written to").isEqualTo(copy);
        DataSet a2 = new DataSet(batch, null);
        DataSet b2 = new DataSet(batch, null);
        a.preProcess(a2);
        b.preProcess(b2);
        assertThat(a2.getFeatures()).as("the second batch of the same seed").isEqualTo(b2.getFeatures())
                .as("draws new crops").isNotEqualTo(a1.getFeatures());
        DataSet o1 = new DataSet(batch, null);
        other.preProcess(o1);
        assertThat(o1.getFeatures()).isNotEqualTo(a1.getFeatures());
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new CropFlip(SHAPE, -1, FILL, 0)).hasMessage("padding must be >= 0 pixels, got -1");
        assertThatThrownBy(() -> new CropFlip(SHAPE, 4, new double[] {0, 0, 0}, 0))
                .hasMessage("padding values [0.0, 0.0, 0.0] do not match the 2 channels of images of shape 2x3x3");
        assertThatThrownBy(() -> new CropFlip(SHAPE, 1, FILL, 0).apply(Nd4j.zeros(2, 17), new Random()))
                .hasMessage("features of shape [2, 17] do not hold flat images of shape 2x3x3 ([n, 18])");
    }

    @Test
    void normalizationUsesEachChannelsMeanAndPopulationDeviation() {
        INDArray x = Nd4j.create(new float[] {0, 2, 4, 4, 5, 5, 7, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, new long[] {2, 9}, 'c');
        ImageShape shape = new ImageShape(2, 1, 4);
        assertThatThrownBy(() -> Normalization.of(x, shape))
                .hasMessage("features of shape [2, 9] do not hold flat images of shape 2x1x4 ([n, 8])");
        // two images of two channels of 4 pixels: channel 0 holds 2, 4, 4, 4 and 5, 5, 7, 9 (mean 5,
        // deviation 2); channel 1 is constant 3 (deviation taken as 1)
        INDArray y = Nd4j.create(new float[] {2, 4, 4, 4, 3, 3, 3, 3, 5, 5, 7, 9, 3, 3, 3, 3}, new long[] {2, 8}, 'c');
        Normalization n = Normalization.of(y, shape);
        assertThat(n.mean()).containsExactly(new double[] {5, 3}, within(1e-6));
        assertThat(n.std()).containsExactly(new double[] {2, 1}, within(1e-6));
        assertThat(n.black()).containsExactly(new double[] {-2.5, -3}, within(1e-6));
        n.applyInPlace(y, shape);
        assertThat(y.ravel().toFloatVector()).containsExactly(new float[] {-1.5f, -0.5f, -0.5f, -0.5f, 0, 0, 0, 0,
                0, 0, 1, 2, 0, 0, 0, 0}, within(1e-6f));
        assertThatThrownBy(() -> n.applyInPlace(Nd4j.zeros(1, 4), new ImageShape(1, 2, 2)))
                .hasMessage("normalization for 2 channels applied to images of shape 1x2x2");
        assertThatThrownBy(() -> new Normalization(new double[] {0}, new double[] {0}))
                .hasMessage("normalization deviations must be > 0, got [0.0]");
    }
}

package org.lottery4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ShuffledBatchesTest {

    private static DataSet data(int n) {
        INDArray x = Nd4j.arange(n * 3).reshape(n, 3).castTo(DataType.FLOAT);
        INDArray y = Nd4j.arange(n * 2).reshape(n, 2).castTo(DataType.FLOAT).muli(-1);
        return new DataSet(x, y);
    }

    private static void assertRows(List<DataSet> batches, DataSet source, int[] order, int batchSize) {
        int row = 0;
        for (DataSet b : batches) {
            assertThat(b.numExamples()).isEqualTo(Math.min(batchSize, order.length - row));
            for (int r = 0; r < b.numExamples(); r++, row++) {
                assertThat(b.getFeatures().getRow(r)).isEqualTo(source.getFeatures().getRow(order[row]));
                assertThat(b.getLabels().getRow(r)).isEqualTo(source.getLabels().getRow(order[row]));
            }
        }
        assertThat(row).isEqualTo(order.length);
    }

    @Test
    void batchesHoldTheRowsInOrderAndTheLastIsSmaller() {
        DataSet d = data(23);
        int[] order = Batches.permutation(23, new Random(1));
        List<DataSet> batches = new ShuffledBatches(d).inOrder(order, 5);
        assertThat(batches).hasSize(5);
        assertRows(batches, d, order, 5);
    }

    @Test
    void aSecondEpochReusesTheBuffersWithItsOwnOrder() {
        DataSet d = data(40);
        ShuffledBatches shuffled = new ShuffledBatches(d);
        INDArray first = shuffled.inOrder(Batches.permutation(40, new Random(1)), 8).get(0).getFeatures();
        int[] second = Batches.permutation(40, new Random(2));
        List<DataSet> batches = shuffled.inOrder(second, 8);
        assertRows(batches, d, second, 8);
        // the same native buffer: the first epoch's views now show the second epoch's rows
        assertThat(batches.get(0).getFeatures().data().addressPointer().address())
                .isEqualTo(first.data().addressPointer().address());
        assertThat(first).isEqualTo(batches.get(0).getFeatures());
        // a sample of another length gets buffers of its size
        int[] sample = {3, 3, 39};
        assertRows(shuffled.inOrder(sample, 2), d, sample, 2);
        assertThat(shuffled.inOrder(new int[0], 2)).isEmpty();
    }

    @Test
    void badRowsAndBatchSizesAreNamed() {
        ShuffledBatches shuffled = new ShuffledBatches(data(4));
        assertThatThrownBy(() -> shuffled.inOrder(new int[] {0, 4}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 4").hasMessageContaining("4 examples");
        assertThatThrownBy(() -> shuffled.inOrder(new int[] {-1}, 2)).hasMessageContaining("row -1");
        assertThatThrownBy(() -> shuffled.inOrder(new int[] {0}, 0)).hasMessageContaining("batch size must be >= 1, got 0");
    }
}

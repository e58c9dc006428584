package org.lottery4j.examples.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class LabelNoiseTest {

    static DataSet labelled(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, n, 3), y);
    }

    @Test
    void replacesExactlyTheFractionWithOtherClassesAndNothingElse() {
        DataSet data = labelled(1000, 10);
        INDArray before = data.getLabels().dup();
        LabelNoise.Noisy noisy = LabelNoise.apply(data, 0.15, 7);
        assertThat(noisy.changed()).hasSize(150).isSorted().doesNotHaveDuplicates();
        int[] truth = before.argMax(1).toIntVector();
        int[] now = noisy.data().getLabels().argMax(1).toIntVector();
        int differ = 0;
        int[] newClassCounts = new int[10];
        for (int i = 0; i < 1000; i++) {
            boolean changed = Arrays.binarySearch(noisy.changed(), i) >= 0;
            assertThat(now[i] != truth[i]).as("example %d", i).isEqualTo(changed);
            assertThat(noisy.data().getLabels().getRow(i).sumNumber().doubleValue()).isEqualTo(1.0);
            differ += now[i] != truth[i] ? 1 : 0;
            if (changed) {
                newClassCounts[now[i]]++;
            }
        }
        assertThat(differ).isEqualTo(150);
        assertThat(Arrays.stream(newClassCounts).min().getAsInt()).as("every class receives some").isPositive();
        assertThat(data.getLabels()).as("the input is not changed").isEqualTo(before);
        assertThat(noisy.data().getFeatures()).isSameAs(data.getFeatures());
    }

    @Test
    void theSeedFixesTheNoise() {
        DataSet data = labelled(500, 10);
        assertThat(LabelNoise.apply(data, 0.2, 1).data().getLabels())
                .isEqualTo(LabelNoise.apply(data, 0.2, 1).data().getLabels());
        assertThat(LabelNoise.apply(data, 0.2, 1).changed()).isNotEqualTo(LabelNoise.apply(data, 0.2, 2).changed());
        assertThat(LabelNoise.apply(data, 0, 1).changed()).isEmpty();
        assertThat(LabelNoise.apply(data, 1, 1).changed()).hasSize(500);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> LabelNoise.apply(labelled(10, 10), 1.5, 1))
                .hasMessage("the noisy fraction must be in [0, 1], got 1.5");
        DataSet soft = labelled(4, 2);
        soft.getLabels().putScalar(2, 0, 0.5);
        assertThatThrownBy(() -> LabelNoise.apply(soft, 0.5, 1)).hasMessageContaining("example 2's label is not one-hot");
    }
}

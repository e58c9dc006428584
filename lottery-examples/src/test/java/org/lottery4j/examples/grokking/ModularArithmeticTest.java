package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class ModularArithmeticTest {

    @ParameterizedTest
    @EnumSource(ModularArithmetic.Operation.class)
    void everyPairAppearsOnceWithItsLabel(ModularArithmetic.Operation op) {
        int p = 13;
        ModularArithmetic task = new ModularArithmetic(p, op, 0.3, 5);
        ModularArithmetic.Split split = task.split();
        assertThat(task.trainCount()).isEqualTo(51); // round(0.3 * 169)
        assertThat(split.train().numExamples()).isEqualTo(51);
        assertThat(split.test().numExamples()).isEqualTo(169 - 51);
        Set<Integer> seen = new HashSet<>();
        for (DataSet part : new DataSet[] {split.train(), split.test()}) {
            INDArray x = part.getFeatures();
            INDArray y = part.getLabels();
            assertThat(x.size(1)).isEqualTo(2L * p);
            for (int i = 0; i < part.numExamples(); i++) {
                assertThat(x.getRow(i).sumNumber().intValue()).isEqualTo(2);
                assertThat(y.getRow(i).sumNumber().intValue()).isEqualTo(1);
                int a = x.getRow(i).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, p)).argMax().getInt(0);
                int b = x.getRow(i).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(p, 2 * p)).argMax().getInt(0);
                int expected = switch (op) { // written out, not through the class under test
                    case ADD -> (a + b) % p;
                    case SUBTRACT -> ((a - b) % p + p) % p;
                    case MULTIPLY -> a * b % p;
                };
                assertThat(y.getRow(i).argMax().getInt(0)).as("(%d %s %d) mod %d", a, op.symbol(), b, p).isEqualTo(expected);
                assertThat(seen.add(a * p + b)).as("pair (%d, %d) twice", a, b).isTrue();
            }
        }
        assertThat(seen).hasSize(p * p);
    }

    @Test
    void theSplitIsFixedByTheSeed() {
        int[] first = new ModularArithmetic(97, ModularArithmetic.Operation.ADD, 0.3, 1).split().trainPairs();
        int[] again = new ModularArithmetic(97, ModularArithmetic.Operation.ADD, 0.3, 1).split().trainPairs();
        int[] other = new ModularArithmetic(97, ModularArithmetic.Operation.ADD, 0.3, 2).split().trainPairs();
        assertThat(first).hasSize(2823).containsExactly(again);
        assertThat(other).isNotEqualTo(first);
        assertThat(new ModularArithmetic(97, ModularArithmetic.Operation.MULTIPLY, 0.3, 1).split().trainPairs())
                .as("the operation does not move the split").containsExactly(first);
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new ModularArithmetic(96, ModularArithmetic.Operation.ADD, 0.3, 1))
                .hasMessage("p must be a prime from 2 to 46,337, got 96");
        assertThatThrownBy(() -> new ModularArithmetic(97, ModularArithmetic.Operation.ADD, 1.0, 1))
                .hasMessage("the training fraction must be between 0 and 1 (exclusive), got 1.0");
        assertThatThrownBy(() -> new ModularArithmetic(2, ModularArithmetic.Operation.ADD, 0.01, 1))
                .hasMessage("a training fraction of 0.01 of 4 pairs leaves 0 to train on and 4 to test on; both need one");
        assertThat(ModularArithmetic.Operation.parse("x")).isEqualTo(ModularArithmetic.Operation.MULTIPLY);
        assertThat(ModularArithmetic.Operation.parse("add")).isEqualTo(ModularArithmetic.Operation.ADD);
        assertThatThrownBy(() -> ModularArithmetic.Operation.parse("/")).hasMessage("operation must be +, - or x, got '/'");
    }
}

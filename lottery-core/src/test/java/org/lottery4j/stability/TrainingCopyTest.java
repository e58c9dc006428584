package org.lottery4j.stability;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.dataset.DataSet;

class TrainingCopyTest {

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void aCopyCarriesParametersUpdaterStateAndCountersButNoListeners(Nets.Kind kind) {
        Model net = Nets.mlp(kind, 4);
        NetworkAdapter original = NetworkAdapter.of(net);
        DataSet batch = Nets.dataSet(32, 1);
        for (int i = 0; i < 3; i++) {
            original.fit(batch);
        }
        original.addListener(new ScoreIterationListener(1000));
        float[] params = net.params().dup().toFloatVector();

        Model copy = TrainingCopy.of(net);
        NetworkAdapter copied = NetworkAdapter.of(copy);

        assertThat(copy.getClass()).isEqualTo(net.getClass());
        assertThat(copy.params().toFloatVector()).containsExactly(params);
        assertThat(copied.updaterState().toFloatVector()).containsExactly(original.updaterState().toFloatVector());
        assertThat(copied.iterationCount()).isEqualTo(3);
        assertThat(copied.epochCount()).isEqualTo(original.epochCount());
        assertThat(copied.listeners()).isNullOrEmpty();
        assertThat(original.listeners()).hasSize(1);

        copied.addListener(new ScoreIterationListener(1000));
        assertThat(original.listeners()).hasSize(1); // the copy's listeners are its own

        copied.fit(Nets.dataSet(32, 2)); // trains apart
        assertThat(net.params().toFloatVector()).containsExactly(params);
        assertThat(copy.params().toFloatVector()).isNotEqualTo(params);
        assertThat(original.iterationCount()).isEqualTo(3);
        assertThat(copied.iterationCount()).isEqualTo(4);
    }
}

package org.lottery4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.lottery4j.internal.Momentum;
import org.lottery4j.internal.Optimizers;
import org.lottery4j.internal.ScheduledLearningRate;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Sgd;

class MomentumTest {

    @Test
    void stepsAreVelocityTimesTheRate() {
        // v1 = g1, step 0.1 v1; v2 = 0.9 v1 + g2, step 0.1 v2 (PyTorch's SGD with momentum 0.9, dampening 0)
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        GradientUpdater<Momentum> u = new Momentum(0.1, 0.9).instantiate(state, true);
        INDArray g1 = Nd4j.createFromArray(new double[][] {{1, 2, -3}});
        u.applyUpdater(g1, 0, 0);
        assertThat(g1.toDoubleVector()).containsExactly(0.1 * 1, 0.1 * 2, 0.1 * -3);
        INDArray g2 = Nd4j.createFromArray(new double[][] {{1, -1, 0.5}});
        u.applyUpdater(g2, 1, 0);
        assertThat(g2.toDoubleVector()).containsExactly(0.1 * (0.9 * 1 + 1), 0.1 * (0.9 * 2 - 1), 0.1 * (0.9 * -3 + 0.5));
        assertThat(state.toDoubleVector()).containsExactly(0.9 * 1 + 1, 0.9 * 2 - 1, 0.9 * -3 + 0.5); // kept in place
    }

    @Test
    void theRateFollowsItsSchedule() {
        ScheduledLearningRate lr = ScheduledLearningRate.of(0.1, 0, new long[] {1}, 0.5, false, 10);
        GradientUpdater<Momentum> u = new Momentum(lr, 0.0).instantiate(Nd4j.zeros(DataType.DOUBLE, 1, 1), true);
        INDArray g = Nd4j.createFromArray(new double[][] {{2}});
        u.applyUpdater(g, 1, 0);
        assertThat(g.getDouble(0)).isEqualTo(0.05 * 2);
    }

    @Test
    void withoutMomentumANetworkTrainsAsWithSgd() {
        Model momentum = Nets.mlp(Nets.Kind.GRAPH, 31);
        Optimizers.apply(momentum, new Momentum(0.1, 0.0), List.of());
        Model sgd = Nets.mlp(Nets.Kind.GRAPH, Nets.base(31).updater(new Sgd(0.1)));
        Nets.fit(momentum, Nets.data(120, 12, 3), 2);
        Nets.fit(sgd, Nets.data(120, 12, 3), 2);
        assertThat(Nets.bits(Nets.params(momentum))).isEqualTo(Nets.bits(Nets.params(sgd)));
    }

    @Test
    void badMomentumIsRefused() {
        assertThatThrownBy(() -> new Momentum(0.1, 1.0)).hasMessage("momentum must be in [0, 1), got 1.0");
    }
}

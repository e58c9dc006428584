package org.lottery4j.internal;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SGD with classical (heavy-ball) momentum, as PyTorch's {@code SGD(momentum=mu)} computes it:
 * {@code v = mu * v + g}, then {@code w -= lr * v}. DL4J ships Nesterov momentum ({@code Nesterovs})
 * but not this one. The learning rate may follow a schedule; the velocity is the updater state
 * that a rewind zeroes.
 *
 * <pre>{@code
 * IUpdater updater = new Momentum(0.1, 0.9);
 * NeuralNetConfiguration.Builder conf = new NeuralNetConfiguration.Builder().updater(updater);
 * }</pre>
 */
public final class Momentum implements IUpdater {

    private static final long serialVersionUID = 1L;

    private double learningRate;
    private ISchedule learningRateSchedule;
    private double momentum;

    private Momentum() {} // for DL4J's JSON reader

    /** A constant learning rate. */
    public Momentum(double learningRate, double momentum) {
        this(learningRate, null, momentum);
    }

    /** A scheduled learning rate. */
    public Momentum(ISchedule learningRateSchedule, double momentum) {
        this(Double.NaN, Objects.requireNonNull(learningRateSchedule, "learningRateSchedule"), momentum);
    }

    private Momentum(double learningRate, ISchedule schedule, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.learningRateSchedule = schedule;
        this.momentum = momentum;
    }

    /** The momentum coefficient {@code mu}. */
    public double momentum() {
        return momentum;
    }

    /** The learning-rate schedule, or {@code null} for a constant rate. */
    public ISchedule learningRateSchedule() {
        return learningRateSchedule;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<Momentum> instantiate(INDArray viewArray, boolean initializeViewArray) {
        MomentumUpdater u = new MomentumUpdater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater<Momentum> instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        MomentumUpdater u = new MomentumUpdater(this);
        u.setState(state, initializeStateArrays);
        return u;
    }

    @Override
    public Momentum clone() {
        return new Momentum(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Momentum m && Double.compare(m.learningRate, learningRate) == 0 && m.momentum == momentum
                && Objects.equals(m.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, momentum);
    }

    @Override
    public String toString() {
        return "Momentum(" + (learningRateSchedule != null ? learningRateSchedule : learningRate) + ", " + momentum + ")";
    }

    /** The velocity {@code v} of every parameter, one element per parameter. */
    public static final class MomentumUpdater implements GradientUpdater<Momentum> {

        static final String VELOCITY = "V";

        private final Momentum config;
        private INDArray velocity;

        MomentumUpdater(Momentum config) {
            this.config = config;
        }

        @Override
        public Momentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            INDArray v = state == null ? null : state.get(VELOCITY);
            if (v == null || state.size() != 1) {
                throw new IllegalStateException("momentum expects one state array named " + VELOCITY + ", got "
                        + (state == null ? "none" : state.keySet()));
            }
            velocity = v;
            if (initialize) {
                velocity.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(VELOCITY, velocity);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            velocity = viewArray.reshape(gradientOrder, gradientShape); // a view: state lives in the updater's array
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (velocity == null) {
                throw new IllegalStateException("momentum updater has no state array");
            }
            double lr = config.getLearningRate(iteration, epoch);
            // the velocity has the gradient's shape and order (setStateViewArray), so the ops go element by element
            velocity.muli(config.momentum).addi(gradient);
            gradient.assign(velocity).muli(lr); // DL4J subtracts the returned gradient from the parameters
        }
    }
}

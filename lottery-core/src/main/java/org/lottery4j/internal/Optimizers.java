package org.lottery4j.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Installs an optimizer on an initialized DL4J network, and moves the position of its
 * {@link ScheduledLearningRate}s. DL4J reads the updater and regularization of every layer from the
 * layer's configuration when it builds the network's updater (lazily, at the first {@code fit});
 * this class rewrites those configurations in place, on the live layers and on the network's
 * configuration (which is what a saved network records), and rebuilds the updater if it exists.
 *
 * <pre>{@code
 * Optimizers.apply(net, new Momentum(0.1, 0.9), List.of(new WeightDecay(5e-4, true)));
 * net.fit(batch);                         // trains with momentum and decoupled weight decay
 * }</pre>
 */
public final class Optimizers {

    private Optimizers() {}

    /**
     * Gives every trainable layer this updater (for weights and biases alike: a separate bias
     * updater is removed) and, for its weights, these regularizations in place of any
     * {@link WeightDecay} or {@link L2Regularization} it had; decay and L2 on biases are removed
     * too. Other regularizations (L1) stay. Frozen layers keep their no-op updater. Updater state
     * from earlier training is discarded.
     *
     * @throws IllegalArgumentException for a layer with parameters whose updater this class cannot
     *     set, naming it
     */
    public static void apply(Model model, IUpdater updater, List<Regularization> weightRegularization) {
        for (BaseLayer layer : trainableLayers(model)) {
            layer.setIUpdater(copy(updater));
            layer.setBiasUpdater(null);
            List<Regularization> weights = withoutDecay(layer.getRegularization());
            weightRegularization.forEach(r -> weights.add(r.clone()));
            layer.setRegularization(weights);
            layer.setRegularizationBias(withoutDecay(layer.getRegularizationBias()));
        }
        // an updater built before this call would keep the old settings and state layout
        NetworkAdapter.of(model).rebuildUpdater();
    }

    // DL4J's updaters clone their schedule by reference: a network's schedule must not move another's
    private static IUpdater copy(IUpdater updater) {
        IUpdater copy = updater.clone();
        if (learningRateSchedule(copy) instanceof ScheduledLearningRate s) {
            copy.setLrAndSchedule(Double.NaN, s.clone());
        }
        return copy;
    }

    private static List<Regularization> withoutDecay(List<Regularization> list) {
        List<Regularization> out = new ArrayList<>(list == null ? List.of() : list);
        out.removeIf(r -> r instanceof WeightDecay || r instanceof L2Regularization);
        return out;
    }

    /** Where the network's learning-rate schedules stand at DL4J iteration 0; empty if it has none. */
    public static OptionalLong scheduleStart(Model model) {
        List<ScheduledLearningRate> schedules = schedules(model);
        return schedules.isEmpty() ? OptionalLong.empty() : OptionalLong.of(schedules.get(0).start());
    }

    /** The schedule position of the network's next update: start plus DL4J's iteration counter. */
    public static long schedulePosition(Model model) {
        return scheduleStart(model).orElse(0) + iterationCount(model);
    }

    /**
     * Moves every {@link ScheduledLearningRate} of the network so that DL4J iteration 0 is schedule
     * position {@code position}. Networks without one (a constant rate, DL4J's own schedules) are
     * left alone.
     */
    public static void startScheduleAt(Model model, long position) {
        schedules(model).forEach(s -> s.startAt(position));
    }

    private static List<ScheduledLearningRate> schedules(Model model) {
        Set<ScheduledLearningRate> found = Collections.newSetFromMap(new IdentityHashMap<>());
        for (BaseLayer layer : trainableLayers(model)) {
            for (IUpdater u : new IUpdater[] {layer.getIUpdater(), layer.getBiasUpdater()}) {
                if (learningRateSchedule(u) instanceof ScheduledLearningRate s) {
                    found.add(s);
                }
            }
        }
        return new ArrayList<>(found);
    }

    private static ISchedule learningRateSchedule(IUpdater u) {
        if (u instanceof Momentum m) {
            return m.learningRateSchedule();
        } else if (u instanceof Adam a) {
            return a.getLearningRateSchedule();
        } else if (u instanceof Sgd s) {
            return s.getLearningRateSchedule();
        } else if (u instanceof Nesterovs n) {
            return n.getLearningRateSchedule();
        } else if (u instanceof AdaMax a) {
            return a.getLearningRateSchedule();
        } else if (u instanceof Nadam n) {
            return n.getLearningRateSchedule();
        } else if (u instanceof AMSGrad a) {
            return a.getLearningRateSchedule();
        } else if (u instanceof RmsProp r) {
            return r.getLearningRateSchedule();
        } else if (u instanceof AdaGrad a) {
            return a.getLearningRateSchedule();
        }
        return null;
    }

    private static int iterationCount(Model model) {
        return NetworkAdapter.of(model).iterationCount();
    }

    /**
     * The trainable layer configurations of the live layers and of the network's configuration. In
     * DL4J 1.0.0-M2.1 both hold the same objects; collecting both keeps this true if a version
     * clones them.
     */
    private static List<BaseLayer> trainableLayers(Model model) {
        Set<BaseLayer> out = Collections.newSetFromMap(new IdentityHashMap<>());
        List<BaseLayer> ordered = new ArrayList<>();
        NetworkAdapter.of(model).layerConfigurations().forEach((conf, hasParams) -> collect(conf, hasParams, out, ordered));
        return ordered;
    }

    private static void collect(Layer conf, boolean hasParams, Set<BaseLayer> seen, List<BaseLayer> out) {
        if (conf instanceof BaseLayer b) {
            if (seen.add(b)) {
                out.add(b);
            }
        } else if (conf instanceof FrozenLayer || conf instanceof FrozenLayerWithBackprop) {
            return; // frozen on purpose: DL4J trains them with a no-op updater
        } else if (conf instanceof BaseWrapperLayer w) {
            collect(w.getUnderlying(), hasParams, seen, out);
        } else if (conf instanceof Bidirectional b) {
            collect(b.getFwd(), hasParams, seen, out);
            collect(b.getBwd(), hasParams, seen, out);
        } else if (hasParams) {
            throw new IllegalArgumentException("layer '" + conf.getLayerName() + "' (" + conf.getClass().getSimpleName()
                    + ") has parameters, but lottery4j cannot set its updater: it sets those of layers built on "
                    + "BaseLayer, wrappers of them and Bidirectional");
        }
    }
}

package org.lottery4j.testing;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.hparams.Step;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.network.NetworkAdapter;
import org.lottery4j.network.NetworkView;

/** The 12-16-8-3 MLP on 300 synthetic examples (60 of them for validation) and 200 test examples. */
public class SyntheticWorkload implements Workload {

    private final List<TrainingListener> listeners;

    public SyntheticWorkload(TrainingListener... listeners) {
        this.listeners = List.of(listeners);
    }

    /** Hyperparameters of a small experiment: {@code rounds} rounds of 50% at {@code budget}. */
    public static ExperimentHparams hparams(int rounds, String budget, List<String> controls) {
        return new ExperimentHparams(
                new DatasetHparams("synthetic", 12, 60),
                new ModelHparams("mlp-12-16-8-3"),
                new TrainingHparams("adam", 1e-2, 0, Step.parse(budget), Step.parse("10it"), 0, 3),
                new PruningHparams("magnitude", 0.5, "layerwise fractions={output=0.2}", rounds, "init"),
                controls);
    }

    @Override
    public Model createNetwork(ExperimentHparams hp) {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, Nets.base(hp.training().seed()).updater(hp.training().updater()));
        listeners.forEach(l -> NetworkAdapter.of(net).addListener(l));
        return net;
    }

    @Override
    public ExperimentData loadData(ExperimentHparams hp) {
        return ExperimentData.holdOut(Nets.dataSet(300, 1), Nets.dataSet(200, 2),
                hp.dataset().validationExamples(), hp.training().seed());
    }
}

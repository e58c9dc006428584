package org.lottery4j.testing;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.DatasetHparams;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.hparams.ModelHparams;
import org.lottery4j.hparams.PruningHparams;
import org.lottery4j.hparams.TrainingHparams;
import org.lottery4j.internal.NetworkAdapter;

/** The 12-16-8-3 MLP on 300 synthetic examples (60 of them for validation) and 200 test examples. */
public class SyntheticWorkload implements Workload {

    private final List<TrainingListener> listeners;

    public SyntheticWorkload(TrainingListener... listeners) {
        this.listeners = List.of(listeners);
    }

    /** Hyperparameters of a small experiment: {@code rounds} rounds of 50% at {@code budget}. */
    public static ExperimentHparams hparams(int rounds, String budget, List<ControlArm> controls) {
        return ExperimentHparams.builder()
                .dataset(DatasetHparams.builder().name("synthetic").batchSize(12).validationExamples(60).build())
                .model(new ModelHparams("mlp-12-16-8-3"))
                .training(TrainingHparams.builder().learningRate(1e-2).budget(budget).evalEvery("10it").seed(3).build())
                .pruning(PruningHparams.builder().fraction(0.5).scope("layerwise fractions={output=0.2}").rounds(rounds)
                        .build())
                .controls(controls)
                .build();
    }

    /** The MLP with this seed and DL4J's default updater: the experiment sets the hyperparameters' one. */
    @Override
    public Model createNetwork(ExperimentHparams hp) {
        Model net = Nets.mlp(Nets.Kind.MULTI_LAYER, new NeuralNetConfiguration.Builder().seed(hp.training().seed()));
        listeners.forEach(l -> NetworkAdapter.of(net).addListener(l));
        return net;
    }

    @Override
    public ExperimentData loadData(ExperimentHparams hp) {
        return ExperimentData.holdOut(Nets.dataSet(300, 1), Nets.dataSet(200, 2),
                hp.dataset().validationExamples(), hp.training().seed());
    }
}

package org.lottery4j.testing;

import java.io.IOException;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.experiment.ExperimentData;
import org.lottery4j.experiment.Workload;
import org.lottery4j.hparams.ExperimentHparams;

/** The study the executors' tests run: the synthetic MLP, 2 scopes x 2 seeds, 1 pruning round with the reinit control. */
public final class TinyStudy {

    /** The study file's text. */
    public static final String JSON = """
            {"name": "tiny",
             "base": {"dataset.name": "synthetic", "dataset.batchSize": 12, "dataset.validationExamples": 60,
                      "model.name": "mlp-12-16-8-3", "training.learningRate": 0.01, "training.budget": "20it",
                      "training.evalEvery": "10it", "pruning.fraction": 0.5, "pruning.rounds": 1,
                      "controls": ["reinit"]},
             "axes": {"pruning.scope": ["layerwise", "global"], "training.seed": [1, 2]}}
            """;

    private TinyStudy() {}

    /** A workload whose data cannot be read: {@code java.io.IOException: disk on fire}. */
    public static final class Broken implements Workload {
        @Override
        public Model createNetwork(ExperimentHparams hp) {
            throw new AssertionError("never reached");
        }

        @Override
        public ExperimentData loadData(ExperimentHparams hp) throws IOException {
            throw new IOException("disk on fire");
        }
    }
}

package org.lottery4j.experiment;

import java.io.IOException;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.hparams.ExperimentHparams;

/**
 * What an experiment trains: the network and the data its hyperparameters name. The examples
 * module provides MNIST and CIFAR-10 workloads; tests use tiny synthetic ones.
 *
 * <pre>{@code
 * Workload lenet = new Workload() {
 *     public Model createNetwork(ExperimentHparams hp) { ... conf.updater(hp.training().updater()) ... }
 *     public ExperimentData loadData(ExperimentHparams hp) { return ExperimentData.holdOut(...); }
 * };
 * }</pre>
 */
public interface Workload {

    /**
     * A new, initialized network. The same hyperparameters must give the same initial weights: seed
     * the configuration with {@code hp.training().seed()} and use {@code hp.training().updater()}.
     */
    Model createNetwork(ExperimentHparams hp);

    /** The data, with a validation split of {@code hp.dataset().validationExamples()} examples. */
    ExperimentData loadData(ExperimentHparams hp) throws IOException;
}

package org.lottery4j.experiment;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.testing.SyntheticWorkload;

/**
 * A child JVM for the kill -9 test: runs the synthetic experiment (arguments: output folder, budget,
 * workers), slowed down so it can be killed mid-round.
 */
public final class ExperimentProcess {

    public static void main(String[] args) throws Exception {
        BaseTrainingListener slow = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                try {
                    Thread.sleep(4);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        new Experiment(SyntheticWorkload.hparams(3, args[1], List.of(ControlArm.REINIT)), new SyntheticWorkload(slow),
                Path.of(args[0])).withWorkers(Integer.parseInt(args[2])).run();
    }
}

package org.lottery4j.results;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What an {@link org.lottery4j.experiment.Experiment} writes beside its tables, such as charts or
 * a web page. The experiment calls it after every round, once {@code rounds.csv} and
 * {@code results.json} are written, so a person can look at a running experiment; it must
 * therefore overwrite its own files, atomically ({@link org.lottery4j.io.AtomicFiles}).
 *
 * <p>The core writes no report ({@link #NONE}); the {@code lottery-report} module's
 * {@code HtmlReport::write} draws the charts and {@code index.html}:
 *
 * <pre>{@code
 * new Experiment(hp, workload, Path.of("out"), HtmlReport::write).run();
 * }</pre>
 */
@FunctionalInterface
public interface ExperimentReport {

    /** Writes nothing. */
    ExperimentReport NONE = (folder, result) -> {};

    /**
     * Writes the report of {@code result} into the experiment's {@code folder}.
     *
     * @throws IOException if a file cannot be written; the experiment stops with it
     */
    void write(Path folder, ExperimentResult result) throws IOException;
}

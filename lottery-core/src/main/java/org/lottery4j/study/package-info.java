/**
 * Studies: many experiments declared in one file, as a base experiment and the axes to vary.
 *
 * <p>{@link org.lottery4j.study.StudySpec} reads and validates a study file and expands it into
 * {@link org.lottery4j.study.StudyRun}s, each one experiment of the existing machinery named by its
 * hyperparameters' hash, so two studies that share a run share its folder.
 * {@link org.lottery4j.study.LocalExecutor} trains them on this machine, each with
 * {@link org.lottery4j.study.StudyTask}, the per-run step that lottery-spark's executor takes too.
 */
package org.lottery4j.study;

/**
 * Studies: many experiments declared in one file, as a base experiment and the axes to vary.
 *
 * <p>{@link org.lottery4j.study.StudySpec} reads and validates a study file and expands it into
 * {@link org.lottery4j.study.StudyRun}s, each one experiment of the existing machinery named by its
 * hyperparameters' hash, so two studies that share a run share its folder.
 */
package org.lottery4j.study;

/**
 * Results of experiments: per-arm, per-round records with learning curves,
 * {@link org.lottery4j.results.ExperimentResult}, which the experiment writes as {@code rounds.csv}
 * and {@code results.json} atomically, and {@link org.lottery4j.results.ExperimentReport}, the hook
 * through which an experiment writes a report beside them (the {@code lottery-report} module
 * provides the HTML one).
 */
package org.lottery4j.results;

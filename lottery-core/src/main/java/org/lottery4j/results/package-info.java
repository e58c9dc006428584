/**
 * Results of experiments: per-arm, per-round records with learning curves, and
 * {@link org.lottery4j.results.ResultsWriter}, which writes {@code rounds.csv} and
 * {@code results.json} atomically.
 */
package org.lottery4j.results;

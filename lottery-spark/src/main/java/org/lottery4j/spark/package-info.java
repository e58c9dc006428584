/**
 * Runs a study's experiments on Apache Spark ({@link org.lottery4j.spark.SparkExecutor}): one task per
 * experiment, a store folder that every executor sees. Kept out of lottery-core so that a library user
 * never pulls Spark in; Spark itself is a {@code provided} dependency (the cluster's, 3.5 on Scala 2.12).
 */
package org.lottery4j.spark;

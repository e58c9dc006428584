package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.lottery4j.spark.SparkExecutor;
import org.lottery4j.study.LocalExecutor;
import org.lottery4j.study.StudyRun;
import org.lottery4j.study.StudyStatus;

/**
 * {@code study run --executor spark}: the study as one Spark job, under {@code spark-submit} (which
 * sets {@code spark.master}) or in this JVM on {@code --master} (default {@code local[*]}). Apart
 * from {@link StudyCommand} so that the local executor never loads a Spark class.
 */
final class SparkStudy {

    private SparkStudy() {}

    /** Whether {@code spark.master} is set already, as {@code spark-submit} does. */
    static boolean masterIsSet() {
        return new SparkConf().contains("spark.master");
    }

    /** The {@code spark.master} that {@code spark-submit} set. */
    static String master() {
        return new SparkConf().get("spark.master");
    }

    static StudyStatus run(String name, List<StudyRun> runs, Path out, StudyWorkloads workloads, String master,
            LocalExecutor.SummaryReport report) throws IOException {
        SparkConf conf = new SparkConf().setIfMissing("spark.app.name", "lottery4j study " + name);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master == null ? "local[*]" : master);
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            return new SparkExecutor(spark, out, workloads, report).run(runs);
        }
    }
}

package org.lottery4j.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lottery4j.internal.Json;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.study.Summary.Estimate;
import org.lottery4j.study.Summary.Row;

/**
 * Writes a {@link Summary} as {@code summary.csv} and {@code summary.json}, atomically.
 *
 * <pre>{@code
 * SummaryWriter.write(studyFolder, Summary.of(runs, "training.seed"));
 * }</pre>
 *
 * <p>Both hold one record per row of the summary with the same fields: one per varied axis (named
 * as the axis, holding its value), then {@code round}, {@code arm}, {@code n} (seeds),
 * {@code weights_remaining} (mean), then {@code _mean}, {@code _sd}, {@code _ci_low} and
 * {@code _ci_high} of {@code test_accuracy} (final), {@code best_test_accuracy} and
 * {@code early_stop_iteration}, then the paired difference of final test accuracy, ticket minus
 * this arm: {@code ticket_minus_arm_n}, {@code ticket_minus_arm_test_accuracy_mean}, {@code _sd},
 * {@code _ci_low}, {@code _ci_high} and {@code ticket_minus_arm_excludes_zero} ({@code true} when
 * the 95% interval lies entirely on one side of zero), then the paired difference of this arm minus
 * the dense network (round 0): {@code arm_minus_dense_n} and
 * {@code arm_minus_dense_test_accuracy_mean}, {@code _sd}, {@code _ci_low}, {@code _ci_high}, then,
 * when the runs recorded their training cost, the {@code _mean}, {@code _sd}, {@code _ci_low} and
 * {@code _ci_high} of {@code training_multiply_adds} and {@code training_seconds} (the training that
 * produced each arm's network, the trainings its masks came from included), then, when a run has the
 * stability arm, the {@code _mean}, {@code _sd}, {@code _ci_low} and {@code _ci_high} of its
 * {@code instability} (empty on other arms' rows), then,
 * only for a study with a baseline, the paired difference of this arm minus the baseline's ticket in the same round:
 * {@code arm_minus_baseline_n}, {@code arm_minus_baseline_test_accuracy_mean}, {@code _sd},
 * {@code _ci_low}, {@code _ci_high} and {@code arm_minus_baseline_excludes_zero}. A
 * value that does not exist (the ticket-minus-arm difference on the ticket's rows, the difference
 * from the dense network in round 0, a spread or interval from a single seed) is an empty field in
 * the CSV and absent from the JSON. The CSV rounds numbers to six decimals; the JSON keeps them
 * exact. {@code summary.json} is {@code {"seed_axis": ..., "axes": [...], "rows": [...]}}.
 */
final class SummaryWriter {

    /** The columns after the axes, in order, for a summary without a baseline. */
    public static final List<String> COLUMNS = columns();

    /** The columns a summary of runs that recorded their training cost adds after {@link #COLUMNS}. */
    public static final List<String> COST_COLUMNS = List.of("training_multiply_adds_mean",
            "training_multiply_adds_sd", "training_multiply_adds_ci_low", "training_multiply_adds_ci_high",
            "training_seconds_mean", "training_seconds_sd", "training_seconds_ci_low", "training_seconds_ci_high");

    /** The columns a summary of runs with the stability arm adds after the cost's. */
    public static final List<String> INSTABILITY_COLUMNS = List.of("instability_mean", "instability_sd",
            "instability_ci_low", "instability_ci_high");

    /** The columns a summary with a baseline adds after the others. */
    public static final List<String> BASELINE_COLUMNS = List.of("arm_minus_baseline_n",
            "arm_minus_baseline_test_accuracy_mean", "arm_minus_baseline_test_accuracy_sd",
            "arm_minus_baseline_test_accuracy_ci_low", "arm_minus_baseline_test_accuracy_ci_high",
            "arm_minus_baseline_excludes_zero");

    private SummaryWriter() {}

    /** Writes {@code summary.csv} and {@code summary.json} into {@code folder}. */
    public static void write(Path folder, Summary summary) throws IOException {
        AtomicFiles.writeString(folder.resolve("summary.csv"), csv(summary));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed_axis", summary.seedAxis());
        json.put("axes", summary.axes());
        List<Map<String, Object>> rows = records(summary);
        rows.forEach(r -> r.values().removeIf(v -> v == null)); // absent rather than null
        json.put("rows", rows);
        Json.write(folder.resolve("summary.json"), json);
    }

    /** The content of {@code summary.csv}. */
    public static String csv(Summary summary) {
        List<String> header = new ArrayList<>(summary.axes());
        header.addAll(COLUMNS);
        if (hasCost(summary)) {
            header.addAll(COST_COLUMNS);
        }
        if (hasInstability(summary)) {
            header.addAll(INSTABILITY_COLUMNS);
        }
        if (hasBaseline(summary)) {
            header.addAll(BASELINE_COLUMNS);
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header);
        for (Map<String, Object> record : records(summary)) {
            appendLine(sb, record.values().stream().map(SummaryWriter::csvCell).toList());
        }
        return sb.toString();
    }

    /**
     * The rows as records, field name to value, every field present in header order; a value that
     * does not exist is {@code null}.
     */
    static List<Map<String, Object>> records(Summary summary) {
        for (String axis : summary.axes()) {
            if (COLUMNS.contains(axis)) {
                throw new IllegalArgumentException("axis '" + axis + "' has the name of a summary column");
            }
        }
        List<Map<String, Object>> records = new ArrayList<>();
        boolean baselineColumns = hasBaseline(summary);
        boolean costColumns = hasCost(summary);
        boolean instabilityColumns = hasInstability(summary);
        for (Row row : summary.rows()) {
            Map<String, Object> r = new LinkedHashMap<>(row.variant());
            r.put("round", row.round());
            r.put("arm", row.arm());
            r.put("n", row.n());
            r.put("weights_remaining", row.weightsRemaining());
            put(r, "test_accuracy", row.testAccuracy());
            put(r, "best_test_accuracy", row.bestTestAccuracy());
            put(r, "early_stop_iteration", row.earlyStopIteration());
            Estimate d = row.ticketMinusArm();
            r.put("ticket_minus_arm_n", d == null ? null : d.n());
            put(r, "ticket_minus_arm_test_accuracy", d);
            r.put("ticket_minus_arm_excludes_zero", d == null || !d.hasInterval() ? null : d.excludesZero());
            Estimate dense = row.armMinusDense();
            r.put("arm_minus_dense_n", dense == null ? null : dense.n());
            put(r, "arm_minus_dense_test_accuracy", dense);
            if (costColumns) {
                put(r, "training_multiply_adds", row.multiplyAdds());
                put(r, "training_seconds", row.trainingSeconds());
            }
            if (instabilityColumns) {
                put(r, "instability", row.instability());
            }
            if (baselineColumns) {
                Estimate baseline = row.armMinusBaseline();
                r.put("arm_minus_baseline_n", baseline == null ? null : baseline.n());
                put(r, "arm_minus_baseline_test_accuracy", baseline);
                r.put("arm_minus_baseline_excludes_zero", baseline == null || !baseline.hasInterval() ? null
                        : baseline.excludesZero());
            }
            r.replaceAll((k, v) -> v instanceof Double x && x.isNaN() ? null : v);
            records.add(r);
        }
        return records;
    }

    /** Whether some run recorded its training cost: only then are its columns written. */
    private static boolean hasCost(Summary summary) {
        return summary.rows().stream().anyMatch(r -> r.multiplyAdds() != null);
    }

    /** Whether some run has the stability arm: only then are its columns written. */
    private static boolean hasInstability(Summary summary) {
        return summary.rows().stream().anyMatch(r -> r.instability() != null);
    }

    /** Whether some row was compared with a baseline: only then are its columns written. */
    private static boolean hasBaseline(Summary summary) {
        return summary.rows().stream().anyMatch(r -> r.armMinusBaseline() != null);
    }

    private static void put(Map<String, Object> record, String metric, Estimate e) {
        record.put(metric + "_mean", e == null ? null : e.mean());
        record.put(metric + "_sd", e == null ? null : e.sd());
        record.put(metric + "_ci_low", e == null ? null : e.ciLow());
        record.put(metric + "_ci_high", e == null ? null : e.ciHigh());
    }

    private static List<String> columns() {
        List<String> c = new ArrayList<>(List.of("round", "arm", "n", "weights_remaining"));
        for (String metric : List.of("test_accuracy", "best_test_accuracy", "early_stop_iteration")) {
            for (String part : List.of("_mean", "_sd", "_ci_low", "_ci_high")) {
                c.add(metric + part);
            }
        }
        c.add("ticket_minus_arm_n");
        for (String part : List.of("_mean", "_sd", "_ci_low", "_ci_high")) {
            c.add("ticket_minus_arm_test_accuracy" + part);
        }
        c.add("ticket_minus_arm_excludes_zero");
        c.add("arm_minus_dense_n");
        for (String part : List.of("_mean", "_sd", "_ci_low", "_ci_high")) {
            c.add("arm_minus_dense_test_accuracy" + part);
        }
        return List.copyOf(c);
    }

    private static String csvCell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%.6f", d);
        }
        return value.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String cell = cells.get(i);
            // RFC 4180: an axis value may hold a comma or a quote (a list, a path)
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
                sb.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(cell);
            }
        }
        sb.append('\n');
    }
}

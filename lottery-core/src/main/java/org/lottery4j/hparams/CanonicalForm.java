package org.lottery4j.hparams;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.lottery4j.io.Sha256;

/**
 * The one rule by which hyperparameters name an output folder: sorted {@code key=value} lines,
 * hashed with SHA-256 and cut to 10 hex digits. The experiment records here use it, and so can any
 * other run described by typed hyperparameters (the examples' grokking and double-descent runs).
 *
 * <pre>{@code
 * Map<String, String> fields = Map.of("grokking.p", "97", "grokking.seed", "1");
 * String canonical = CanonicalForm.of(fields);   // "grokking.p=97\ngrokking.seed=1"
 * Path folder = out.resolve("grokking_" + CanonicalForm.hash(canonical));
 * }</pre>
 */
public final class CanonicalForm {

    private CanonicalForm() {}

    /** The {@code key=value} lines of {@code fields}, sorted by key, joined by newlines. */
    public static String of(Map<String, String> fields) {
        return new TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** The first 10 hex digits of the SHA-256 of a canonical form (UTF-8). */
    public static String hash(String canonical) {
        return Sha256.hex(canonical.getBytes(StandardCharsets.UTF_8)).substring(0, 10);
    }

    /** {@code title}, then every field in the map's order, one {@code key = value} per line: how runs print their hyperparameters. */
    public static String describe(String title, Map<String, String> fields) {
        StringBuilder sb = new StringBuilder(title);
        fields.forEach((k, v) -> sb.append(String.format("%n  %-30s %s", k, v)));
        return sb.toString();
    }
}

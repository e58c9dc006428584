package org.lottery4j.run;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.lottery4j.internal.Sha256;

/**
 * Who a run is, the one rule by which every kind of run (lottery experiment, N:M experiment,
 * grokking run, double-descent sweep, your own) names its output folder: every hyperparameter as
 * printed, and the canonical form of those that decide its results, which is hashed into the
 * folder's name and saved in its {@code hparams.json} ({@link RunFolder#bind}).
 *
 * <p>The canonical form is the sorted {@code key=value} lines of the hashed fields; a field at its
 * default is left out, so a new hyperparameter that defaults to "no change" leaves every existing
 * hash, and the folder it names, as it was. The hash is the first 10 hex digits of the form's
 * SHA-256 (UTF-8); the folder is {@code <prefix>_<hash>}.
 *
 * <pre>{@code
 * Map<String, String> fields = Map.of("grokking.p", "113", "grokking.seed", "1");
 * Map<String, String> defaults = Map.of("grokking.p", "97", "grokking.seed", "1");
 * RunIdentity id = RunIdentity.of("Grokking run", "grokking", fields, defaults, Set.of());
 * id.canonical();    // "grokking.p=113"
 * id.folderName();   // grokking_<10 hex digits>
 * }</pre>
 *
 * @param title what the run is, for {@link #describe()}: "experiment", "Grokking run"
 * @param prefix the folder name's prefix: "lottery", "grokking"
 * @param fields every field, defaults included, in the order runs print them
 * @param canonicalFields the fields that are hashed, sorted by key
 */
public record RunIdentity(String title, String prefix, Map<String, String> fields, Map<String, String> canonicalFields) {

    public RunIdentity {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(prefix, "prefix");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        canonicalFields = Collections.unmodifiableMap(new TreeMap<>(canonicalFields));
    }

    /**
     * The identity whose canonical form holds every field of {@code fields} that differs from its
     * value in {@code defaults}, except those of {@code notHashed} (values that add results beside
     * the others without changing them: control arms, the seeds or widths of a sweep).
     */
    public static RunIdentity of(String title, String prefix, Map<String, String> fields, Map<String, String> defaults,
            Collection<String> notHashed) {
        Map<String, String> hashed = new TreeMap<>();
        fields.forEach((k, v) -> {
            if (!notHashed.contains(k) && !v.equals(defaults.get(k))) {
                hashed.put(k, v);
            }
        });
        return new RunIdentity(title, prefix, fields, hashed);
    }

    /** The sorted {@code key=value} lines of the hashed fields, joined by newlines. */
    public String canonical() {
        return canonicalFields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** The first 10 hex digits of the SHA-256 of {@link #canonical()}. */
    public String hash() {
        return Sha256.hex(canonical().getBytes(StandardCharsets.UTF_8)).substring(0, 10);
    }

    /** The output folder's name: {@code <prefix>_<hash>}. */
    public String folderName() {
        return prefix + "_" + hash();
    }

    /** The title and folder, then every field, one {@code key = value} per line: how runs print their hyperparameters. */
    public String describe() {
        StringBuilder sb = new StringBuilder(title).append(' ').append(folderName());
        fields.forEach((k, v) -> sb.append(String.format("%n  %-30s %s", k, v)));
        return sb.toString();
    }
}

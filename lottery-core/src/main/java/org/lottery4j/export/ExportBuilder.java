package org.lottery4j.export;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.lottery4j.sparsity.NmPattern;

/** The options both exporters' builders take: a pattern to check and record, and the caller's metadata. */
abstract class ExportBuilder<B extends ExportBuilder<B>> {

    private final Set<String> reserved;
    NmPattern pattern;
    final Map<String, String> metadata = new TreeMap<>();

    /** {@code reserved}: the metadata keys this exporter writes itself, besides {@code provenance.*}. */
    ExportBuilder(Set<String> reserved) {
        this.reserved = reserved;
    }

    /** Checks that the weights satisfy this pattern before writing, and records it in the metadata. */
    public B pattern(NmPattern pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        return self();
    }

    /**
     * An extra metadata entry (safetensors {@code __metadata__}, ONNX {@code metadata_props});
     * the keys the exporter writes itself are refused.
     */
    public B metadata(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of " + key);
        if (reserved.contains(key) || key.startsWith(ExportMetadata.PROVENANCE)) {
            throw new IllegalArgumentException("metadata key '" + key + "' is written by the exporter itself");
        }
        metadata.put(key, value);
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}

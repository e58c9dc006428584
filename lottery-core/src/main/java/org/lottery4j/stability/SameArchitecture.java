package org.lottery4j.stability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.network.ParamInfo;

/**
 * Whether two networks compute the same function of their parameters, so that a mix of their
 * parameters means something: same network type, same parameter layout, and the same
 * configuration but for what differs between two copies trained apart (seeds, iteration and epoch
 * counters).
 */
final class SameArchitecture {

    // configuration fields that differ between copies of one architecture
    private static final Set<String> IGNORED = Set.of("seed", "iterationCount", "epochCount");

    private SameArchitecture() {}

    /** @throws IllegalArgumentException naming the first difference */
    static void require(NetworkAdapter a, NetworkAdapter b) {
        String typeA = a.model().getClass().getSimpleName();
        String typeB = b.model().getClass().getSimpleName();
        if (!typeA.equals(typeB)) {
            throw new IllegalArgumentException("networks of different architectures: A is a " + typeA + ", B a " + typeB);
        }
        List<ParamInfo> pa = a.params();
        List<ParamInfo> pb = b.params();
        for (int i = 0; i < Math.max(pa.size(), pb.size()); i++) {
            ParamInfo x = i < pa.size() ? pa.get(i) : null;
            ParamInfo y = i < pb.size() ? pb.get(i) : null;
            if (x == null || !x.equals(y)) {
                throw new IllegalArgumentException("networks of different architectures: parameter " + i + " is "
                        + describe(x) + " in A but " + describe(y) + " in B");
            }
        }
        Optional<String> difference = difference(read(a.configurationJson()), read(b.configurationJson()), "");
        difference.ifPresent(d -> {
            throw new IllegalArgumentException("networks of different architectures: their configurations differ at " + d);
        });
    }

    private static String describe(ParamInfo p) {
        return p == null ? "missing" : p + " (" + p.layerType() + ")";
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DL4J wrote a configuration that is not JSON", e);
        }
    }

    // the path of the first difference and the two values there
    private static Optional<String> difference(JsonNode a, JsonNode b, String path) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (IGNORED.contains(e.getKey())) {
                    continue;
                }
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                JsonNode other = b.get(e.getKey());
                if (other == null) {
                    return Optional.of(at + ": A has " + e.getValue() + ", B has nothing");
                }
                Optional<String> d = difference(e.getValue(), other, at);
                if (d.isPresent()) {
                    return d;
                }
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!IGNORED.contains(name) && a.get(name) == null) {
                    return Optional.of((path.isEmpty() ? name : path + "." + name) + ": A has nothing, B has " + b.get(name));
                }
            }
            return Optional.empty();
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                Optional<String> d = difference(a.get(i), b.get(i), path + "[" + i + "]");
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        return a.equals(b) ? Optional.empty() : Optional.of(path + ": A has " + a + ", B has " + b);
    }
}

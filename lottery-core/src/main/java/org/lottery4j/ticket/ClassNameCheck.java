package org.lottery4j.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.lottery4j.io.Json;

/**
 * Refuses a DL4J configuration JSON that names a class outside DL4J, ND4J and lottery4j, before
 * DL4J's own (shaded) Jackson reads it. DL4J's configurations are polymorphic with
 * {@code JsonTypeInfo.Id.CLASS}: the type id is a class name that Jackson loads (running its static
 * initializer) and instantiates, the Jackson-gadget variant of untrusted deserialization. Type ids
 * appear as
 *
 * <ul>
 *   <li>the {@code "@class"} property (layers, vertices, preprocessors, activations, losses,
 *       updaters, schedules, weight init, dropout, constraints, regularization, input types);
 *   <li>the {@code "type"} property of distributions (no DL4J or ND4J configuration class has
 *       a field of that name, so every textual {@code "type"} is checked);
 *   <li>the first element of a two-element array whose second element is an object: Jackson
 *       accepts {@code [typeId, value]} wherever it expects a {@code "@class"} property.
 * </ul>
 *
 * A type id must be a plain qualified name (no generic parameters such as
 * {@code org.nd4j.X<java.net.URL>}, which Jackson would also load, no array descriptors).
 *
 * <pre>{@code
 * ClassNameCheck.check(jsonBytes, file, "network/configuration.json");   // throws TicketFormatException
 * }</pre>
 */
final class ClassNameCheck {

    static final List<String> ALLOWED_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "org.lottery4j.");
    /** Third-party libraries ND4J ships shaded under its own name (Jackson, Guava, protobuf...). */
    static final String SHADED = "org.nd4j.shade.";

    private static final Pattern QUALIFIED_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)+");

    private ClassNameCheck() {}

    /** Parses {@code json} and checks every class name in it; returns the parsed tree. */
    static JsonNode check(byte[] json, Path file, String entry) throws TicketFormatException {
        JsonNode root;
        try {
            // Jackson's default limits (nesting depth 1000, string and number lengths) apply here,
            // before the configuration reaches DL4J's shaded copy of Jackson
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TicketFormatException(file, "entry " + entry + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new TicketFormatException(file, "entry " + entry + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TicketFormatException(file, "entry " + entry + " is not a JSON object");
        }
        walk(root, "$", file, entry);
        return root;
    }

    private static void walk(JsonNode node, String path, Path file, String entry) throws TicketFormatException {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String at = path + "." + f.getKey();
                JsonNode value = f.getValue();
                if (f.getKey().equals("@class")) {
                    if (!value.isTextual()) {
                        throw new TicketFormatException(file, "entry " + entry + " has a non-string type id at " + at);
                    }
                    requireAllowed(value.textValue(), at, file, entry);
                } else if (f.getKey().equals("type") && value.isTextual()) {
                    requireAllowed(value.textValue(), at, file, entry);
                }
                walk(value, at, file, entry);
            }
        } else if (node.isArray()) {
            if (node.size() == 2 && node.get(0).isTextual() && node.get(1).isObject()) {
                requireAllowed(node.get(0).textValue(), path + "[0]", file, entry);
            }
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", file, entry);
            }
        }
    }

    private static void requireAllowed(String className, String at, Path file, String entry)
            throws TicketFormatException {
        boolean allowed = QUALIFIED_NAME.matcher(className).matches()
                && ALLOWED_PACKAGES.stream().anyMatch(className::startsWith) && !className.startsWith(SHADED);
        if (!allowed) {
            throw new TicketFormatException(file, "entry " + entry + " names the class '" + className + "' at " + at
                    + "; a ticket may only name classes under " + String.join(", ", ALLOWED_PACKAGES)
                    + " except " + SHADED + " (refused before anything is loaded)");
        }
    }
}

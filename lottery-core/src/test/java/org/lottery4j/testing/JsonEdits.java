package org.lottery4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Structural edits of a JSON text for {@link Fuzz}: one random field or element of the document
 * deleted, renamed, duplicated (the same key twice, which only text can hold), swapped with a
 * sibling, wrapped in an array, emptied, or replaced by another type, an extreme number (as literal
 * text: {@code 1e309}, {@code 18446744073709551616}, 300 digits...), a long string or a deep nesting.
 * It never writes a class name of its own, so that a format's differential oracle may hand the
 * edited text to another parser safely.
 *
 * <pre>{@code
 * String edited = JsonEdits.edit(json, random);
 * }</pre>
 */
public final class JsonEdits {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "\"__lottery4j_edit__\"";
    private static final String[] NUMBERS = {"1e309", "-1e309", "1e-400", "18446744073709551616", "-9223372036854775809",
            "9223372036854775807", "2147483648", "-2147483649", "2147483647", "65536", "-1", "0", "-0", "0.5", "1.0",
            "3.4028236e38", "1".repeat(300), "0." + "0".repeat(300) + "1"};

    private JsonEdits() {}

    /** {@code json} with one structural edit; the text unchanged if it is not JSON (a damaged copy). */
    public static String edit(String json, Random random) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            return json;
        }
        if (root == null || !root.isContainerNode()) {
            return json;
        }
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty()) {
            return json;
        }
        Slot s = slots.get(random.nextInt(slots.size()));
        String literal = null; // text that replaces MARK after serialization
        switch (random.nextInt(11)) {
            case 0 -> s.remove();
            case 1 -> {
                if (s.key != null) {
                    JsonNode v = s.value();
                    s.remove();
                    ((ObjectNode) s.parent).set(s.key + "x", v);
                } else {
                    s.remove();
                }
            }
            case 2 -> {
                if (s.key != null) { // the same key again, with the value of another slot or its own
                    JsonNode other = slots.get(random.nextInt(slots.size())).value();
                    ((ObjectNode) s.parent).set("__lottery4j_edit__", (random.nextBoolean() ? other : s.value()).deepCopy());
                    literal = quoted(s.key);
                } else {
                    ((ArrayNode) s.parent).insert(s.index, s.value().deepCopy());
                }
            }
            case 3 -> { // swap with a sibling
                Slot t = slots.get(random.nextInt(slots.size()));
                JsonNode a = s.value();
                JsonNode b = t.value();
                s.set(b.deepCopy());
                t.set(a.deepCopy());
            }
            case 4 -> s.set(JsonNodeFactory.instance.arrayNode().add(s.value()));
            case 5 -> s.set(s.value().isArray() ? JsonNodeFactory.instance.objectNode() : JsonNodeFactory.instance.arrayNode());
            case 6 -> s.set(new JsonNode[] {JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.booleanNode(true),
                    JsonNodeFactory.instance.textNode(""), JsonNodeFactory.instance.textNode("x"),
                    JsonNodeFactory.instance.numberNode(0)}[random.nextInt(5)]);
            case 7, 8 -> {
                s.set(JsonNodeFactory.instance.textNode("__lottery4j_edit__"));
                literal = NUMBERS[random.nextInt(NUMBERS.length)];
            }
            case 9 -> {
                s.set(JsonNodeFactory.instance.textNode("__lottery4j_edit__"));
                literal = random.nextBoolean() ? "[".repeat(1200) + "]".repeat(1200)
                        : quoted("a".repeat(100_000));
            }
            default -> {
                JsonNode v = s.value();
                s.set(v.isTextual() ? JsonNodeFactory.instance.textNode(v.textValue().isEmpty() ? "x"
                        : v.textValue().substring(0, v.textValue().length() - 1)) : JsonNodeFactory.instance.textNode(v.toString()));
            }
        }
        String text;
        try {
            text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return literal == null ? text : text.replace(MARK, literal);
    }

    private static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode node, List<Slot> out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                out.add(new Slot(node, n, -1));
                collect(node.get(n), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new Slot(node, null, i));
                collect(node.get(i), out);
            }
        }
    }

    /** A field of an object or an element of an array. */
    private record Slot(JsonNode parent, String key, int index) {
        JsonNode value() {
            JsonNode v = key != null ? parent.get(key) : parent.get(index);
            return v == null ? JsonNodeFactory.instance.nullNode() : v;
        }

        void set(JsonNode v) {
            if (key != null) {
                ((ObjectNode) parent).set(key, v);
            } else if (index < parent.size()) {
                ((ArrayNode) parent).set(index, v);
            }
        }

        void remove() {
            if (key != null) {
                ((ObjectNode) parent).remove(key);
            } else if (index < parent.size()) {
                ((ArrayNode) parent).remove(index);
            }
        }
    }
}

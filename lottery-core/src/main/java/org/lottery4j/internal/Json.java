package org.lottery4j.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.io.FileFormatException;

/**
 * The project's one JSON configuration: indented output, unknown fields ignored on read (newer
 * writers may add fields), nulls left out; files written atomically. Reading refuses a duplicate
 * key (parsers disagree on which of two to keep) and anything after the first value.
 *
 * <p>The records a run reads back to resume (its results, each arm's and phase's record) are
 * written with {@link #writeChecked}: the object's fields, then {@value #CHECKSUM}, the SHA-256 of
 * the fields as compact JSON, which {@link #readChecked} requires and checks, so that a damaged
 * record (a flipped digit is still valid JSON) is an error naming the file instead of another
 * result.
 *
 * <pre>{@code
 * Json.writeChecked(folder.resolve("results.json"), result);
 * ExperimentResult back = Json.readChecked(folder.resolve("results.json"), ExperimentResult.class);
 * }</pre>
 */
public final class Json {

    /** The field of a checked record that holds its checksum. */
    public static final String CHECKSUM = "sha256";

    /** The shared mapper; it handles records. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    // what the checksum covers: the fields without layout
    private static final ObjectWriter COMPACT = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();

    /**
     * Reads JSON as lottery4j reads it: duplicate keys and trailing tokens refused, unknown fields
     * ignored. Immutable: a caller can derive another reader ({@code forType}, {@code with}), never
     * change this one.
     */
    public static ObjectReader reader() {
        return READER;
    }

    /** Writes JSON as lottery4j writes it: indented, null fields left out. Immutable, as {@link #reader()}. */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /** {@code value} as a JSON tree, as {@link #writer()} would write it. */
    public static <T extends JsonNode> T tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A new, empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Writes {@code value} as JSON to {@code file}, atomically. */
    public static void write(Path file, Object value) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Reads a JSON file. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }

    /**
     * Writes {@code value} (an object: a record, a map) as JSON with its checksum last, atomically.
     *
     * @throws IllegalArgumentException if it is not written as a JSON object, or has a field named
     *     {@value #CHECKSUM}
     */
    public static void writeChecked(Path file, Object value) throws IOException {
        // the checksum is taken over the fields as a reader parses them from this text, so that
        // writer and reader hash the same numbers whatever their text form
        JsonNode tree = MAPPER.readTree(MAPPER.writeValueAsBytes(value));
        if (!(tree instanceof ObjectNode fields) || fields.has(CHECKSUM)) {
            throw new IllegalArgumentException("a checked record is a JSON object without a '" + CHECKSUM
                    + "' field, not " + value.getClass().getName());
        }
        fields.put(CHECKSUM, checksum(fields));
        write(file, fields);
    }

    /**
     * Reads a record that {@link #writeChecked} wrote.
     *
     * @throws NoSuchFileException if there is no such file
     * @throws FileFormatException naming the file when it is not JSON, has no checksum (damaged, or
     *     written before lottery4j checksummed its records), does not match its checksum, or does
     *     not fit {@code type}
     */
    public static <T> T readChecked(Path file, Class<T> type) throws IOException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(Utf8.decode(Files.readAllBytes(file)));
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "is not UTF-8 text", e);
        } catch (JsonProcessingException e) {
            throw new FileFormatException(file, "is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode fields)) {
            throw new FileFormatException(file, "is not a JSON object");
        }
        JsonNode recorded = fields.remove(CHECKSUM);
        if (recorded == null || !recorded.isTextual()) {
            throw new FileFormatException(file, "has no '" + CHECKSUM + "' field: it is damaged, or was written by a "
                    + "lottery4j from before run records were checksummed");
        }
        String actual = checksum(fields);
        if (!actual.equals(recorded.textValue())) {
            throw new FileFormatException(file, "was damaged or changed: the SHA-256 of its fields is " + actual
                    + ", its '" + CHECKSUM + "' says " + recorded.textValue());
        }
        try {
            return MAPPER.treeToValue(fields, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new FileFormatException(file, "is not a " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static String checksum(ObjectNode fields) throws JsonProcessingException {
        return Sha256.hex(COMPACT.writeValueAsBytes(fields));
    }
}

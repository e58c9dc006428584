package org.lottery4j.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The project's one JSON configuration: indented output, unknown fields ignored on read (newer
 * writers may add fields), nulls left out; files written atomically. Reading refuses a duplicate
 * key (parsers disagree on which of two to keep) and anything after the first value.
 *
 * <pre>{@code
 * Json.write(folder.resolve("results.json"), result);
 * ExperimentResult back = Json.read(folder.resolve("results.json"), ExperimentResult.class);
 * }</pre>
 */
public final class Json {

    /** The shared mapper; it handles records. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {}

    /** Writes {@code value} as JSON to {@code file}, atomically. */
    public static void write(Path file, Object value) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Reads a JSON file. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }
}

package org.lottery4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.lottery4j.internal.Json;

/**
 * A study's {@code summary.csv} and {@code summary.json} without their wall-clock columns
 * ({@code training_seconds_*}): what two runs of the same study share, however long each took.
 */
public final class Summaries {

    private static final String TIMES = "training_seconds_";

    private Summaries() {}

    /** The CSV file's text without its timing columns. */
    public static String csv(Path file) {
        List<String> lines = read(file).lines().toList();
        String[] header = lines.get(0).split(",", -1);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < header.length; i++) {
            if (!header[i].startsWith(TIMES)) {
                kept.add(i);
            }
        }
        // the timing columns are numbers: no quoted commas in them or after them
        return lines.stream().map(l -> {
            String[] cells = l.split(",", -1);
            return kept.stream().map(i -> i < cells.length ? cells[i] : "").collect(Collectors.joining(","));
        }).collect(Collectors.joining("\n"));
    }

    /** The JSON file's tree without its rows' timing fields. */
    public static JsonNode json(Path file) {
        try {
            JsonNode root = Json.reader().readTree(read(file));
            for (JsonNode row : root.path("rows")) {
                List<String> names = new ArrayList<>();
                row.fieldNames().forEachRemaining(names::add);
                names.stream().filter(n -> n.startsWith(TIMES)).forEach(((ObjectNode) row)::remove);
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.lottery4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.Json;

/** Checked records: written with their checksum last, read back only as written. */
class JsonTest {

    record Result(String name, double accuracy, List<Integer> iterations) {}

    @TempDir
    Path dir;

    @Test
    void aCheckedRecordRoundTripsExactlyWithItsChecksumLast() throws Exception {
        Result r = new Result("lottery_55d01c73fe", 0.9525000000000001, List.of(0, 1000, 2000));
        Path file = dir.resolve("results.json");
        Json.writeChecked(file, r);
        assertThat(Json.readChecked(file, Result.class)).isEqualTo(r);
        String text = Files.readString(file);
        assertThat(text).startsWith("{\n  \"name\" : \"lottery_55d01c73fe\",").containsPattern("\"sha256\" : \"[0-9a-f]{64}\"\n}$");
        assertThat(Json.read(file, Result.class)).isEqualTo(r); // still plain JSON for other readers
    }

    @Test
    void aFlippedDigitIsCaughtWhereTheJsonIsStillValid() throws Exception {
        Path file = dir.resolve("results.json");
        Json.writeChecked(file, new Result("a", 0.95, List.of(1)));
        Files.writeString(file, Files.readString(file).replace("0.95", "0.94"));
        assertThatThrownBy(() -> Json.readChecked(file, Result.class))
                .isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(file + ": was damaged or changed: the SHA-256 of its fields is ");
    }

    @Test
    void theOtherWaysARecordIsNotOneAreNamed() throws Exception {
        Path file = dir.resolve("r.json");
        Files.writeString(file, "{\"name\": \"a\"}");
        assertThatThrownBy(() -> Json.readChecked(file, Result.class))
                .hasMessage(file + ": has no 'sha256' field: it is damaged, or was written by a lottery4j from before "
                        + "run records were checksummed");
        Files.writeString(file, "[1, 2]");
        assertThatThrownBy(() -> Json.readChecked(file, Result.class)).hasMessage(file + ": is not a JSON object");
        Files.writeString(file, "{\"name\": \"a\", \"name\": \"b\"}");
        assertThatThrownBy(() -> Json.readChecked(file, Result.class))
                .hasMessageStartingWith(file + ": is not valid JSON: Duplicate field 'name'");
        Files.writeString(file, "{\"name\": \"a\"} x");
        assertThatThrownBy(() -> Json.readChecked(file, Result.class)).hasMessageStartingWith(file + ": is not valid JSON: ");
        Json.writeChecked(file, Map.of("accuracy", "high"));
        assertThatThrownBy(() -> Json.readChecked(file, Result.class))
                .hasMessageStartingWith(file + ": is not a Result: Cannot deserialize value of type `double` from String \"high\"");
        assertThatThrownBy(() -> Json.writeChecked(file, List.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.writeChecked(file, Map.of("sha256", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).contains("high"); // left as it was
    }
}

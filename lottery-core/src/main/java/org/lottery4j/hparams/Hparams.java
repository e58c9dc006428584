package org.lottery4j.hparams;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.rewind.RewindPoint;

/** Validation, parsing and canonical-form helpers shared by the hyperparameter records. */
final class Hparams {

    private Hparams() {}

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The enum constant whose text is {@code input}, in any case, with {@code -} or spaces for
     * {@code _}; else an error naming the field and the allowed values.
     */
    static <E extends Enum<E>> E parseEnum(E[] values, Function<E, String> text, String field, String input) {
        String t = input == null ? "" : input.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        for (E e : values) {
            if (text.apply(e).equals(t)) {
                return e;
            }
        }
        throw new IllegalArgumentException(field + ": '" + input + "' is not one of "
                + Arrays.stream(values).map(text).collect(Collectors.joining(", ")));
    }

    /**
     * The canonical text of a field's value: {@code describe()} of parsed values, {@code none} for
     * an optional value not given, else {@code toString()}.
     */
    static String text(Object value) {
        if (value == null) {
            return "none"; // an optional field left out, such as pruning.strategy without a strategy of your own
        }
        if (value instanceof PruningMethod m) {
            return m.describe();
        } else if (value instanceof PruningScope s) {
            return s.describe();
        } else if (value instanceof RewindPoint r) {
            return r.describe();
        } else if (value instanceof PruningStrategy s) {
            return s.describe();
        } else if (value instanceof PruningSchedule s) {
            return s.describe();
        }
        return String.valueOf(value);
    }

    /** Parses a field's text with {@code parser}; errors are prefixed with the field. */
    static <T> T parseField(String field, String input, Function<String, T> parser) {
        require(input != null, field + " must be set");
        try {
            return parser.apply(input);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #parseField}, but text that does not parse as written is tried again in lower case
     * without whitespace (the canonical spelling of parsers that only read that, such as
     * {@code PruningMethod.parse}); the error is the one for the text as written.
     */
    static <T> T parseLenient(String field, String input, Function<String, T> parser) {
        try {
            return parseField(field, input, parser);
        } catch (IllegalArgumentException asWritten) {
            if (input == null) {
                throw asWritten;
            }
            try {
                return parser.apply(input.toLowerCase(Locale.ROOT).replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw asWritten;
            }
        }
    }

    /** Adds {@code prefix.field=value} for every field of {@code section} whose text differs from {@code defaults}'. */
    static void addNonDefault(String prefix, Record section, Record defaults, Map<String, String> out) {
        for (RecordComponent c : section.getClass().getRecordComponents()) {
            String value = text(get(c, section));
            if (!value.equals(text(get(c, defaults)))) {
                out.put(prefix + "." + c.getName(), value);
            }
        }
    }

    /** Adds {@code prefix.field=value} for every field. */
    static void addAll(String prefix, Record section, Map<String, String> out) {
        for (RecordComponent c : section.getClass().getRecordComponents()) {
            out.put(prefix + "." + c.getName(), text(get(c, section)));
        }
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    /** Writes a parsed value (method, scope, rewind point) as its canonical text. */
    static final class CanonicalText extends JsonSerializer<Object> {
        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(text(value));
        }
    }

    static final class MethodFromText extends JsonDeserializer<PruningMethod> {
        @Override
        public PruningMethod deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return PruningHparams.parseMethod(p.getValueAsString());
        }
    }

    static final class ScopeFromText extends JsonDeserializer<PruningScope> {
        @Override
        public PruningScope deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return PruningHparams.parseScope(p.getValueAsString());
        }
    }

    static final class ScheduleFromText extends JsonDeserializer<PruningSchedule> {
        @Override
        public PruningSchedule deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return PruningHparams.parseSchedule(p.getValueAsString());
        }
    }

    static final class RewindFromText extends JsonDeserializer<RewindPoint> {
        @Override
        public RewindPoint deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return PruningHparams.parseRewind(p.getValueAsString());
        }
    }
}

package org.lottery4j.hparams;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Objects;

/** Validation and canonical-form helpers shared by the hyperparameter records. */
final class Hparams {

    private Hparams() {}

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static boolean oneOf(String value, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code prefix.field=value} for every field of {@code section} that differs from {@code defaults}. */
    static void addNonDefault(String prefix, Record section, Record defaults, Map<String, String> out) {
        for (RecordComponent c : section.getClass().getRecordComponents()) {
            Object value = get(c, section);
            if (!Objects.equals(value, get(c, defaults))) {
                out.put(prefix + "." + c.getName(), String.valueOf(value));
            }
        }
    }

    /** Adds {@code prefix.field=value} for every field. */
    static void addAll(String prefix, Record section, Map<String, String> out) {
        for (RecordComponent c : section.getClass().getRecordComponents()) {
            out.put(prefix + "." + c.getName(), String.valueOf(get(c, section)));
        }
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}

package org.lottery4j.hparams;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

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

    /** The {@code key=value} lines of sorted canonical fields, joined by newlines. */
    static String canonical(Map<String, String> sortedFields) {
        return sortedFields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** The first 10 hex digits of the SHA-256 of a canonical form: the hash that names output folders. */
    static String hash(String canonical) {
        return HexFormat.of().formatHex(sha256().digest(canonical.getBytes(StandardCharsets.UTF_8))).substring(0, 10);
    }

    /** {@code title}, then every field, one {@code section.field = value} per line. */
    static String describe(String title, Map<String, String> fields) {
        StringBuilder sb = new StringBuilder(title);
        fields.forEach((k, v) -> sb.append(String.format("%n  %-30s %s", k, v)));
        return sb.toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
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

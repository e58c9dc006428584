package org.lottery4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lottery4j.experiment.Experiment;

/**
 * lottery-core's public API, as a user of the jar sees it, against its checked-in listing
 * {@code lottery-core/api/public-api.txt}: every public type outside the internal package, with
 * its public and protected constructors, methods and fields, one per line. A change to the API is
 * a change to that file, seen in review; the failure says how to write the new listing. No public
 * signature may mention an internal type.
 */
class PublicApiTest {

    static final Path LISTING = Path.of("api/public-api.txt");
    static final String UPDATE = "lottery4j.api.update";

    @Test
    void thePublicApiIsTheCheckedInListing() throws IOException {
        List<String> actual = listing();
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(LISTING, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
        }
        List<String> expected = Files.readAllLines(LISTING, StandardCharsets.UTF_8);
        List<String> added = actual.stream().filter(l -> !expected.contains(l)).toList();
        List<String> removed = expected.stream().filter(l -> !actual.contains(l)).toList();
        assertThat(added.isEmpty() && removed.isEmpty())
                .as("lottery-core's public API differs from %s:%n  added:%n    %s%n  removed:%n    %s%n"
                        + "If the change is intended, write the new listing with%n  mvn -pl lottery-core test "
                        + "-Dtest=PublicApiTest -D%s=true%nand commit it.", LISTING, String.join("\n    ", added),
                        String.join("\n    ", removed), UPDATE)
                .isTrue();
    }

    @Test
    void noPublicSignatureMentionsAnInternalType() throws IOException {
        assertThat(listing()).filteredOn(l -> l.contains("org.lottery4j.internal.")).isEmpty();
    }

    /** The listing: for each public type, sorted, its line, then its members' lines indented, sorted. */
    static List<String> listing() throws IOException {
        List<String> out = new ArrayList<>();
        for (Class<?> c : publicTypes()) {
            out.add(typeLine(c));
            List<String> members = new ArrayList<>();
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers()) && !c.isEnum()) {
                    members.add("  " + signature(k));
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    members.add("  " + signature(m));
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    members.add("  " + (f.isEnumConstant() ? "constant " + f.getName()
                            : Modifier.toString(f.getModifiers()) + " " + f.getGenericType().getTypeName() + " " + f.getName()));
                }
            }
            members.sort(null);
            out.addAll(members);
        }
        return out;
    }

    /** How many public types the listing has. */
    static long typeCount() throws IOException {
        return publicTypes().size();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String typeLine(Class<?> c) {
        String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
                : c.isRecord() ? "record" : "class";
        String mods = Modifier.toString(c.getModifiers() & (Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC))
                .replace("abstract ", c.isInterface() ? "" : "abstract ").replace("static ", "").strip();
        if (c.isInterface() || c.isEnum() || c.isRecord()) {
            mods = "";
        }
        StringBuilder s = new StringBuilder((mods.isEmpty() ? "" : mods + " ") + kind + " " + c.getName());
        if (c.getSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum() && !c.isRecord()) {
            s.append(" extends ").append(c.getGenericSuperclass().getTypeName());
        }
        if (c.getGenericInterfaces().length > 0) {
            s.append(c.isInterface() ? " extends " : " implements ").append(String.join(", ",
                    Arrays.stream(c.getGenericInterfaces()).map(java.lang.reflect.Type::getTypeName).toList()));
        }
        return s.toString();
    }

    private static String signature(Executable e) {
        // toGenericString: modifiers, type parameters, return type, name, parameters, throws
        return e.toGenericString().replace(e.getDeclaringClass().getName() + ".", "").replace("$", ".");
    }

    /** Every public type of lottery-core, nested ones included, outside org.lottery4j.internal, by name. */
    private static List<Class<?>> publicTypes() throws IOException {
        Path classes;
        try {
            classes = Path.of(Experiment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (!name.startsWith("org.lottery4j.") || name.startsWith("org.lottery4j.internal.")
                        || name.endsWith("package-info") || name.matches(".*\\$\\d.*")) {
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IOException(e);
                }
                if (isVisible(c)) {
                    out.add(c);
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Class::getName));
        return out;
    }

    // public, and every enclosing type public too
    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }
}

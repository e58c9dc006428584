package org.lottery4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What produced a result: library, DL4J, JVM, OS and ND4J backend versions. Saved with every
 * ticket so a file always says how it was made.
 *
 * <pre>{@code
 * Map<String, String> p = Provenance.current();   // {lottery4j=0.1.0, dl4j=1.0.0-M2.1, java=17.0.15, ...}
 * }</pre>
 */
public final class Provenance {

    private Provenance() {}

    /** The versions of this process, in a fixed order. */
    public static Map<String, String> current() {
        Properties versions = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/org/lottery4j/lottery4j.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            // versions stay "unknown"; provenance must never stop a run
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("lottery4j", versions.getProperty("lottery4j.version", "unknown"));
        out.put("dl4j", versions.getProperty("dl4j.version", "unknown"));
        out.put("java", System.getProperty("java.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        return out;
    }
}

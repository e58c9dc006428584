package org.lottery4j.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --out} option of the commands that are not lottery experiments ({@code grokking},
 * {@code grokking-tickets}, {@code double-descent}); the experiments take it with {@link RunOptions}.
 *
 * <pre>{@code
 * @Mixin OutFolder out;
 * Path folder = out.create().resolve(hp.folderName());
 * }</pre>
 */
public final class OutFolder {

    @Option(names = "--out", defaultValue = "out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    /**
     * The folder given, created if missing: first thing in a command (before its banner), so that
     * a folder that cannot be made is the first and only thing it reports.
     *
     * @throws java.io.IOException naming the folder if it cannot be created
     */
    Path create() throws java.io.IOException {
        java.nio.file.Files.createDirectories(out);
        return out;
    }
}

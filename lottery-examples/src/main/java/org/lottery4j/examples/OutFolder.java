package org.lottery4j.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --out} option of the commands that are not lottery experiments ({@code grokking},
 * {@code grokking-tickets}, {@code double-descent}); the experiments take it with {@link RunOptions}.
 *
 * <pre>{@code
 * @Mixin OutFolder out;
 * Path folder = out.path().resolve(hp.folderName());
 * }</pre>
 */
public final class OutFolder {

    @Option(names = "--out", defaultValue = "out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    /** The folder given. */
    Path path() {
        return out;
    }
}

package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lottery4j.examples.mnist.Mnist;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where the MNIST examples read their digits: the options {@code --mnist-dir} and
 * {@code --download}, one at most; neither means the 10,000 digits bundled in the jar.
 *
 * <pre>{@code
 * @ArgGroup(exclusive = true) MnistSource source;
 * public Integer call() throws Exception { Mnist mnist = MnistSource.load(source, spec); ... }
 * }</pre>
 */
public final class MnistSource {

    @Option(names = "--mnist-dir", description = "Read the four standard MNIST IDX files (gzip or raw) from this folder.")
    Path mnistDir;

    @Option(names = "--download", description = "Use DL4J's MNIST downloader (needs the internet).")
    boolean download;

    /**
     * The digits {@code source} names; picocli leaves the group {@code null} when neither option is
     * given. A {@code --mnist-dir} that is not a folder is a value error of {@code command}.
     */
    static Mnist load(MnistSource source, CommandSpec command) throws IOException {
        if (source == null) {
            return Mnist.bundled();
        }
        if (source.mnistDir != null && !Files.isDirectory(source.mnistDir)) {
            throw new ParameterException(command.commandLine(), "--mnist-dir " + source.mnistDir + " is not a folder");
        }
        return source.download ? Mnist.download() : Mnist.fromDirectory(source.mnistDir);
    }
}

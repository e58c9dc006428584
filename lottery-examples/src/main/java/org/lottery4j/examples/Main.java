package org.lottery4j.examples;

import org.lottery4j.runtime.RuntimeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples' command line: {@code java -jar lottery-examples.jar <example> [options]}.
 *
 * <pre>{@code
 * java -jar lottery-examples/target/lottery-examples.jar mnist-lenet
 * java -jar lottery-examples/target/lottery-examples.jar mnist-lenet --help
 * java -jar lottery-examples/target/lottery-examples.jar mnist-2to4 --model lenet
 * }</pre>
 */
@Command(
        name = "lottery-examples",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Lottery-ticket pruning examples for Deeplearning4j.",
        subcommands = {MnistLenetCommand.class, MnistSparseCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        RuntimeSettings.disableMemoryCheck(); // before ND4J loads (RuntimeSettings says why)
        // the charts draw off-screen: never try a DISPLAY, which may be set but unreachable (ssh)
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::reportFailure)
                .execute(args);
    }

    // Bad values found while running (a fraction out of range, an unreadable file) get one clear
    // line, not a stack trace; anything else is a bug and keeps its trace.
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        }
        cmd.getErr().println("error: " + e);
        e.printStackTrace(cmd.getErr());
        return 1;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an example to run, such as 'mnist-lenet'");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lottery4j " + org.lottery4j.io.Provenance.current().get("lottery4j")};
        }
    }
}

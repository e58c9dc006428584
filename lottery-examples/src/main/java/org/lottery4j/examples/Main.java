package org.lottery4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.lottery4j.runtime.RuntimeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine;

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
        subcommands = {MnistLenetCommand.class, MnistSparseCommand.class, Cifar10Command.class, StudyCommand.class,
                GrokkingCommand.class, GrokkingTicketsCommand.class, DoubleDescentCommand.class,
                PredictCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        RuntimeSettings.disableMemoryCheck(); // before ND4J loads (RuntimeSettings says why)
        RuntimeSettings.enableOneDnnHelpers(); // before any layer is created
        // the charts draw off-screen: never try a DISPLAY, which may be set but unreachable (ssh)
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (for tests): 0 done, 2 a bad option value or
     * combination, 1 a failure while running (an unreadable file, an I/O error), each reported in
     * one line on standard error.
     */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main())
                .setParameterExceptionHandler(Main::reportUsageError)
                .setExecutionExceptionHandler(Main::reportFailure);
        versionEverywhere(cmd, new Version());
        return cmd.execute(args);
    }

    // picocli gives a subcommand's -V its own (empty) version: every command prints the jar's
    private static void versionEverywhere(CommandLine cmd, CommandLine.IVersionProvider version) {
        cmd.getCommandSpec().versionProvider(version);
        cmd.getSubcommands().values().forEach(sub -> versionEverywhere(sub, version));
    }

    // A value error: one line naming the problem and where the options are listed, not the whole
    // usage text, which buries the problem (48 lines for mnist-lenet).
    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = IoErrors.oneLine(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        cmd.getErr().println("error: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    // Bad input found while running (a fraction out of range, an unreadable file) gets one clear
    // line, not a stack trace; anything else is a bug and keeps its trace.
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        IOException io = e instanceof IOException x ? x
                : e instanceof UncheckedIOException x ? x.getCause() : null;
        if (io != null) {
            cmd.getErr().println("error: " + IoErrors.describe(io));
            return 1;
        }
        if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("error: " + IoErrors.oneLine(String.valueOf(e.getMessage())));
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

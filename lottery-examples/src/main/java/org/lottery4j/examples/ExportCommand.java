package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.lottery4j.export.ExportFiles;
import org.lottery4j.export.FloatType;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.sparsity.NmPattern;
import org.lottery4j.sparsity.NmPatternException;
import org.lottery4j.ticket.LotteryTicket;
import org.lottery4j.ticket.TicketFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export}: writes saved tickets as files other tools read: {@code model.onnx} (ONNX Runtime,
 * any ONNX engine) and {@code weights.safetensors} (PyTorch names and layouts), and with
 * {@code --pattern 2:4} also {@code weights-2to4.safetensors}, the compressed form sparse tensor
 * cores take. Each file is written atomically, and the safetensors files are read back checked.
 * By default the files go beside each ticket, so one command exports every round of an experiment
 * or a study:
 *
 * <pre>
 * java -jar lottery-examples.jar export out/lottery_55d01c73fe/round-*&#47;ticket.zip
 * java -jar lottery-examples.jar export conv2-mnist/*&#47;round-*&#47;ticket.zip --dtype f16
 * java -jar lottery-examples.jar export out/2to4_resnet20_x/ticket.zip --pattern 2:4 --out resnet20-2to4
 * </pre>
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export saved tickets to ONNX (model.onnx) and safetensors with PyTorch names "
                + "(weights.safetensors; with --pattern 2:4 also the compressed weights-2to4.safetensors), "
                + "each written atomically, the safetensors files read back checked.",
                "The files go beside each ticket (round-05/ticket.zip -> round-05/model.onnx), or into --out "
                        + "for a single ticket."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TICKET", description = "Saved tickets (ticket.zip of any round).")
    List<Path> tickets;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the files of a single ticket (default: the ticket's folder).")
    Path out;

    @Option(names = "--pattern", paramLabel = "N:M",
            description = "Check that the weights satisfy this N:M pattern and record it; 2:4 also writes "
                    + "the compressed " + ExportFiles.COMPRESSED + " (default: none).")
    String pattern;

    @Option(names = "--dtype", defaultValue = "f32", converter = MnistSparseCommand.FloatTypeConverter.class,
            description = "Float type of the safetensors files: f32, f16 or bf16 (default: ${DEFAULT-VALUE}).")
    FloatType dtype;

    @Override
    public Integer call() throws IOException {
        NmPattern nm = validated();
        for (Path ticket : tickets) {
            Path folder = out != null ? out : ticket.toAbsolutePath().getParent();
            boolean created = !Files.exists(folder);
            try (LotteryTicket t = LotteryTicket.load(ticket)) {
                Files.createDirectories(folder);
                List<String> written = export(t, folder, nm, "lottery4j ticket " + ticket + ", round " + t.round());
                System.out.printf(Locale.ROOT, "%s: %,d of %,d weights kept (%.1f%%) -> %s/{%s}%n", ticket,
                        t.sparsity().overall().remaining(), t.sparsity().overall().total(),
                        100 * t.sparsity().overall().fractionRemaining(), folder, String.join(", ", written));
            } catch (TicketFormatException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            } catch (IllegalArgumentException | NmPatternException e) {
                if (created) { // a refused export leaves nothing behind in a folder it made
                    try (Stream<Path> made = Files.walk(folder)) {
                        for (Path p : made.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
                // one line naming the ticket, as for any other input that cannot be exported
                throw new IllegalArgumentException(ticket + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }

    private NmPattern validated() {
        if (out != null && tickets.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--out takes the files of one ticket, but "
                    + tickets.size() + " are given: leave it out to write each ticket's files beside it");
        }
        for (Path t : tickets) {
            if (!Files.isRegularFile(t)) {
                throw new ParameterException(spec.commandLine(), "ticket " + t + " is not a file");
            }
        }
        if (pattern == null) {
            return null;
        }
        try {
            return NmPattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--pattern: " + e.getMessage());
        }
    }

    /** Writes the files of one ticket and reads the safetensors files back checked; returns their names. */
    private List<String> export(LotteryTicket t, Path folder, NmPattern nm, String source) throws IOException {
        List<String> files = ExportFiles.write(t.network(), folder, nm, dtype, source);
        for (String f : files) {
            if (f.endsWith(".safetensors")) {
                SafetensorsFile.readChecked(folder.resolve(f));
            }
        }
        return files;
    }
}

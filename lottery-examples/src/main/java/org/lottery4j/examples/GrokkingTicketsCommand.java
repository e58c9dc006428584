package org.lottery4j.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lottery4j.examples.grokking.GrokkingHparams;
import org.lottery4j.examples.grokking.GrokkingTickets;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.run.RunIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Grokking tickets: for each seed, the dense network trained until it has generalized, pruned by
 * global magnitude (the output layer left whole, by default), rewound to initialization and trained again, against random masks of the same
 * sparsity; steps to generalize per arm, as a table and a chart in
 * {@code OUT/grokking-tickets_<hash>/index.html}.
 *
 * <pre>{@code
 * java -jar lottery-examples.jar grokking-tickets
 * java -jar lottery-examples.jar grokking-tickets --scope layerwise --keep 0.2 --seeds 1,2,3,4,5
 * java -jar lottery-examples.jar grokking-tickets --scope global        # the finding: the output layer is pruned away
 * }</pre>
 */
@Command(name = "grokking-tickets", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grokking tickets (Minegishi et al. 2023): prune the generalized network by global magnitude, rewind "
                + "to initialization, retrain; compare the steps to 99%% test accuracy of dense, ticket and random masks "
                + "of the same sparsity over several seeds.",
                "Writes seed-<s>/ (curves, ticket.zip), results.json, hparams.json and index.html into "
                        + "OUT/grokking-tickets_<hash>; seeds already there are reused."})
final class GrokkingTicketsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GrokkingOptions options;

    @Option(names = "--keep", defaultValue = "0.4",
            description = "Fraction of the weights the ticket keeps (default: ${DEFAULT-VALUE}).")
    double keep;

    @Option(names = "--scope", defaultValue = GrokkingTickets.DEFAULT_SCOPE,
            description = {"global (one magnitude ranking over all layers, as Minegishi et al.) or layerwise (each layer "
                    + "keeps --keep of its own weights), optionally with exclude=[LAYER,...]: layers the ranking "
                    + "leaves whole, as open_lth's pruning_layers_to_ignore (default: ${DEFAULT-VALUE}).",
                    "Plain global prunes the quadratic model's output layer away in every seed, and nothing groks."})
    String scope;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", paramLabel = "S",
            description = "One dense network, ticket and control per seed (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Mixin
    OutFolder out;

    @Mixin
    CpuThreads threads;

    @Override
    public Integer call() throws Exception {
        GrokkingHparams hp = options.hparams(spec, GrokkingHparams.DEFAULTS.seed()); // each seed replaces it
        if (!(keep > 0 && keep < 1)) {
            throw new ParameterException(spec.commandLine(), "--keep must be in (0, 1), got " + keep);
        }
        GrokkingTickets.Pruning pruning;
        try {
            pruning = new GrokkingTickets.Pruning(keep, PruningScope.parse(scope.strip()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scope: " + e.getMessage());
        }
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new ParameterException(spec.commandLine(), "--seeds must list distinct seeds, got " + seeds);
        }
        threads.apply();
        Path root = out.create();
        RunIdentity id = GrokkingTickets.identity(hp, pruning, seeds);
        System.out.println(id.describe());
        GrokkingTickets.Outcome o = GrokkingTickets.run(hp, pruning, seeds, root, System.out::println);
        System.out.println("steps to 99% test accuracy, mean over seeds: dense " + GrokkingTickets.describe(o, "dense")
                + ", ticket " + GrokkingTickets.describe(o, "ticket") + ", random masks " + GrokkingTickets.describe(o, "random"));
        System.out.println("report: " + root.resolve(id.folderName()).resolve("index.html"));
        return 0;
    }
}

package org.lottery4j.ticket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.internal.Json;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.testing.Fuzz;
import org.lottery4j.testing.JsonEdits;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Thousands of damaged copies of a valid ticket of each format version, seeded ({@link Fuzz}): each
 * fails with a {@link TicketFormatException} naming the file, or loads as a ticket identical to the
 * original (damage in zip metadata that no reader uses, such as a timestamp). Structural edits of
 * the JSON entries, with the zip's CRC and the manifest's SHA-256 recomputed as a forger would,
 * may also load as another valid ticket, but only as what the edited file says: the configuration
 * exactly as DL4J's own reader reads the edited text, the metadata as the edited manifest says.
 * Never another exception, never a silently different network, masks or snapshots.
 */
class TicketFuzzTest {

    private static final String CONFIGURATION = NetworkEntries.CONFIGURATION;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void damagedTicketsOfVersion2FailClearlyOrLoadIdentically() throws Exception {
        MultiLayerConfiguration conf = Nets.base(7).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        LotteryTicket original = LotteryTicket.builder(net).method(PruningMethod.random(3))
                .rewindTo(RewindPoint.init()).hyperparameters(Map.of("lr", "0.01")).build();
        original.prune(0.5);
        Path file = dir.resolve("ticket.zip");
        original.save(file);
        fuzz("ticket v2", Files.readAllBytes(file), original, CONFIGURATION, 20261207);
    }

    @Test
    @Timeout(600)
    void damagedTicketsOfVersion1FailClearlyOrLoadIdentically() throws Exception {
        Path file = Path.of(getClass().getResource("/tickets/v1-graph.zip").toURI());
        try (LotteryTicket original = LotteryTicket.load(file)) {
            fuzz("ticket v1", Files.readAllBytes(file), original, NetworkEntries.V1_NETWORK, 20261208);
        }
    }

    private void fuzz(String format, byte[] bytes, LotteryTicket original, String networkEntry, long seed) throws Exception {
        Fuzz.of(format, bytes, LotteryTicket::load, TicketFormatException.class)
                .suffix(".zip")
                .same(loaded -> {
                    try (loaded) {
                        return sameNetwork(loaded, original) && sameMasksAndSnapshots(loaded, original)
                                && sameMetadata(loaded.metadata(), original.metadata())
                                && loaded.metadata().seeds().equals(original.metadata().seeds());
                    }
                })
                .structural((b, random) -> edit(b, networkEntry, random),
                        (edited, loaded) -> {
                            try (loaded) {
                                return readsAsWritten(edited, loaded, original, networkEntry);
                            }
                        })
                .run(dir, seed, Fuzz.cases(400))
                .print()
                .assertClean();
    }

    /** The configuration (70%) or the manifest edited, the zip's CRCs and the manifest's checksums recomputed. */
    private static byte[] edit(byte[] ticket, String networkEntry, Random random) throws IOException {
        Map<String, byte[]> entries = unzip(ticket);
        if (random.nextInt(10) < 7) {
            entries.put(networkEntry, editConfiguration(entries.get(networkEntry), networkEntry, random));
            resign(entries, networkEntry);
        } else {
            String manifest = new String(entries.get(TicketFile.MANIFEST), StandardCharsets.UTF_8);
            entries.put(TicketFile.MANIFEST, JsonEdits.edit(manifest, random).getBytes(StandardCharsets.UTF_8));
        }
        return TicketFiles.zip(entries);
    }

    private static byte[] editConfiguration(byte[] entry, String networkEntry, Random random) throws IOException {
        if (networkEntry.equals(CONFIGURATION)) {
            return JsonEdits.edit(new String(entry, StandardCharsets.UTF_8), random).getBytes(StandardCharsets.UTF_8);
        }
        Map<String, byte[]> network = unzip(entry); // version 1: the configuration inside network.zip
        network.put(NetworkEntries.V1_CONFIGURATION, JsonEdits.edit(new String(network.get(NetworkEntries.V1_CONFIGURATION),
                StandardCharsets.UTF_8), random).getBytes(StandardCharsets.UTF_8));
        return TicketFiles.zip(network);
    }

    // the edited entry's size and SHA-256 in the manifest (version 2; version 1 has none)
    private static void resign(Map<String, byte[]> entries, String name) throws IOException {
        ObjectNode manifest = (ObjectNode) Json.reader().readTree(entries.get(TicketFile.MANIFEST));
        manifest.path("entries").forEach(sum -> {
            if (sum.path("name").asText().equals(name)) {
                ((ObjectNode) sum).put("size", entries.get(name).length).put("sha256", TicketZip.sha256(entries.get(name)));
            }
        });
        entries.put(TicketFile.MANIFEST, Json.writer().writeValueAsBytes(manifest));
    }

    /**
     * An edited ticket that loaded is what it says: its configuration is the one DL4J's own reader
     * makes of the edited text (the edits never name a class, so handing it to DL4J is safe), its
     * metadata the edited manifest's, and its weights, masks and snapshots the original's.
     */
    private static boolean readsAsWritten(byte[] edited, LotteryTicket loaded, LotteryTicket original, String networkEntry)
            throws Exception {
        if (!sameMasksAndSnapshots(loaded, original)
                || !Arrays.equals(Nets.bits(loaded.network().params()), Nets.bits(original.network().params()))) {
            return false;
        }
        Map<String, byte[]> entries = unzip(edited);
        byte[] network = entries.get(networkEntry);
        String json = new String(networkEntry.equals(CONFIGURATION) ? network
                : unzip(network).get(NetworkEntries.V1_CONFIGURATION), StandardCharsets.UTF_8);
        // DL4J's network on DL4J's reading: initializing a network completes its layers' variable lists
        String dl4j;
        if (loaded.network() instanceof ComputationGraph) {
            ComputationGraph reference = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
            reference.init(loaded.network().params().dup(), false);
            dl4j = reference.getConfiguration().toJson();
        } else {
            MultiLayerNetwork reference = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
            reference.init(loaded.network().params().dup(), false);
            dl4j = reference.getLayerWiseConfigurations().toJson();
        }
        TicketFile.Manifest manifest = Json.reader().forType(TicketFile.Manifest.class).readValue(entries.get(TicketFile.MANIFEST));
        return configuration(loaded.network()).equals(dl4j) && sameMetadata(loaded.metadata(), manifest.metadata());
    }

    // what a ticket reads from its manifest (a loaded ticket reports this JVM's provenance and time,
    // and its network's seed, which loading checks against the manifest's)
    private static boolean sameMetadata(TicketMetadata a, TicketMetadata b) {
        return a.round() == b.round() && Objects.equals(a.method(), b.method()) && Objects.equals(a.scope(), b.scope())
                && Objects.equals(a.rewindPoint(), b.rewindPoint()) && a.hyperparameters().equals(b.hyperparameters());
    }

    private static boolean sameNetwork(LotteryTicket loaded, LotteryTicket original) {
        return configuration(loaded.network()).equals(configuration(original.network()))
                && Arrays.equals(Nets.bits(loaded.network().params()), Nets.bits(original.network().params()));
    }

    private static boolean sameMasksAndSnapshots(LotteryTicket loaded, LotteryTicket original) {
        if (!loaded.masks().equals(original.masks())
                || !loaded.snapshots().asMap().keySet().equals(original.snapshots().asMap().keySet())) {
            return false;
        }
        return original.snapshots().asMap().entrySet().stream().allMatch(e ->
                Arrays.equals(Nets.bits(loaded.snapshots().at(e.getKey()).orElseThrow()), Nets.bits(e.getValue())));
    }

    private static String configuration(Model network) {
        return network instanceof ComputationGraph g ? g.getConfiguration().toJson()
                : ((MultiLayerNetwork) network).getLayerWiseConfigurations().toJson();
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }
}

package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.internal.Json;
import org.lottery4j.testing.Nets;
import testgadgets.Dl4jActivationRecorder;
import testgadgets.Recorded;

/**
 * Loading a ticket never deserializes a Java object, nor lets DL4J's Jackson resolve a class outside
 * DL4J, ND4J and lottery4j, in any form Jackson reads a type id. The gadget classes of
 * {@code testgadgets} record in system properties whether their static initializer or a constructor
 * ran; each forged ticket has its checksums recomputed, so the refusal comes from reading the
 * configuration, not from a checksum.
 */
class TicketDeserializationTest {

    private static final String ALLOWED = "; a ticket may only name classes under org.deeplearning4j., org.nd4j., "
            + "org.lottery4j. except org.nd4j.shade. (refused before anything loaded it)";
    private static final String RELU = "org.nd4j.linalg.activations.impl.ActivationReLU";
    private static final String GADGET = "testgadgets.ActivationRecorder";
    private static final String NOT_AN_ACTIVATION = "testgadgets.InitRecorder";

    @TempDir
    Path dir;

    private static LotteryTicket ticket() {
        LotteryTicket ticket = LotteryTicket.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 3)).build();
        ticket.prune(0.5);
        return ticket;
    }

    @AfterAll
    static void noGadgetWasEverInitializedOrConstructed() {
        for (String gadget : new String[] {GADGET, NOT_AN_ACTIVATION}) {
            assertThat(Recorded.initialized(gadget)).as(gadget + " initialized").isFalse();
            assertThat(Recorded.constructed(gadget)).as(gadget + " constructed").isFalse();
        }
    }

    /**
     * Each way of naming a class that the first layer's activation could take, and the class the
     * refusal names: a wrapper array of any length and value type, a property, escaped keys, a
     * generic type id (Jackson loads its parameters too), an array type, a duplicate {@code @class}
     * whose first value is foreign (refused before the parser reaches the second).
     */
    static Stream<Arguments> typeIds() {
        return Stream.of(
                Arguments.of("[\"" + GADGET + "\", \"x\"]", GADGET),
                Arguments.of("[\"" + GADGET + "\"]", GADGET),
                Arguments.of("[\"" + GADGET + "\", {}, 0]", GADGET),
                Arguments.of("[\"" + GADGET + "\", {}]", GADGET),
                Arguments.of("[\"" + GADGET + "\", 1.5]", GADGET),
                Arguments.of("[\"" + GADGET + "\", null]", GADGET),
                Arguments.of("[\"" + NOT_AN_ACTIVATION + "\", \"x\"]", NOT_AN_ACTIVATION),
                Arguments.of("{\"@class\": \"" + GADGET + "\"}", GADGET),
                Arguments.of("{\"\\u0040class\": \"" + GADGET + "\"}", GADGET),
                Arguments.of("{\"@cl\\u0061ss\": \"" + GADGET + "\"}", GADGET),
                Arguments.of("{\"@class\": \"testgadgets.\\u0041ctivationRecorder\"}", GADGET),
                Arguments.of("{\"@class\": \"" + RELU + "<" + NOT_AN_ACTIVATION + ">\"}", NOT_AN_ACTIVATION),
                Arguments.of("{\"@class\": \"" + RELU + "<java.util.List<" + NOT_AN_ACTIVATION + ">>\"}", "java.util.List"),
                Arguments.of("{\"@class\": \"java.net.URL\"}", "java.net.URL"),
                Arguments.of("[\"java.net.URL\", \"http://localhost/\"]", "java.net.URL"),
                Arguments.of("{\"@class\": \"org.nd4j.shade.jackson.databind.ObjectMapper\"}",
                        "org.nd4j.shade.jackson.databind.ObjectMapper"),
                Arguments.of("{\"@class\": \"" + GADGET + "[]\"}", GADGET + "[]"),
                Arguments.of("{\"@class\": \"" + GADGET + "\", \"@class\": \"" + RELU + "\"}", GADGET));
    }

    @ParameterizedTest
    @MethodSource("typeIds")
    void aClassOutsideTheAllowedPackagesIsRefusedInEveryFormOfTypeId(String activation, String named) throws IOException {
        Path forged = forge(activation);
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(forged + ": entry network/configuration.json names the class '" + named
                        + "' at $.confs[0].layer.activationFn")
                .hasMessageEndingWith(ALLOWED);
    }

    /** A duplicate key after an allowed type id: the parser refuses the second before anything uses it. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"@class\": \"" + RELU + "\", \"@class\": \"" + GADGET + "\"}",
            "{\"@class\": \"" + RELU + "\", \"\\u0040class\": \"" + GADGET + "\"}",
            "{\"@class\": \"" + RELU + "\", \"max\": 1, \"max\": 2}",
    })
    void duplicateKeysAreRefused(String activation) throws IOException {
        Path forged = forge(activation);
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(forged + ": entry network/configuration.json is not a readable "
                        + "MultiLayerConfiguration at $.confs[0].layer.activationFn (line ")
                .hasMessageMatching(".*: Duplicate field '(@class|max)'");
    }

    /** DL4J's Jackson has no nesting limit and reads a legacy activation's subtree recursively. */
    @Test
    void aDeeplyNestedConfigurationIsRefusedBeforeDl4jsJacksonRecursesIntoIt() throws IOException {
        Path forged = forge("{\"Legacy\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}");
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(forged + ": entry network/configuration.json nests 200005 levels deep, more than the 1000 a "
                        + "configuration may");
        assertThat(ConfigurationReader.nesting("{\"a\": \"[[[\\\"{\", \"b\": [[{}]]}")).isEqualTo(4);
    }

    @Test
    void aWrapperObjectIsNotATypeId() throws IOException {
        Path forged = forge("{\"" + GADGET + "\": {}}");
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(forged + ": entry network/configuration.json is not a readable "
                        + "MultiLayerConfiguration at $.confs[0].layer.activationFn");
    }

    @Test
    void theOtherPlacesThatTakeATypeIdAreCheckedTheSameWay() throws IOException {
        Path file = dir.resolve("t.zip");
        ticket().save(file);
        Path layer = forge(file, l -> l.put("@class", NOT_AN_ACTIVATION), null);
        assertThatThrownBy(() -> LotteryTicket.load(layer))
                .hasMessageStartingWith(layer + ": entry network/configuration.json names the class '"
                        + NOT_AN_ACTIVATION + "' at $.confs[0].layer").hasMessageEndingWith(ALLOWED);
        // a distribution's type id is its "type" property
        Path distribution = forge(file, l -> l.putObject("weightInitFn")
                .put("@class", "org.deeplearning4j.nn.weights.WeightInitDistribution")
                .putObject("distribution").put("type", NOT_AN_ACTIVATION), null);
        assertThatThrownBy(() -> LotteryTicket.load(distribution))
                .hasMessageStartingWith(distribution + ": entry network/configuration.json names the class '"
                        + NOT_AN_ACTIVATION + "' at $.confs[0].layer.weightInitFn.distribution").hasMessageEndingWith(ALLOWED);
        Path updater = forge(file, l -> l.putObject("iupdater").put("@class", "java.lang.ProcessBuilder"), null);
        assertThatThrownBy(() -> LotteryTicket.load(updater))
                .hasMessageStartingWith(updater + ": entry network/configuration.json names the class "
                        + "'java.lang.ProcessBuilder' at $.confs[0].layer.iupdater").hasMessageEndingWith(ALLOWED);
    }

    @Test
    void aComputationGraphIsReadTheSameWay() throws IOException {
        LotteryTicket graph = LotteryTicket.builder(Nets.mlp(Nets.Kind.GRAPH, 3)).build();
        Path file = dir.resolve("graph.zip");
        graph.save(file);
        Path forged = forgeText(file, json -> json.replaceFirst("\"@class\" : \"" + RELU + "\"",
                "\"@class\" : \"" + RELU + "\", \"@class\" : \"" + GADGET + "\""));
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(forged + ": entry network/configuration.json is not a readable "
                        + "ComputationGraphConfiguration at $.vertices.")
                .hasMessageContaining("Duplicate field '@class'");
        Path wrapped = forgeText(file, json -> json.replaceFirst("\\{\\s*\"@class\" : \"" + RELU + "\"[^}]*}",
                "[\"" + GADGET + "\", \"x\"]"));
        assertThatThrownBy(() -> LotteryTicket.load(wrapped))
                .hasMessageStartingWith(wrapped + ": entry network/configuration.json names the class '" + GADGET + "'")
                .hasMessageEndingWith(ALLOWED);
    }

    @Test
    void trailingTokensAfterTheConfigurationAreRefused() throws IOException {
        Path file = dir.resolve("t.zip");
        ticket().save(file);
        Path forged = forgeText(file, json -> json + " {\"confs\": []}");
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(forged + ": entry network/configuration.json is not a readable MultiLayerConfiguration")
                .hasMessageContaining("Trailing token");
    }

    @Test
    void aLayerInALegacyFormIsRefusedRatherThanCompletedByDl4jsGlobalReader() throws IOException {
        Path file = dir.resolve("t.zip");
        ticket().save(file);
        // DL4J would read "dist" with its global, unrestricted mapper to complete the weight init
        Path forged = forge(file, l -> {
            l.remove("weightInitFn");
            l.put("weightInit", "DISTRIBUTION");
            l.putObject("dist").put("type", NOT_AN_ACTIVATION);
        }, null);
        assertThatThrownBy(() -> LotteryTicket.load(forged))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(forged + ": entry network/configuration.json: layer 'dense0' (DenseLayer) has no weight "
                        + "initialization (weightInitFn); tickets hold configurations in DL4J's current format "
                        + "(not one from before 1.0.0-beta)");
        Path noActivation = forge(file, l -> l.remove("activationFn"), null);
        assertThatThrownBy(() -> LotteryTicket.load(noActivation))
                .hasMessageEndingWith("layer 'dense0' (DenseLayer) has no activation function (activationFn); tickets "
                        + "hold configurations in DL4J's current format (not one from before 1.0.0-beta)");
    }

    /** Without the restricted reader, DL4J's own {@code fromJson} constructs the gadget, and loads with it. */
    @Test
    void dl4jsOwnReaderResolvesWhatTheTicketReaderRefuses() throws IOException {
        Path file = dir.resolve("t.zip");
        ticket().save(file);
        String gadget = Dl4jActivationRecorder.class.getName();
        for (String activation : new String[] {
                "{\"@class\": \"" + gadget + "\", \"@class\": \"" + RELU + "\"}",
                "[\"" + gadget + "\", \"x\"]"}) {
            String json = new String(TicketFiles.read(forge(file, null, activation), "network/configuration.json"),
                    StandardCharsets.UTF_8);
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
            assertThat(((BaseLayer) conf.getConf(0).getLayer()).getActivationFn()).isInstanceOf(Dl4jActivationRecorder.class);
        }
        assertThat(Recorded.initialized(gadget)).isTrue();
        assertThat(Recorded.constructed(gadget)).isTrue();
    }

    @Test
    void aValidTicketStillLoadsWithTheSameConfiguration() throws IOException {
        LotteryTicket original = ticket();
        Path file = dir.resolve("t.zip");
        original.save(file);
        try (LotteryTicket loaded = LotteryTicket.load(file)) {
            assertThat(((MultiLayerNetwork) loaded.network()).getLayerWiseConfigurations().toJson())
                    .isEqualTo(((MultiLayerNetwork) original.network()).getLayerWiseConfigurations().toJson());
        }
    }

    @Test
    void aVersion1NetworkWithASerializedPreprocessorIsRefusedBeforeAnythingIsDeserialized() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(payload)) {
            out.writeObject(new ReadObjectRecorder());
        }
        Path file = dir.resolve("preprocessor.zip");
        TicketFiles.writeVersion1(ticket(), file, Map.of("preprocessor.bin", payload.toByteArray()));
        ReadObjectRecorder.RUNS.set(0);

        assertThatThrownBy(() -> LotteryTicket.load(file))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(file + ": entry network.zip holds an entry preprocessor.bin; only configuration.json and "
                        + "coefficients.bin are read, anything else is refused (DL4J would deserialize Java objects from it)");
        assertThat(ReadObjectRecorder.RUNS.get()).isZero();

        // the payload is live: DL4J's own reader, which lottery4j 0.1 used, runs its readObject
        byte[] network = TicketFiles.read(file, "network.zip");
        catchThrowable(() -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false));
        assertThat(ReadObjectRecorder.RUNS.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"normalizer.bin", "updaterState.bin", "noParams.marker", "../configuration.json"})
    void anyOtherEntryInAVersion1NetworkIsRefusedByName(String entry) throws IOException {
        Path file = dir.resolve("extra.zip");
        TicketFiles.writeVersion1(ticket(), file, Map.of(entry, new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> LotteryTicket.load(file))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(file + ": entry network.zip holds an entry " + entry + "; only configuration.json");
    }

    @Test
    void anEntryThatIsNotPartOfATicketIsRefused() throws IOException {
        Path file = dir.resolve("t.zip");
        ticket().save(file);
        Map<String, byte[]> entries = TicketFiles.entries(file);
        entries.put("preprocessor.bin", new byte[] {1});
        Path bad = dir.resolve("extra.zip");
        TicketFiles.writeZip(bad, entries);
        assertThatThrownBy(() -> LotteryTicket.load(bad))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(bad + ": entry preprocessor.bin is not part of a ticket");
    }

    @Test
    void aVersion1ConfigurationIsReadTheSameWay() throws IOException {
        LotteryTicket ticket = ticket();
        ObjectNode conf = (ObjectNode) Json.reader().readTree(
                ((MultiLayerNetwork) ticket.network()).getLayerWiseConfigurations().toJson());
        ((ObjectNode) conf.path("confs").get(1).path("layer")).put("@class", "java.lang.ProcessBuilder");
        Path file = dir.resolve("v1.zip");
        TicketFiles.writeVersion1(ticket, file, Map.of("configuration.json", Json.writer().writeValueAsBytes(conf)));
        assertThatThrownBy(() -> LotteryTicket.load(file))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(file + ": entry network.zip/configuration.json names the class "
                        + "'java.lang.ProcessBuilder' at $.confs[1].layer")
                .hasMessageEndingWith(ALLOWED);
    }

    /** A copy of a fresh ticket whose first layer's activation is {@code activation}, raw JSON text. */
    private Path forge(String activation) throws IOException {
        Path file = dir.resolve("t-" + System.nanoTime() + ".zip");
        ticket().save(file);
        return forge(file, null, activation);
    }

    /**
     * A copy of the ticket whose first layer's configuration is edited, then (if {@code activation}
     * is given) its activation replaced by that raw JSON text; checksums updated to match.
     */
    private Path forge(Path file, Consumer<ObjectNode> editFirstLayer, String activation) throws IOException {
        return forgeText(file, json -> {
            try {
                ObjectNode conf = (ObjectNode) Json.reader().readTree(json);
                ObjectNode layer = (ObjectNode) ((ArrayNode) conf.get("confs")).get(0).get("layer");
                if (editFirstLayer != null) {
                    editFirstLayer.accept(layer);
                }
                if (activation == null) {
                    return Json.writer().writeValueAsString(conf);
                }
                layer.set("activationFn", TextNode.valueOf("ACTIVATION"));
                return Json.writer().writeValueAsString(conf).replace("\"ACTIVATION\"", activation);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A copy of the ticket whose configuration text is edited, checksums updated to match. */
    private Path forgeText(Path file, java.util.function.UnaryOperator<String> edit) throws IOException {
        Path out = dir.resolve("forged-" + System.nanoTime() + ".zip");
        return TicketFiles.rewrite(file, out, "network/configuration.json",
                bytes -> edit.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), true);
    }
}

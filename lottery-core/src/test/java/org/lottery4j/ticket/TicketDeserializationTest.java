package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lottery4j.io.Json;
import org.lottery4j.testing.Nets;
import testgadgets.LoadRecorder;

/** Loading a ticket never deserializes a Java object, nor lets DL4J's Jackson load a foreign class. */
class TicketDeserializationTest {

    private static final String ALLOWED = "; a ticket may only name classes under org.deeplearning4j., org.nd4j., "
            + "org.lottery4j. except org.nd4j.shade. (refused before anything is loaded)";

    @TempDir
    Path dir;

    private static LotteryTicket ticket() {
        LotteryTicket ticket = LotteryTicket.builder(Nets.mlp(Nets.Kind.MULTI_LAYER, 3)).build();
        ticket.prune(0.5);
        return ticket;
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
    void aConfigurationThatNamesAForeignClassIsRefusedBeforeDl4jLoadsIt() throws IOException {
        Path file = dir.resolve("t.zip");
        ticket().save(file);
        System.clearProperty(LoadRecorder.PROPERTY);

        Path url = forge(file, layer -> layer.put("@class", "java.net.URL"));
        assertThatThrownBy(() -> LotteryTicket.load(url))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(url + ": entry network/configuration.json names the class 'java.net.URL' at "
                        + "$.confs[0].layer.@class" + ALLOWED);

        Path gadget = forge(file, layer -> layer.putObject("activationFn").put("@class", "testgadgets.LoadRecorder"));
        assertThatThrownBy(() -> LotteryTicket.load(gadget))
                .hasMessage(gadget + ": entry network/configuration.json names the class 'testgadgets.LoadRecorder' at "
                        + "$.confs[0].layer.activationFn.@class" + ALLOWED);

        // Jackson also loads the type parameters of a generic type id, and takes [typeId, value] arrays
        Path generic = forge(file, layer -> layer.putObject("activationFn")
                .put("@class", "org.nd4j.linalg.activations.impl.ActivationReLU<testgadgets.LoadRecorder>"));
        assertThatThrownBy(() -> LotteryTicket.load(generic))
                .hasMessageContaining("names the class 'org.nd4j.linalg.activations.impl.ActivationReLU<testgadgets.LoadRecorder>'");
        Path wrapped = forge(file, layer -> layer.putArray("activationFn").add("testgadgets.LoadRecorder").addObject());
        assertThatThrownBy(() -> LotteryTicket.load(wrapped))
                .hasMessageContaining("names the class 'testgadgets.LoadRecorder' at $.confs[0].layer.activationFn[0];");
        Path distribution = forge(file, layer -> layer.putObject("weightInitFn")
                .put("@class", "org.deeplearning4j.nn.weights.WeightInitDistribution")
                .putObject("distribution").put("type", "testgadgets.LoadRecorder"));
        assertThatThrownBy(() -> LotteryTicket.load(distribution))
                .hasMessageContaining("names the class 'testgadgets.LoadRecorder' at $.confs[0].layer.weightInitFn.distribution.type;");
        // ND4J's shaded third-party classes are not configuration classes either
        Path shaded = forge(file, layer -> layer.putObject("activationFn")
                .put("@class", "org.nd4j.shade.jackson.databind.ObjectMapper"));
        assertThatThrownBy(() -> LotteryTicket.load(shaded))
                .hasMessageContaining("names the class 'org.nd4j.shade.jackson.databind.ObjectMapper' at "
                        + "$.confs[0].layer.activationFn.@class;");
        assertThat(System.getProperty(LoadRecorder.PROPERTY)).isNull();

        // the check is needed: DL4J's Jackson loads (and initializes) the class it is given
        String json = new String(TicketFiles.read(gadget, "network/configuration.json"), StandardCharsets.UTF_8);
        catchThrowable(() -> MultiLayerConfiguration.fromJson(json));
        assertThat(System.getProperty(LoadRecorder.PROPERTY)).isEqualTo("true");
    }

    @Test
    void aVersion1ConfigurationIsCheckedTheSameWay() throws IOException {
        LotteryTicket ticket = ticket();
        ObjectNode conf = (ObjectNode) Json.MAPPER.readTree(
                ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) ticket.network()).getLayerWiseConfigurations().toJson());
        ((ObjectNode) conf.path("confs").get(1).path("layer")).put("@class", "java.lang.ProcessBuilder");
        Path file = dir.resolve("v1.zip");
        TicketFiles.writeVersion1(ticket, file, Map.of("configuration.json", Json.MAPPER.writeValueAsBytes(conf)));
        assertThatThrownBy(() -> LotteryTicket.load(file))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(file + ": entry network.zip/configuration.json names the class 'java.lang.ProcessBuilder' at "
                        + "$.confs[1].layer.@class" + ALLOWED);
    }

    /** A copy of the ticket whose first layer's configuration is edited, checksums updated to match. */
    private Path forge(Path file, Consumer<ObjectNode> editFirstLayer) throws IOException {
        Path out = dir.resolve("forged-" + System.nanoTime() + ".zip");
        return TicketFiles.rewrite(file, out, "network/configuration.json", bytes -> {
            try {
                ObjectNode conf = (ObjectNode) Json.MAPPER.readTree(bytes);
                editFirstLayer.accept((ObjectNode) ((ArrayNode) conf.get("confs")).get(0).get("layer"));
                return Json.MAPPER.writeValueAsBytes(conf);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, true);
    }
}

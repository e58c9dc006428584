package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Thousands of damaged copies of a valid ticket, seeded: each either fails with a
 * {@link TicketFormatException} naming the file, or loads as a ticket identical to the original
 * (damage in zip metadata that no reader uses, such as a timestamp or a local header's copy of a
 * name). Never another exception, never a silently different network, masks or snapshots.
 */
class TicketFuzzTest {

    private static final int COPIES_PER_KIND = 600;

    enum Damage {
        TRUNCATE, FLIP_ONE_BIT, FLIP_SEVERAL_BITS, OVERWRITE_RUN
    }

    @TempDir
    Path dir;

    @Test
    void damagedTicketsFailClearlyOrLoadIdentically() throws IOException {
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
        byte[] bytes = Files.readAllBytes(file);

        Random random = new Random(20261201);
        Map<Damage, int[]> outcomes = new EnumMap<>(Damage.class); // {identical, failed}
        for (Damage kind : Damage.values()) {
            int[] counts = new int[2];
            outcomes.put(kind, counts);
            for (int i = 0; i < COPIES_PER_KIND; i++) {
                // a new name each time: nothing (such as ZipFile's cache of open archives) can see an older copy
                Path copy = dir.resolve(kind.name().toLowerCase() + "-" + i + ".zip");
                Files.write(copy, damage(bytes, kind, random));
                try (LotteryTicket loaded = LotteryTicket.load(copy)) {
                    assertIdentical(loaded, original, kind + " #" + i);
                    counts[0]++;
                } catch (TicketFormatException e) {
                    assertThat(e.getMessage()).startsWith(copy + ": ");
                    counts[1]++;
                } catch (IOException | RuntimeException e) {
                    throw new AssertionError(kind + " #" + i + " failed with " + e + " instead of a TicketFormatException", e);
                }
                Files.delete(copy);
            }
        }
        outcomes.forEach((kind, c) -> System.out.printf("ticket fuzz: %-18s %4d loaded identically, %4d failed with TicketFormatException%n",
                kind, c[0], c[1]));

        assertThat(outcomes.get(Damage.TRUNCATE)[0]).as("a truncated zip has no central directory").isZero();
        for (int[] c : outcomes.values()) {
            assertThat(c[0] + c[1]).isEqualTo(COPIES_PER_KIND);
            assertThat(c[1]).as("most damage is detected").isGreaterThan(COPIES_PER_KIND / 2);
        }
    }

    private static byte[] damage(byte[] bytes, Damage kind, Random random) {
        switch (kind) {
            case TRUNCATE:
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case FLIP_ONE_BIT: {
                byte[] copy = bytes.clone();
                copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                return copy;
            }
            case FLIP_SEVERAL_BITS: {
                byte[] copy = bytes.clone();
                for (int n = 2 + random.nextInt(15); n > 0; n--) {
                    copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return copy;
            }
            default: {
                byte[] copy = bytes.clone();
                int length = 1 + random.nextInt(32);
                int at = random.nextInt(copy.length);
                for (int j = at; j < Math.min(copy.length, at + length); j++) {
                    copy[j] = (byte) random.nextInt(256);
                }
                return copy;
            }
        }
    }

    private static void assertIdentical(LotteryTicket loaded, LotteryTicket original, String copy) {
        assertThat(loaded.network()).as(copy).isInstanceOf(MultiLayerNetwork.class);
        assertThat(((MultiLayerNetwork) loaded.network()).getLayerWiseConfigurations().toJson()).as(copy)
                .isEqualTo(((MultiLayerNetwork) original.network()).getLayerWiseConfigurations().toJson());
        assertThat(Nets.bits(loaded.network().params())).as(copy).isEqualTo(Nets.bits(original.network().params()));
        assertThat(loaded.masks()).as(copy).isEqualTo(original.masks());
        assertThat(loaded.snapshots().asMap().keySet()).as(copy).isEqualTo(original.snapshots().asMap().keySet());
        original.snapshots().asMap().forEach((k, v) -> assertThat(Nets.bits(loaded.snapshots().at(k).orElseThrow()))
                .as(copy).isEqualTo(Nets.bits(v)));
        TicketMetadata a = loaded.metadata();
        TicketMetadata b = original.metadata();
        assertThat(a.round()).as(copy).isEqualTo(b.round());
        assertThat(a.method()).as(copy).isEqualTo(b.method());
        assertThat(a.scope()).as(copy).isEqualTo(b.scope());
        assertThat(a.rewindPoint()).as(copy).isEqualTo(b.rewindPoint());
        assertThat(a.seeds()).as(copy).isEqualTo(b.seeds());
        assertThat(a.hyperparameters()).as(copy).isEqualTo(b.hyperparameters());
    }
}

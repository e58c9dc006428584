package org.lottery4j.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.prune.Pruner;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.rewind.RewindPoint;
import org.lottery4j.testing.Nets;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class TicketFileTest {

    @TempDir
    Path dir;

    private static final DataSetIterator DATA = Nets.data(96, 12, 4);

    private LotteryTicket trainedTicket(Nets.Kind kind) {
        Model net = Nets.mlp(kind, 21);
        LotteryTicket ticket = LotteryTicket.builder(net)
                .method(PruningMethod.random(5))
                .scope(PruningScope.global().withLayerFraction("output", 0.1))
                .rewindTo(RewindPoint.iteration(3))
                .hyperparameters(Map.of("lr", "0.01", "batch", "12"))
                .build();
        Nets.fit(net, DATA, 1);
        ticket.pruneAndRewind(0.5);
        Nets.fit(net, DATA, 1);
        ticket.prune(0.5);
        return ticket;
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void ticketsRoundTrip(Nets.Kind kind) throws IOException {
        LotteryTicket ticket = trainedTicket(kind);
        Path file = dir.resolve("ticket.zip");
        ticket.save(file);

        LotteryTicket loaded = LotteryTicket.load(file);
        assertThat(loaded.network()).isInstanceOf(kind == Nets.Kind.GRAPH ? ComputationGraph.class : MultiLayerNetwork.class);
        assertThat(Nets.bits(loaded.network().params())).isEqualTo(Nets.bits(ticket.network().params()));
        assertThat(loaded.masks()).isEqualTo(ticket.masks());
        assertThat(loaded.round()).isEqualTo(2);
        assertThat(loaded.snapshots().asMap().keySet()).containsExactly(3);
        assertThat(Nets.bits(loaded.snapshots().at(3).orElseThrow()))
                .isEqualTo(Nets.bits(ticket.snapshots().at(3).orElseThrow()));
        assertThat(((Pruner) loaded.strategy()).method()).isEqualTo(PruningMethod.random(5));
        assertThat(((Pruner) loaded.strategy()).scope()).isEqualTo(PruningScope.global().withLayerFraction("output", 0.1));
        assertThat(loaded.rewindPoint()).isEqualTo(RewindPoint.iteration(3));
        TicketMetadata meta = loaded.metadata();
        assertThat(meta.hyperparameters()).containsEntry("lr", "0.01").containsEntry("batch", "12");
        assertThat(meta.seeds()).containsEntry("network", 21L);

        DATA.reset();
        INDArray x = DATA.next().getFeatures();
        DATA.reset();
        assertThat(output(loaded.network(), x).dup().data().asFloat())
                .isEqualTo(output(ticket.network(), x).dup().data().asFloat());

        // the loaded ticket goes on: masks enforced, rewinding works, pruning continues
        loaded.rewind();
        Nets.fit(loaded.network(), DATA, 1);
        loaded.prune(0.5);
        ticket.masks().checkShrinksTo(loaded.masks());
        assertThat(loaded.round()).isEqualTo(3);
    }

    @Test
    void theManifestSaysHowTheTicketWasMade() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        String json = new String(read(file, "ticket.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"format\" : \"lottery4j-ticket\"", "\"formatVersion\" : 2",
                "\"round\" : 2", "\"method\" : \"random(seed=5)\"", "\"rewindPoint\" : \"iteration:3\"",
                "\"dl4j\" : \"1.0.0-M2.1\"", "\"fractionRemaining\"", "\"param\" : \"dense0/W\"");
    }

    @Test
    void masksTakeAtMostOneBitPerWeightOnDisk() throws IOException {
        Path file = dir.resolve("t.zip");
        LotteryTicket ticket = LotteryTicket.builder(Nets.wide(3)).build();
        ticket.prune(0.8);
        ticket.save(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.getEntry("masks.bin").getCompressedSize() * 8).isLessThanOrEqualTo(ticket.sparsity().total());
        }
    }

    @Test
    void aFileThatIsNotAZipIsNotATicket() throws IOException {
        Path file = dir.resolve("noise.zip");
        Files.write(file, "this is not a ticket".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(file))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(file + ": not a ticket file, or a truncated or corrupted one");
    }

    @Test
    void aTruncatedTicketIsReportedNotHalfLoaded() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        byte[] bytes = Files.readAllBytes(file);
        for (int keep : new int[] {bytes.length / 2, bytes.length - 10, 100}) {
            Path cut = dir.resolve("cut-" + keep + ".zip");
            Files.write(cut, Arrays.copyOf(bytes, keep));
            assertThatThrownBy(() -> LotteryTicket.load(cut))
                    .isInstanceOf(TicketFormatException.class)
                    .hasMessageStartingWith(cut + ": ");
        }
    }

    @Test
    void aCorruptedEntryIsReported() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        Path bad = rewrite(file, "rewind/iteration-3.bin", b -> Arrays.copyOf(b, b.length - 4));
        assertThatThrownBy(() -> LotteryTicket.load(bad))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageMatching(".*snapshot rewind/iteration-3.bin has \\d+ bytes, expected \\d+ for \\d+ FLOAT parameters");
        Path badMasks = rewrite(file, "masks.bin", b -> Arrays.copyOf(b, b.length + 1));
        assertThatThrownBy(() -> LotteryTicket.load(badMasks))
                .hasMessageContaining("masks.bin has");
        Path badNet = rewrite(file, "network/params.bin", b -> Arrays.copyOf(b, 50));
        assertThatThrownBy(() -> LotteryTicket.load(badNet))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(badNet + ": entry network/params.bin has 50 bytes, expected 1484 for 371 FLOAT parameters");
    }

    @Test
    void missingEntriesAreNamed() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        for (String entry : new String[] {"masks.bin", "network/configuration.json", "network/params.bin", "rewind/iteration-3.bin"}) {
            Path bad = rewrite(file, entry, b -> null);
            assertThatThrownBy(() -> LotteryTicket.load(bad))
                    .isInstanceOf(TicketFormatException.class)
                    .hasMessage(bad + ": missing entry " + entry + " (not a ticket file, or a damaged one)");
        }
        Path noManifest = rewrite(file, "ticket.json", b -> null);
        assertThatThrownBy(() -> LotteryTicket.load(noManifest))
                .hasMessage(noManifest + ": not a ticket file: it has no ticket.json entry");
    }

    @Test
    void aDl4jModelZipIsNotATicket() throws IOException {
        Path file = dir.resolve("model.zip");
        ((MultiLayerNetwork) Nets.mlp(Nets.Kind.MULTI_LAYER, 1)).save(file.toFile());
        assertThatThrownBy(() -> LotteryTicket.load(file))
                .hasMessage(file + ": not a ticket file: it has no ticket.json entry");
    }

    @Test
    void aMaskShapeThatDoesNotMatchItsLayerIsReported() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        Path bad = rewrite(file, "ticket.json", b -> new String(b, StandardCharsets.UTF_8)
                .replaceFirst("(\"masks\" : \\[ \\{\\s*\"layer\" : \"dense0\",\\s*\"param\" : \"W\",\\s*\"shape\" : \\[ )12, 16",
                        "$116, 12")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(bad))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(bad + ": mask of dense0/W has shape [16, 12] but layer dense0's parameter W has shape [12, 16]");
    }

    @Test
    void newerFormatVersionsAndOtherFormatsAreRejected() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        Path newer = rewrite(file, "ticket.json", b -> new String(b, StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 2", "\"formatVersion\" : 7").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(newer))
                .hasMessage(newer + ": ticket format version 7 is not supported by this version of lottery4j (it reads versions 1 to 2)");
        Path other = rewrite(file, "ticket.json", b -> "{\"format\":\"something\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(other))
                .hasMessage(other + ": not a ticket file: format is 'something', expected 'lottery4j-ticket'");
        Path notJson = rewrite(file, "ticket.json", b -> "{".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(notJson)).hasMessageStartingWith(notJson + ": ticket.json is not valid");
    }

    @Test
    void networkAndMasksThatDisagreeAreReported() throws IOException {
        LotteryTicket ticket = trainedTicket(Nets.Kind.MULTI_LAYER);
        Path file = dir.resolve("t.zip");
        ticket.save(file);
        // a ticket whose masks say "pruned" where the saved network has a weight
        ticket.close();
        ticket.network().params().addi(1);
        Path other = dir.resolve("other.zip");
        ticket.save(other);
        Path bad = rewrite(file, "network/params.bin", b -> read(other, "network/params.bin"));
        assertThatThrownBy(() -> LotteryTicket.load(bad))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageContaining("the network and its masks disagree: weight");
    }

    @Test
    void flippedBytesGiveATicketFormatExceptionOrAnIdenticalTicket() throws IOException {
        Path file = dir.resolve("t.zip");
        LotteryTicket ticket = trainedTicket(Nets.Kind.MULTI_LAYER);
        ticket.save(file);
        byte[] bytes = Files.readAllBytes(file);
        java.util.Random random = new java.util.Random(12);
        int failures = 0;
        for (int trial = 0; trial < 40; trial++) {
            byte[] copy = bytes.clone();
            copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
            Path bad = dir.resolve("flip-" + trial + ".zip");
            Files.write(bad, copy);
            try {
                LotteryTicket loaded = LotteryTicket.load(bad);
                // a flip in zip metadata (timestamps, comments) may leave the content intact
                assertThat(loaded.masks()).isEqualTo(ticket.masks());
                assertThat(Nets.bits(loaded.network().params())).isEqualTo(Nets.bits(ticket.network().params()));
            } catch (TicketFormatException e) {
                assertThat(e.getMessage()).startsWith(bad + ": ");
                failures++;
            }
        }
        assertThat(failures).isGreaterThan(20);
    }

    @Test
    void everyEntryIsCheckedAgainstItsSizeAndSha256AndItsCrc() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        byte[] masks = read(file, "masks.bin");

        // changed content with a matching zip CRC: only the manifest's SHA-256 can tell
        Path edited = TicketFiles.rewrite(file, dir.resolve("edited.zip"), "masks.bin", b -> {
            byte[] c = b.clone();
            c[0] ^= 1;
            return c;
        }, false);
        byte[] flipped = read(edited, "masks.bin");
        assertThatThrownBy(() -> LotteryTicket.load(edited))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(edited + ": entry masks.bin is corrupted: its SHA-256 is " + TicketZip.sha256(flipped)
                        + ", ticket.json says " + TicketZip.sha256(masks));
        Path longer = TicketFiles.rewrite(file, dir.resolve("longer.zip"), "masks.bin", b -> Arrays.copyOf(b, b.length + 1), false);
        assertThatThrownBy(() -> LotteryTicket.load(longer))
                .hasMessage(longer + ": entry masks.bin holds " + (masks.length + 1) + " bytes, more than the "
                        + masks.length + " it can have");

        // a stored (uncompressed) entry with a flipped bit: java.util.zip reads it without complaint
        Map<String, byte[]> entries = TicketFiles.entries(file);
        Path stored = dir.resolve("stored.zip");
        try (ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(stored))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zos.putNextEntry(entry);
                zos.write(e.getValue());
                zos.closeEntry();
            }
        }
        byte[] bytes = Files.readAllBytes(stored);
        int at = indexOf(bytes, masks);
        bytes[at + 2] ^= 0x10;
        Files.write(stored, bytes);
        CRC32 damaged = new CRC32();
        damaged.update(bytes, at, masks.length);
        CRC32 crc = new CRC32();
        crc.update(masks);
        assertThatThrownBy(() -> LotteryTicket.load(stored))
                .isInstanceOf(TicketFormatException.class)
                .hasMessage(String.format("%s: entry masks.bin is corrupted: its CRC-32 is %08x, the zip says %08x",
                        stored, damaged.getValue(), crc.getValue()));

        Path unlisted = rewrite(file, "ticket.json", b -> new String(b, StandardCharsets.UTF_8)
                .replace("\"name\" : \"masks.bin\"", "\"name\" : \"rewind/iteration-3.bin\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(unlisted))
                .hasMessage(unlisted + ": ticket.json lists the checksum of rewind/iteration-3.bin twice");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void aManifestWithMissingFieldsIsReported() throws IOException {
        Path file = dir.resolve("t.zip");
        trainedTicket(Nets.Kind.MULTI_LAYER).save(file);
        Path bad = rewrite(file, "ticket.json", b -> new String(b, StandardCharsets.UTF_8)
                .replace("\"entry\" : \"rewind/iteration-3.bin\"", "\"entry\" : null").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(bad))
                .isInstanceOf(TicketFormatException.class)
                .hasMessageStartingWith(bad + ": ");
        Path noMasks = rewrite(file, "ticket.json", b -> new String(b, StandardCharsets.UTF_8)
                .replace("\"masks\" :", "\"maskz\" :").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LotteryTicket.load(noMasks))
                .hasMessage(noMasks + ": ticket.json has no 'masks' field");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.zip");
        assertThatThrownBy(() -> LotteryTicket.load(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aFailedSaveLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("t.zip");
        LotteryTicket ticket = trainedTicket(Nets.Kind.MULTI_LAYER);
        ticket.save(file);
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("t.zip");
        }
        Path fresh = dir.resolve("sub/fresh.zip");
        assertThatThrownBy(() -> AtomicFiles.write(fresh, out -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(fresh).doesNotExist();
        try (var files = Files.list(fresh.getParent())) {
            assertThat(files).isEmpty();
        }
    }

    private static INDArray output(Model net, INDArray x) {
        return net instanceof MultiLayerNetwork m ? m.output(x) : ((ComputationGraph) net).outputSingle(x);
    }

    private static byte[] read(Path zipFile, String entry) {
        return TicketFiles.read(zipFile, entry);
    }

    /**
     * A copy of a ticket with one entry changed ({@code null} from {@code change} drops it), its
     * checksum in the manifest updated so that the checks behind it are reached.
     */
    private Path rewrite(Path file, String entry, UnaryOperator<byte[]> change) throws IOException {
        Path out = dir.resolve("changed-" + entry.replace('/', '_') + "-" + System.nanoTime() + ".zip");
        return TicketFiles.rewrite(file, out, entry, change, true);
    }
}

package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.examples.cifar.CifarFiles;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.ticket.LotteryTicket;

class Cifar10CommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private static Path onlyRun(Path out) throws Exception {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("lottery_")).findFirst().orElseThrow();
        }
    }

    private static ExperimentHparams hparams(Path folder) throws Exception {
        return Json.reader().forType(ExperimentHparams.class).readValue(folder.resolve("hparams.json").toFile());
    }

    @Test
    void conv2TrainsATicketOnCifarFilesAndResNet20AugmentsThem() throws Exception {
        Path cifar = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        CifarFiles.writeOfficialSize(cifar, 8);
        Path out = dir.resolve("conv2");
        String printed = Console.out(() -> assertThat(Main.run("cifar10", "--cifar-dir", cifar.toString(),
                "--subset", "30", "--test-subset", "8", "--validation", "6", "--batch", "8", "--epochs", "1",
                "--rounds", "1", "--controls", "none", "--workers", "1", "--out", out.toString())).isZero());
        assertThat(printed).contains("round,weights_remaining,test_accuracy", "report: ");
        Path folder = onlyRun(out);
        ExperimentHparams hp = hparams(folder);
        // the first 30 training images: 8 of data_batch_1..3 and 6 of data_batch_4; 8 test images
        assertThat(hp.dataset().name()).isEqualTo("cifar10-first30-test8");
        assertThat(hp.dataset().augment()).isEqualTo("none");
        assertThat(hp.model().name()).isEqualTo("conv2");
        assertThat(hp.training().learningRate()).isEqualTo(2e-4);
        for (String f : new String[] {"rounds.csv", "index.html", "round-01/ticket.zip"}) {
            assertThat(folder.resolve(f)).exists();
        }
        // the paper's rates: convolutions 10%, dense 20%, output 10%
        LotteryTicket ticket = LotteryTicket.load(folder.resolve("round-01/ticket.zip"));
        assertThat(ticket.sparsity().byLayer().get("conv1").pruned()).isEqualTo(Math.round(0.1 * 3 * 64 * 9));
        assertThat(ticket.sparsity().byLayer().get("fc1").pruned()).isEqualTo(Math.round(0.2 * 64 * 16 * 16 * 256));
        assertThat(ticket.sparsity().byLayer().get("output").pruned()).isEqualTo(Math.round(0.1 * 256 * 10));

        Path resnet = dir.resolve("resnet");
        Console.out(() -> assertThat(Main.run("cifar10", "--model", "resnet20", "--cifar-dir", cifar.toString(),
                "--subset", "12", "--test-subset", "4", "--validation", "4", "--batch", "8", "--epochs", "4",
                "--rounds", "0", "--controls", "none", "--workers", "1", "--out", resnet.toString())).isZero());
        ExperimentHparams r = hparams(onlyRun(resnet));
        assertThat(r.dataset().augment()).isEqualTo("crop-flip");
        assertThat(r.dataset().batchSize()).isEqualTo(8);
        // SGD with momentum at 0.1 and weight decay, the steps at half and three quarters of the 4 iterations
        assertThat(r.training().schedule().describe()).isEqualTo("step(milestones=[2it,3it],factor=0.1)");
        assertThat(r.pruning().scope().describe()).isEqualTo("global");
    }

    @Test
    void conv2TrainsOnTheBundledDigits() throws Exception {
        Path out = dir.resolve("mnist");
        Console.out(() -> assertThat(Main.run("cifar10", "--dataset", "mnist", "--subset", "120", "--test-subset", "100", "--validation", "60",
                "--batch", "30", "--epochs", "1", "--rounds", "1", "--controls", "reinit", "--workers", "1",
                "--out", out.toString())).isZero());
        Path folder = onlyRun(out);
        ExperimentHparams hp = hparams(folder);
        assertThat(hp.dataset().name()).isEqualTo("mnist-10k-first120-test100");
        assertThat(hp.dataset().augment()).isEqualTo("none");
        assertThat(folder.resolve("round-01/reinit.json")).exists();
        LotteryTicket ticket = LotteryTicket.load(folder.resolve("round-01/ticket.zip"));
        assertThat(ticket.sparsity().byLayer().get("conv2").pruned()).isEqualTo(Math.round(0.1 * 64 * 64 * 9));
    }

    @Test
    void badOptionsAreReportedInOneLine() {
        assertThat(badOption()).isEqualTo(usageError("--dataset cifar10 needs --cifar-dir DIR, the folder "
                + "cifar-10-batches-bin of https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz unpacked, "
                + "or --download (or use --dataset mnist)"));
        assertThat(badOption("--dataset", "svhn")).isEqualTo(usageError("--dataset must be cifar10 or mnist, got 'svhn'"));
        assertThat(badOption("--model", "vgg19")).isEqualTo(usageError("--model: unknown convolutional model 'vgg19'; "
                + "the models are [conv2, conv4, conv6, resnet20]"));
        assertThat(badOption("--cifar-dir", "x", "--download")).isEqualTo(usageError(
                "--cifar-dir and --download do not go together: --download reads what it downloads"));
        assertThat(badOption("--dataset", "mnist", "--download")).isEqualTo(usageError(
                "--download is for --dataset cifar10; --dataset mnist uses the bundled digits"));
        assertThat(badOption("--dataset", "mnist", "--subset", "0")).isEqualTo(usageError("--subset must be >= 1, got 0"));
        assertThat(badOption("--dataset", "mnist", "--epochs", "0")).isEqualTo(usageError("--epochs must be >= 1, got 0"));
        assertThat(badOption("--dataset", "mnist", "--rewind", "late")).startsWith("error: not a rewind point: 'late'")
                .hasLineCount(1);
        // 2 epochs of the 8,000 training digits less 500 for validation, in batches of 60: 2 x 125 iterations
        assertThat(badOption("--dataset", "mnist", "--rewind", "iteration:500")).isEqualTo(usageError(
                "--rewind iteration:500 is past the end of training: a round trains 250 iterations (2 epochs of 125); "
                        + "pass a smaller K or more --epochs"));
        assertThat(badOption("--dataset", "mnist", "--threads", "2", "--workers", "2")).isEqualTo(usageError(
                "--threads 2 and --workers 2 do not go together: each worker trains with one ND4J thread; "
                        + "pass --workers 1 to train one arm at a time with 2 threads"));
    }

    @Test
    void aCifarFolderWithoutTheFilesSaysWhereToGetThem() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String err = Console.err(() -> assertThat(Main.run("cifar10", "--cifar-dir", empty.toString(),
                "--out", dir.resolve("out").toString())).isEqualTo(1));
        assertThat(err).endsWith("error: " + empty.resolve("data_batch_1.bin") + " is missing; download "
                + "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz and unpack it: it holds the folder "
                + "cifar-10-batches-bin with data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, "
                + "data_batch_5.bin and test_batch.bin" + NL);
    }

    @Test
    void downloadFetchesChecksAndUnpacksTheArchiveOnce() throws Exception {
        // the official archive's layout, from a file: URL (nothing here reaches the internet)
        Path batches = Files.createDirectories(dir.resolve("release").resolve(Cifar10Command.BATCHES_FOLDER));
        org.lottery4j.examples.cifar.CifarFiles.writeOfficialSize(batches, 3);
        Path archive = dir.resolve("cifar-10-binary.tar.gz");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(Files.newOutputStream(archive)));
                var files = Files.list(batches)) {
            out.setBigNumberMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path f : files.sorted().toList()) {
                out.putArchiveEntry(out.createArchiveEntry(f.toFile(), Cifar10Command.BATCHES_FOLDER + "/" + f.getFileName()));
                Files.copy(f, out);
                out.closeArchiveEntry();
            }
        }
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(Files.readAllBytes(archive)));
        Path data = dir.resolve("out").resolve("data");

        Path got = Cifar10Command.download(archive.toUri().toURL(), md5, data);

        assertThat(got).isEqualTo(data.resolve(Cifar10Command.BATCHES_FOLDER));
        assertThat(org.lottery4j.examples.cifar.Cifar10.fromDirectory(got, 3, 3).train().getFeatures())
                .isEqualTo(org.lottery4j.examples.cifar.Cifar10.fromDirectory(batches, 3, 3).train().getFeatures());
        Files.delete(archive); // a second call reads what is there
        assertThat(Cifar10Command.download(archive.toUri().toURL(), md5, data)).isEqualTo(got);

        Path other = dir.resolve("other");
        URL gone = archive.toUri().toURL();
        assertThatThrownBy(() -> Cifar10Command.download(gone, md5, other))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("--download: could not read " + gone + " in 3 attempts: ")
                .hasMessageEndingWith("; download and unpack https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz "
                        + "yourself and pass --cifar-dir");
        assertThat(other).isEmptyDirectory();
    }

    @Test
    void aDamagedDownloadIsRefusedByItsMd5AndLeavesNothingBehind() throws Exception {
        Path archive = Files.write(dir.resolve("damaged.tar.gz"), new byte[] {1, 2, 3});
        Path data = dir.resolve("data");
        URL url = archive.toUri().toURL();
        assertThatThrownBy(() -> Cifar10Command.download(url, "c32a1d4ab5d03f1284b67883e8d87530", data))
                .hasMessage("--download: " + url + " has MD5 5289df737df57326fcdd22597afb1fac, expected "
                        + "c32a1d4ab5d03f1284b67883e8d87530: the download is damaged or not the archive; download and "
                        + "unpack https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz yourself and pass --cifar-dir");
        assertThat(data).isEmptyDirectory();
    }

    private static String usageError(String problem) {
        return "error: " + problem + " (see 'lottery-examples cifar10 --help')" + NL;
    }

    private String badOption(String... options) {
        String[] args = Stream.concat(Stream.of("cifar10", "--out", dir.resolve("out").toString()),
                Stream.of(options)).toArray(String[]::new);
        return Console.err(() -> assertThat(Main.run(args)).as(String.join(" ", options)).isEqualTo(2));
    }
}

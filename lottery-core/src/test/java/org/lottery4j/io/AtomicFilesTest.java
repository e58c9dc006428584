package org.lottery4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.io.AtomicFiles;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writtenFilesGetTheUsualPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path usual = Files.createFile(dir.resolve("usual.txt"));
        Path written = dir.resolve("written.txt");
        AtomicFiles.writeString(written, "x");
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(Files.getPosixFilePermissions(usual));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("results.json");
        AtomicFiles.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(target).hasContent("old");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("results.json");
        }
    }

    @Test
    void leftoversOfAKilledWriteAreRemovedAndNothingElse() throws IOException {
        Files.writeString(dir.resolve(".rounds.csv.1f2e.tmp"), "partial");
        Files.writeString(dir.resolve("rounds.csv"), "kept");
        assertThat(AtomicFiles.deleteLeftovers(dir)).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("rounds.csv");
        }
    }

    @Test
    void deleteTreeRemovesAFolderWithEverythingBelowAndNothingBeside() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/a/b"));
        Files.writeString(root.resolve("f"), "x");
        Files.writeString(dir.resolve("root/g"), "y");
        Path beside = Files.writeString(dir.resolve("beside"), "z");

        AtomicFiles.deleteTree(dir.resolve("root"));

        assertThat(dir.resolve("root")).doesNotExist();
        assertThat(beside).hasContent("z");
        AtomicFiles.deleteTree(dir.resolve("root")); // nothing there: nothing to do
    }
}

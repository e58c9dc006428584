package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {

    @TempDir
    Path dir;

    private static String describe(ThrowingCallable failing) {
        return IoErrors.describe(catchThrowableOfType(failing, IOException.class));
    }

    @Test
    void realFileErrorsSayWhatFailedOnWhichFileAndWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        Path missing = dir.resolve("missing.txt");
        assertThat(describe(() -> Files.readString(missing))).isEqualTo("cannot read " + missing + ": no such file or directory");
        assertThat(describe(() -> Files.writeString(file.resolve("sub.txt"), "y")))
                .isEqualTo("cannot write " + file.resolve("sub.txt") + ": not a directory");
        // createDirectories names the first folder it could not look into
        assertThat(describe(() -> Files.createDirectories(file.resolve("a/b"))))
                .isEqualTo("cannot create directory " + file.resolve("a") + ": not a directory");
        assertThat(describe(() -> Files.createDirectory(file))).isEqualTo("cannot create directory " + file + ": file exists");
        assertThat(describe(() -> Files.delete(dir))).isEqualTo("cannot delete " + dir + ": directory not empty");
        assertThat(describe(() -> Files.move(missing, dir.resolve("to.txt"))))
                .isEqualTo("cannot move " + missing + ": no such file or directory");
        assertThat(describe(() -> Files.move(file, dir.resolve("none/to.txt"))))
                .isEqualTo("cannot move " + file + " to " + dir.resolve("none/to.txt") + ": no such file or directory");
        assertThat(describe(() -> Files.list(file))).isEqualTo("cannot list " + file + ": not a directory");
    }

    @Test
    void exceptionsWithoutAReasonGetOneFromTheirType() {
        // AccessDeniedException's message is only the path: what `--out` on a read-only folder printed
        assertThat(IoErrors.describe(new AccessDeniedException("/out/lottery_55d01c73fe")))
                .isEqualTo("cannot access /out/lottery_55d01c73fe: permission denied");
        assertThat(IoErrors.describe(new FileSystemException("/out/a.zip", null, "No space left on device")))
                .isEqualTo("cannot access /out/a.zip: no space left on device");
        assertThat(IoErrors.describe(new FileSystemException("/out/a.zip", null, "EIO"))).isEqualTo("cannot access /out/a.zip: EIO");
        assertThat(IoErrors.describe(new FileSystemException("/out/a.zip"))).isEqualTo("cannot access /out/a.zip: FileSystemException");
    }

    @Test
    void otherIoErrorsKeepTheirMessageOnOneLine() {
        assertThat(IoErrors.describe(new IOException("t10k-images-idx3-ubyte.gz holds 3 images\n  but 2 labels")))
                .isEqualTo("t10k-images-idx3-ubyte.gz holds 3 images but 2 labels");
        assertThat(IoErrors.describe(new EOFException())).isEqualTo("EOFException");
        assertThat(IoErrors.describe(new FileSystemException(null, null, "No space left on device")))
                .isEqualTo("No space left on device");
    }
}

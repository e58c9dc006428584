package org.lottery4j.examples.cifar;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** CIFAR-10 binary files as the official release has them, for tests of the public reader. */
public final class CifarFiles {

    private CifarFiles() {}

    /**
     * The five training files and the test file in {@code dir}, each of the official 10,000 records
     * (30,730,000 bytes) but sparse: only the first {@code records} of each are written (the
     * images of {@link Cifar10Test#records}), the rest are holes that read as zeros (label 0,
     * black), so the folder takes a few kilobytes of disk.
     */
    public static void writeOfficialSize(Path dir, int records) throws IOException {
        for (int f = 0; f <= 5; f++) {
            String name = f < 5 ? Cifar10.TRAIN_FILES.get(f) : Cifar10.TEST_FILE;
            try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
                file.write(Cifar10Test.records(f * records, records));
                file.setLength((long) Cifar10.RECORDS_PER_FILE * Cifar10.RECORD_BYTES);
            }
        }
    }
}

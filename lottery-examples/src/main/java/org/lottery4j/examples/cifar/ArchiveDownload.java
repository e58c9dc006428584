package org.lottery4j.examples.cifar;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.lottery4j.io.AtomicFiles;

/**
 * Downloads a {@code .tar.gz} archive, checks its MD5 and unpacks one folder of it, as
 * {@code cifar10 --download} does with CIFAR-10's binary release. Written here because ND4J
 * 1.0.0-M2.1's {@code Downloader.downloadAndExtract} takes its own file lock twice and waits for
 * itself forever; commons-compress reads the archive.
 *
 * <pre>{@code
 * Path batches = ArchiveDownload.fetch(new URL(Cifar10.DOWNLOAD_URL), md5, Path.of("data"), "cifar-10-batches-bin");
 * }</pre>
 *
 * <p>Nothing is left half done: the archive is written under a temporary name and the folder is
 * unpacked beside its final name and renamed into place, so an interrupted download starts again
 * and a folder that exists is complete.
 */
public final class ArchiveDownload {

    private static final int TIMEOUT_MS = 60_000;
    private static final int ATTEMPTS = 3;

    private ArchiveDownload() {}

    /**
     * {@code data/folder}, downloaded from {@code url} and unpacked first unless it exists.
     *
     * @throws IOException naming the URL when it cannot be read after three attempts, when the MD5
     *     is not {@code md5}, or when the archive holds no {@code folder} or a path outside it
     */
    public static Path fetch(URL url, String md5, Path data, String folder) throws IOException {
        Path target = data.resolve(folder);
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(data);
        Path archive = data.resolve(folder + ".tar.gz.part");
        String got = null;
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS && got == null; attempt++) {
            try {
                got = download(url, archive);
            } catch (IOException e) {
                last = e;
            }
        }
        if (got == null) {
            throw new IOException("could not read " + url + " in " + ATTEMPTS + " attempts: " + last.getMessage(), last);
        }
        try {
            if (!got.equalsIgnoreCase(md5)) {
                throw new IOException(url + " has MD5 " + got + ", expected " + md5 + ": the download is damaged or not the archive");
            }
            Path unpacked = Files.createTempDirectory(data, "." + folder + ".unpacking-");
            try {
                unpack(archive, unpacked, url);
                Path inside = unpacked.resolve(folder);
                if (!Files.isDirectory(inside)) {
                    throw new IOException(url + " holds no folder " + folder);
                }
                Files.move(inside, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                AtomicFiles.deleteTree(unpacked);
            }
        } finally {
            Files.deleteIfExists(archive);
        }
        return target;
    }

    /** Copies {@code url} to {@code to} and returns the MD5 of what it read, in hex. */
    private static String download(URL url, Path to) throws IOException {
        URLConnection c = url.openConnection();
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        try (InputStream in = new DigestInputStream(c.getInputStream(), md5)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return HexFormat.of().formatHex(md5.digest()); // lower case
    }

    /** Unpacks the regular files and folders of the {@code .tar.gz} {@code archive} into {@code dir}. */
    private static void unpack(Path archive, Path dir, URL url) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(archive), 1 << 16)))) {
            for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
                Path to = dir.resolve(e.getName()).normalize();
                if (!to.startsWith(dir)) { // "../x" or "/x": never write outside the folder
                    throw new IOException(url + " holds the path " + e.getName() + ", outside the archive's folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else if (e.isFile()) {
                    Files.createDirectories(to.getParent());
                    Files.copy(tar, to);
                }
            }
        }
    }
}

package org.lottery4j.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.lottery4j.io.AtomicFiles;

/**
 * A study's output folder, which belongs to one study: it keeps that study's file as
 * {@value #SPEC_COPY}, which {@code study status} and {@code study report} read. Running a study
 * into a folder that holds another study is refused, so that its summary and report never mix two
 * studies; the same study may grow there (more seeds, more values, another axis that keeps the old
 * values), which reuses its finished experiments. A study is the same when it has the same
 * {@code name} and every experiment of the one in the folder is still one of its experiments.
 *
 * <pre>{@code
 * String text = StudySpec.text(file);
 * StudySpec spec = StudySpec.parse(text, file, StudySpec.DEFAULT_MAX_RUNS);
 * StudyFolder.claim(out, spec, text);            // refuses another study's folder; writes study.json
 * new LocalExecutor(out, run -> workload, 2).run(spec.runs());
 * StudySpec again = StudyFolder.study(out, StudySpec.DEFAULT_MAX_RUNS);   // study status, study report
 * }</pre>
 */
public final class StudyFolder {

    /** The copy of the study file in its folder. */
    public static final String SPEC_COPY = "study.json";

    /** A path that starts as a URI does ({@code s3a://}, {@code hdfs:/}, {@code file:/}). */
    private static final Pattern URI_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):/");

    private StudyFolder() {}

    /**
     * Returns {@code dir} if it is a path of a file system that this process reaches with ordinary
     * file operations (a local disk, or a shared one mounted here: NFS, Lustre), and refuses a URI
     * that became a path ({@code s3a://bucket/study} is the relative path {@code s3a:/bucket/study}).
     * Experiments resume, list and rename their folders in place, and a rename on an object store or
     * through a Hadoop file system URI is a copy that is not atomic, so a study cannot live there.
     *
     * @throws IllegalArgumentException naming the folder and the scheme
     */
    public static Path requireLocal(Path dir) {
        Matcher uri = URI_SCHEME.matcher(dir.toString());
        if (uri.find()) {
            String scheme = uri.group(1);
            throw new IllegalArgumentException("the study's folder " + dir + " is a " + scheme + ": URI, not a path: "
                    + "a study needs a folder on a file system mounted at the same path on every host that trains "
                    + "(a local disk, NFS, Lustre), because experiments resume and rename their folders in place "
                    + "and a rename on an object store (s3a, gs, abfs) or HDFS is not an atomic file rename"
                    + (scheme.equalsIgnoreCase("file") ? "; give the path itself, without file:" : ""));
        }
        return dir;
    }

    /**
     * Makes {@code dir} the folder of {@code spec} (whose file's text is {@code text}), creating it
     * if needed: refused if it holds another study, or an earlier version of this one with
     * experiments that {@code spec} no longer has. Then {@value #SPEC_COPY} is {@code text}, written
     * atomically.
     *
     * @throws StudySpecException naming the folder and both studies if the folder belongs to another
     * @throws IllegalArgumentException if {@code dir} is a URI rather than a path ({@link #requireLocal})
     * @throws IOException if the folder or its copy cannot be written
     */
    public static void claim(Path dir, StudySpec spec, String text) throws IOException {
        requireLocal(dir);
        Path copy = dir.resolve(SPEC_COPY);
        if (Files.exists(copy)) {
            StudySpec saved;
            try {
                // the folder's study was accepted once, whatever its size: no limit on it here
                saved = StudySpec.read(copy, Long.MAX_VALUE);
            } catch (StudySpecException e) {
                throw new StudySpecException(spec.file(), "$", dir + " holds a study file that cannot be read ("
                        + e.getMessage() + "); run the study into another folder, or delete " + copy
                        + " if the folder is this study's");
            }
            if (!saved.name().equals(spec.name())) {
                throw new StudySpecException(spec.file(), "$", dir + " is the folder of the study '" + saved.name()
                        + "' (" + SPEC_COPY + "), not of '" + spec.name() + "': run this study into another folder");
            }
            Set<String> now = spec.runs().stream().map(r -> r.hparams().folderName()).collect(Collectors.toSet());
            List<StudyRun> dropped = saved.runs().stream().filter(r -> !now.contains(r.hparams().folderName())).toList();
            if (!dropped.isEmpty()) {
                StudyRun first = dropped.get(0);
                throw new StudySpecException(spec.file(), "$", dir + " holds the study '" + saved.name() + "' with "
                        + dropped.size() + " of its " + saved.runs().size() + " experiments not in this version of it ("
                        + first.hparams().folderName() + " " + first.varied() + (dropped.size() > 1 ? ", ..." : "")
                        + "): a study may grow in its folder (more seeds, more values) but not change its "
                        + "experiments; run this version into another folder");
            }
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(copy, text);
    }

    /**
     * The study whose folder {@code dir} is, as its {@value #SPEC_COPY} describes it.
     *
     * @throws StudySpecException naming the folder if it holds no study file, or the copy if that
     *     cannot be read
     * @throws IOException if it cannot be read
     */
    public static StudySpec study(Path dir, long maxRuns) throws IOException {
        Path copy = dir.resolve(SPEC_COPY);
        if (!Files.isRegularFile(copy)) {
            throw new StudySpecException(dir, "$", "holds no " + SPEC_COPY + ": is it a folder that 'study run' wrote?");
        }
        return StudySpec.read(copy, maxRuns);
    }
}

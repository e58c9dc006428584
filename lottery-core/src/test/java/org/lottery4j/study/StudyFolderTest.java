package org.lottery4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A study folder belongs to one study (issue 21): another study is refused, the same one may grow. */
class StudyFolderTest {

    private static final String BASE = "\"base\": {\"dataset.name\": \"mnist-10k\", \"model.name\": \"lenet-300-100\"}";

    @TempDir
    Path dir;

    private StudySpec spec(String name, String axes) throws Exception {
        String text = "{\"name\": \"" + name + "\", " + BASE + ", \"axes\": {" + axes + "}}";
        return StudySpec.parse(text, Files.writeString(dir.resolve(name + "-" + Math.abs(axes.hashCode()) + ".json"), text));
    }

    private static void claim(Path out, StudySpec spec) throws Exception {
        StudyFolder.claim(out, spec, Files.readString(spec.file()));
    }

    @Test
    void aFolderTakesItsStudyAndKeepsItsFile() throws Exception {
        Path out = dir.resolve("quick");
        StudySpec quick = spec("quick", "\"training.seed\": [1, 2]");
        claim(out, quick);
        assertThat(out.resolve(StudyFolder.SPEC_COPY)).hasContent(Files.readString(quick.file()));
        assertThat(StudyFolder.study(out, 10).runs()).isEqualTo(quick.runs());
        claim(out, quick); // the same study again: resumes
    }

    @Test
    void aUriIsRefusedAsAStudyFolderAndNothingIsWritten() throws Exception {
        StudySpec quick = spec("quick", "\"training.seed\": [1, 2]");
        for (String uri : new String[] {"s3a://bucket/quick", "hdfs:/user/me/quick", "gs://b/q", "file:///shared/quick"}) {
            Path asPath = Path.of(uri); // as a command line's --out becomes a Path
            String scheme = uri.substring(0, uri.indexOf(':'));
            assertThatThrownBy(() -> claim(asPath, quick))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the study's folder " + asPath + " is a " + scheme + ": URI, not a path: "
                            + "a study needs a folder on a file system mounted at the same path on every host");
            assertThatThrownBy(() -> new LocalExecutor(asPath, run -> null, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a " + scheme + ": URI");
        }
        assertThat(Path.of("s3a:")).doesNotExist();
        assertThat(Path.of("hdfs:")).doesNotExist();
        // paths that merely contain a colon are paths
        assertThat(StudyFolder.requireLocal(dir.resolve("runs:2026"))).isEqualTo(dir.resolve("runs:2026"));
        assertThat(StudyFolder.requireLocal(Path.of("/shared/s3a:/x"))).isEqualTo(Path.of("/shared/s3a:/x"));
        assertThat(StudyFolder.requireLocal(Path.of("quick"))).isEqualTo(Path.of("quick"));
    }

    @Test
    void anotherStudyIsRefusedAndTheFolderKeepsItsOwn() throws Exception {
        Path out = dir.resolve("quick");
        StudySpec quick = spec("quick", "\"training.seed\": [1, 2]");
        claim(out, quick);
        StudySpec rewind = spec("rewind", "\"pruning.rewind\": [\"init\", \"iteration:100\"]");
        assertThatThrownBy(() -> claim(out, rewind))
                .isInstanceOf(StudySpecException.class)
                .hasMessage(rewind.file() + ": $: " + out + " is the folder of the study 'quick' (study.json), not of "
                        + "'rewind': run this study into another folder");
        assertThat(out.resolve(StudyFolder.SPEC_COPY)).hasContent(Files.readString(quick.file()));
    }

    @Test
    void theSameStudyMayGrowButNotChangeItsExperiments() throws Exception {
        Path out = dir.resolve("quick");
        claim(out, spec("quick", "\"training.seed\": [1, 2]"));
        StudySpec grown = spec("quick", "\"training.seed\": [1, 2, 3], \"pruning.fraction\": [0.2, 0.5]");
        claim(out, grown); // seeds and a new axis that keeps the old value (0.2, the default)
        assertThat(StudyFolder.study(out, 100).runs()).isEqualTo(grown.runs());
        StudySpec changed = spec("quick", "\"training.seed\": [1, 2, 3], \"pruning.fraction\": [0.5]");
        assertThatThrownBy(() -> claim(out, changed))
                .isInstanceOf(StudySpecException.class)
                .hasMessageStartingWith(changed.file() + ": $: " + out + " holds the study 'quick' with 3 of its 6 "
                        + "experiments not in this version of it (lottery_")
                .hasMessageEndingWith("{training.seed=1, pruning.fraction=0.2}, ...): a study may grow in its folder (more "
                        + "seeds, more values) but not change its experiments; run this version into another folder");
    }

    @Test
    void aDamagedCopyIsNamedAndAFolderWithoutOneIsNoStudysFolder() throws Exception {
        Path out = Files.createDirectories(dir.resolve("quick"));
        Files.writeString(out.resolve(StudyFolder.SPEC_COPY), "{\"name\": ");
        StudySpec quick = spec("quick", "\"training.seed\": [1, 2]");
        assertThatThrownBy(() -> claim(out, quick))
                .isInstanceOf(StudySpecException.class)
                .hasMessageStartingWith(quick.file() + ": $: " + out + " holds a study file that cannot be read ("
                        + out.resolve(StudyFolder.SPEC_COPY) + ": $: not valid JSON");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> StudyFolder.study(empty, 10))
                .isInstanceOf(StudySpecException.class)
                .hasMessage(empty + ": $: holds no study.json: is it a folder that 'study run' wrote?");
    }
}

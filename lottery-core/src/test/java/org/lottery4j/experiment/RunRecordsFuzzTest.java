package org.lottery4j.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.hparams.ControlArm;
import org.lottery4j.hparams.ExperimentHparams;
import org.lottery4j.internal.Json;
import org.lottery4j.io.FileFormatException;
import org.lottery4j.results.ArmResult;
import org.lottery4j.results.ExperimentResult;
import org.lottery4j.run.RunFolder;
import org.lottery4j.testing.Fuzz;
import org.lottery4j.testing.JsonEdits;
import org.lottery4j.testing.SyntheticWorkload;
import org.slf4j.LoggerFactory;

/**
 * Thousands of damaged copies of the files an experiment reads back when it resumes ({@link Fuzz}):
 * its {@code results.json} and a round's arm record (checked records: refused naming the file, or
 * read the same; a structural edit with the checksum recomputed reads only as the edited fields
 * bind), and its {@code hparams.json} (which binds the folder to a run: a damaged one either still
 * names the same run or is refused naming the file). {@code summary.json} is never read back: a
 * study's summary is rebuilt from the runs' results.
 */
class RunRecordsFuzzTest {

    @TempDir
    static Path run;

    @TempDir
    Path dir;

    private static ExperimentHparams hp;
    private static Path folder;

    @BeforeAll
    static void runATinyExperiment() throws Exception {
        hp = SyntheticWorkload.hparams(1, "20it", List.of(ControlArm.REINIT));
        new Experiment(hp, new SyntheticWorkload(), run).run();
        folder = run.resolve(hp.folderName());
    }

    @Test
    @Timeout(600)
    void damagedResultsAreRefusedOrReadTheSame() throws Exception {
        fuzz("results.json", folder.resolve("results.json"), ExperimentResult.class, 20261214);
    }

    @Test
    @Timeout(600)
    void damagedArmRecordsAreRefusedOrReadTheSame() throws Exception {
        Path record;
        try (var files = Files.walk(folder)) {
            record = files.filter(p -> p.getFileName().toString().equals("reinit.json")).findFirst().orElseThrow();
        }
        fuzz("arm record", record, ArmResult.class, 20261215);
    }

    private <T> void fuzz(String format, Path file, Class<T> type, long seed) throws Exception {
        T original = Json.readChecked(file, type);
        Fuzz.of(format, Files.readAllBytes(file), f -> Json.readChecked(f, type), FileFormatException.class)
                .suffix(".json")
                .same(original::equals)
                .structural(this::editAndResign, (bytes, read) -> {
                    ObjectNode fields = (ObjectNode) Json.reader().readTree(bytes);
                    fields.remove(Json.CHECKSUM);
                    return read.equals(Json.reader().treeToValue(fields, type));
                })
                .run(dir, seed, Fuzz.cases(400))
                .print()
                .assertClean();
    }

    // a deliberate edit: the fields changed, then written with a new checksum as the writer would
    private byte[] editAndResign(byte[] bytes, Random random) throws Exception {
        String edited = JsonEdits.edit(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), random);
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = Json.reader().readTree(edited);
        } catch (java.io.IOException e) {
            return edited.getBytes(java.nio.charset.StandardCharsets.UTF_8); // not JSON any more: refused as it is
        }
        if (!(tree instanceof ObjectNode fields)) {
            return edited.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        fields.remove(Json.CHECKSUM);
        Path out = dir.resolve("resigned.json");
        Json.writeChecked(out, fields);
        return Files.readAllBytes(out);
    }

    @Test
    @Timeout(600)
    void damagedHyperparametersStillNameTheRunOrAreRefused() throws Exception {
        Path saved = folder.resolve(RunFolder.HPARAMS);
        byte[] original = Files.readAllBytes(saved);
        Fuzz.of("hparams.json", original, copy -> {
            Path target = Files.createDirectories(dir.resolve("bind")).resolve(RunFolder.HPARAMS);
            Files.copy(copy, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try {
                RunFolder.create(target.getParent()).bind(hp.identity(), hp, LoggerFactory.getLogger(RunRecordsFuzzTest.class));
            } catch (FileFormatException e) {
                throw new FileFormatException(copy, e.problem(), e); // the message names the copy, as the harness expects
            }
            return true; // bound: the folder was taken for this run
        }, FileFormatException.class)
                .suffix(".json")
                .same(bound -> bound)
                .structural((bytes, random) -> JsonEdits.edit(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                        random).getBytes(java.nio.charset.StandardCharsets.UTF_8), (bytes, bound) -> false)
                .run(dir, 20261216, Fuzz.cases(400))
                .print()
                .assertClean();
    }
}

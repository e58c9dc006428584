package org.lottery4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.lottery4j.internal.Json;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.mask.Mask;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.ticket.LotteryTicket;

/**
 * What masks cost in bytes per parameter of a 10M-weight MLP at 0%, 50%, 80%, 95% and 99%
 * pruned: in memory (the 1-bit masks, and the flat array the enforcer multiplies by, in the
 * network's data type) and on disk (the ticket file's mask entry before and after compression,
 * and the whole ticket file for comparison).
 *
 * <pre>{@code
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.MaskFootprint --json masks.json
 * }</pre>
 */
public final class MaskFootprint {

    private MaskFootprint() {}

    public static void main(String[] args) throws IOException {
        Path json = args.length == 2 && args[0].equals("--json") ? Path.of(args[1]) : null;
        Path dir = Files.createTempDirectory("mask-footprint");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double pruned : new double[] {0, 0.5, 0.8, 0.95, 0.99}) {
            try (LotteryTicket ticket = LotteryTicket.builder(BenchNets.squareMlp(10_000_000))
                    .scope(PruningScope.layerwise()).build()) {
                if (pruned > 0) {
                    ticket.pruneAndRewind(pruned);
                }
                long params = ticket.view().numParams();
                long masked = ticket.masks().asMap().values().stream().mapToLong(Mask::length).sum();
                Path file = dir.resolve("ticket-" + pruned + ".zip");
                ticket.save(file);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("pruned", pruned);
                row.put("parameters", params);
                row.put("masked_weights", masked);
                row.put("memory_mask_bits_bytes_per_param", (double) masked / 8 / params);
                row.put("memory_enforcer_flat_bytes_per_param",
                        (double) params * ticket.view().dataType().width() / params);
                row.put("memory_model_params_bytes_per_param", (double) ticket.view().dataType().width());
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    ZipEntry masks = zip.getEntry("masks.bin");
                    row.put("disk_masks_raw_bytes_per_param", (double) masks.getSize() / params);
                    row.put("disk_masks_compressed_bytes_per_param", (double) masks.getCompressedSize() / params);
                    row.put("disk_masks_compressed_bits_per_weight", 8.0 * masks.getCompressedSize() / masked);
                }
                row.put("disk_ticket_file_bytes_per_param", (double) Files.size(file) / params);
                Files.delete(file);
                rows.add(row);
                System.err.println(row);
            }
        }
        Files.delete(dir);
        String text = Json.writer().withDefaultPrettyPrinter().writeValueAsString(rows);
        System.out.println(text);
        if (json != null) {
            AtomicFiles.writeString(json, text);
        }
    }
}

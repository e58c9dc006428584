/**
 * Exports for inference outside DL4J: {@link org.lottery4j.export.SafetensorsExporter} writes a
 * network's weights in PyTorch's names and layouts (F32, F16 or BF16) with the sparsity pattern
 * and provenance in the metadata; {@link org.lottery4j.export.SafetensorsFile} reads such files
 * back and checks their N:M pattern; {@link org.lottery4j.export.Compressed24} is the compressed
 * 2:4 form (kept values plus 2-bit positions). Files are written atomically.
 */
package org.lottery4j.export;

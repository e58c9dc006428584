/**
 * Not API: the plumbing lottery4j's own packages and modules share (JSON run records, hashes,
 * strict UTF-8, the adapter that changes a DL4J network's parameters and training state, mask
 * enforcement, optimizers and schedules, the safetensors writer, ONNX initializers, rewinding,
 * garbage collection). Public only because Java has no narrower access across packages; it may
 * change in any release without notice, and {@code lottery-core/api/public-api.txt} leaves it
 * out. Use the classes of the other packages.
 */
package org.lottery4j.internal;

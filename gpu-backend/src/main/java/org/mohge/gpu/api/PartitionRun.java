package org.mohge.gpu.api;

/**
 * One partition run alone: {@code partialOutput [T x d]} holds, for every token, the gate-weighted
 * sum of this partition's expert outputs (zero rows for tokens it did not serve);
 * {@code expertUs} is aligned with the work's experts; {@code timeUs} is the partition's wall time
 * (gather, expert FFNs and weighted scatter; CUDA events on CUDA).
 */
public record PartitionRun(int gpu, FloatMatrix partialOutput, double[] expertUs, int activations, double timeUs) {
}

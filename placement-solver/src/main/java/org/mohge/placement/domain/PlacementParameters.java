package org.mohge.placement.domain;

/**
 * Problem-wide facts: extra copies allowed over all experts, and the function that prices a
 * GPU's set of copies for the max-GPU-time constraint (exact grouped-GEMM time in the solver,
 * {@link GpuTimeFunction#LINEAR} in hand-made tests).
 */
public record PlacementParameters(int spareSlots, GpuTimeFunction gpuTime) {
}

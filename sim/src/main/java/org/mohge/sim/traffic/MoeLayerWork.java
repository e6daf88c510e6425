package org.mohge.sim.traffic;

/** Per-GPU durations of one MoE layer's routed part for one unit, in ns. */
public record MoeLayerWork(long[] permuteNs, long[] expertsNs, long[] unpermuteNs, long[] dispatchNs,
                           long[] combineNs) {
}

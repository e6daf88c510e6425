package org.mohge.sim.metrics;

/**
 * One GPU over one step (mean over the simulated steps): time its compute stream ran
 * ({@code computeBusyUs}), time its links were in all-to-alls ({@code communicationUs}), time it
 * did neither ({@code idleUs}, including every wait for stragglers), {@code utilisation} =
 * computeBusyUs / step time; forward expert compute time and tokens received over all MoE layers;
 * all-to-all bytes it sent to and received from other GPUs (dispatch and combine, forward and
 * backward); peak memory against capacity.
 */
public record GpuStats(int gpu, int node, double computeBusyUs, double communicationUs, double idleUs,
                       double utilisation, double expertTimeUs, double tokensReceived, double sentBytes,
                       double receivedBytes, double peakMemoryBytes, double memoryCapacityBytes) {
}

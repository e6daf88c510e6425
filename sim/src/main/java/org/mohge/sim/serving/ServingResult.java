package org.mohge.sim.serving;

import java.util.List;

/**
 * What a serving run measured. Latencies cover completed requests; throughputs divide by the time
 * from the first arrival to the last completion; goodput counts requests within the SLO (all
 * completed requests when there is none). {@code expertImbalance} is the iteration mean, over
 * iterations that decode, of the slowest expert-parallel rank's expert time over the mean rank's.
 */
public record ServingResult(long arrived, long completed, long rejected, long preemptions, double durationS, int gpus,
                            LatencySummary ttft, LatencySummary tpot, LatencySummary e2e, LatencySummary queueing,
                            double requestsPerS, double inputTokensPerS, double outputTokensPerS,
                            double outputTokensPerSPerGpu, double goodputRequestsPerS, double sloAttainment,
                            double meanBatchSeqs, double meanBatchTokens, double meanKvUse, double peakKvUse,
                            double expertImbalance, long iterations, long events, List<PoolSummary> pools,
                            List<SeriesPoint> series) {
}

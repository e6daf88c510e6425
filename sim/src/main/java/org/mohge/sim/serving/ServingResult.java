package org.mohge.sim.serving;

import java.util.List;

/**
 * What a serving run measured. Latencies cover all completed requests. Throughputs are steady-state
 * figures over the arrival window ({@code windowS}: first to last arrival): requests completed,
 * their prompt tokens, and output tokens generated in it, per second; the drain after the last
 * arrival ({@code durationS} runs to the last completion) is left out. Goodput counts the
 * window's requests within the SLO (all of them when there is none); {@code sloAttainment} is the
 * share of all completed requests within it. {@code peakInFlight}: most requests in the system at
 * once (what the engine holds in memory). {@code cdfs}: latency distributions for charts. {@code expertImbalance} is the iteration mean, over
 * iterations that decode, of the slowest expert-parallel rank's expert time over the mean rank's.
 */
public record ServingResult(long arrived, long completed, long rejected, long preemptions, double durationS, double windowS,
                            int gpus,
                            LatencySummary ttft, LatencySummary tpot, LatencySummary e2e, LatencySummary queueing,
                            double requestsPerS, double inputTokensPerS, double outputTokensPerS,
                            double outputTokensPerSPerGpu, double goodputRequestsPerS, double sloAttainment,
                            double meanBatchSeqs, double meanBatchTokens, double meanKvUse, double peakKvUse,
                            double expertImbalance, long iterations, long events, long peakInFlight,
                            List<PoolSummary> pools,
                            List<SeriesPoint> series, LatencyCdfs cdfs) {
}

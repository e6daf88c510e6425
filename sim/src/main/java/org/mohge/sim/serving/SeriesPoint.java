package org.mohge.sim.serving;

/**
 * One bucket of the time series: from {@code startS} for {@code widthS} seconds, the time-weighted
 * mean over busy replicas of sequences per iteration and tokens per iteration, the mean and peak
 * KV-cache use (fraction of pages held).
 */
public record SeriesPoint(double startS, double widthS, double meanBatchSeqs, double meanBatchTokens,
                          double meanKvUse, double peakKvUse) {
}

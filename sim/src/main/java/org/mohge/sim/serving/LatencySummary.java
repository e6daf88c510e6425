package org.mohge.sim.serving;

/** One latency metric over the completed requests, in milliseconds. */
public record LatencySummary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
}

package org.mohge.reports.study;

/**
 * One design of a comparison study. The routed activation, step time and throughput are null when
 * the design does not fit in GPU memory ({@code fits} false), so no made-up numbers reach the
 * report; {@code imbalance} (max / mean expert time) also for a training design, whose step is
 * priced with its EP ranks folded into one.
 */
public record CompareRow(String label, String scenario, String moeKind, String placement, String cluster,
                         long totalParams, double activatedParamsEven, Double activatedParamsRouted,
                         Double stepTimeUs, Double tokensPerSecond, Double imbalance, double peakMemoryGiB,
                         boolean fits) {
}

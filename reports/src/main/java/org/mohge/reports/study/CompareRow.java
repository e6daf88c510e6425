package org.mohge.reports.study;

/**
 * One design of a comparison study. Times are NaN when the design does not fit in GPU memory
 * ({@code fits} false), so no made-up numbers reach the report.
 */
public record CompareRow(String label, String scenario, String moeKind, String placement, String cluster,
                         long totalParams, double activatedParamsEven, double activatedParamsRouted,
                         double stepTimeUs, double tokensPerSecond, double imbalance, double peakMemoryGiB,
                         boolean fits) {
}

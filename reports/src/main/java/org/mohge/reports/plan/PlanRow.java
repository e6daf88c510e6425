package org.mohge.reports.plan;

/**
 * One point of a capacity-planning sweep as the report shows it. {@code status} is {@code ok},
 * {@code does-not-fit} or {@code invalid}; the simulation figures are NaN unless it is {@code ok}.
 * {@code expertSizeRatio} is the largest over the smallest expert hidden size (NaN when invalid or
 * dense). {@code reason} says why a point is invalid or does not fit (empty when ok).
 */
public record PlanRow(String id, String label, String gpu, int gpus, String placement, String status, String reason,
                      double costPerHour, double tokensPerSecond, double stepTimeMs, double imbalance,
                      double peakMemoryGiB, double memoryHeadroomPct, double expertSizeRatio, boolean meetsTarget,
                      boolean pareto) {

    public boolean ok() {
        return "ok".equals(status);
    }
}
